#!/bin/bash
# tests/cli/bag.sh - `custos bag` end to end: copies and in-place bags
# validate, the source of a copy is untouched, sha256sum can check our
# manifests, hostile sources are refused with nothing written, and every
# command answers --help and --version.
. "$(dirname "$0")/lib.sh"
src=$SCRATCH/src
mkdir -p "$src/sub dir/deep"
printf 'alpha\n' >"$src/a.txt"
printf 'percent\n' >"$src/100%.txt"
printf 'line\nbreak' >"$src/sub dir/deep/b.bin"
: >"$src/empty"
(cd "$src" && find . -type f -exec sha256sum {} + | sort) >"$SCRATCH/before"

check_rc 0 "bag --dest" -- "$CUSTOS" bag "$src" --dest "$SCRATCH/bag" --info "Source-Organization=Test Archive"
check_rc 0 "validate copy" -- "$CUSTOS" validate "$SCRATCH/bag"
(cd "$src" && find . -type f -exec sha256sum {} + | sort) >"$SCRATCH/after"
if cmp -s "$SCRATCH/before" "$SCRATCH/after" && [ ! -e "$src/bagit.txt" ]; then ok; else bad "source changed by --dest"; fi
check_grep '^Source-Organization: Test Archive$' "$SCRATCH/bag/bag-info.txt" "--info"
check_grep '^Payload-Oxum: 24\.4$' "$SCRATCH/bag/bag-info.txt" "Payload-Oxum"
check_grep '^Bagging-Date: [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]$' "$SCRATCH/bag/bag-info.txt" "Bagging-Date"
check_grep '  data/100%25.txt$' "$SCRATCH/bag/manifest-sha256.txt" "percent-encoded name"
(cd "$SCRATCH/bag" && grep -v '%25' manifest-sha256.txt | sha256sum -c --quiet -) && ok || bad "sha256sum -c on our manifest"
(cd "$SCRATCH/bag" && sha512sum -c --quiet tagmanifest-sha512.txt) && ok || bad "sha512sum -c on our tag manifest"
check_rc 2 "dest exists" -- "$CUSTOS" bag "$src" --dest "$SCRATCH/bag"

# algorithms, in place
cp -r "$src" "$SCRATCH/inplace"
check_rc 0 "bag in place" -- "$CUSTOS" bag "$SCRATCH/inplace" --algorithm md5,sha1,blake2b512
for f in manifest-md5.txt manifest-sha1.txt manifest-blake2b512.txt tagmanifest-md5.txt; do
	[ -f "$SCRATCH/inplace/$f" ] && ok || bad "in place: no $f"
done
[ -f "$SCRATCH/inplace/data/sub dir/deep/b.bin" ] && ok || bad "in place: payload not moved"
check_rc 0 "validate in place" -- "$CUSTOS" validate "$SCRATCH/inplace"
check_rc 2 "bag a bag" -- "$CUSTOS" bag "$SCRATCH/inplace"
check_grep 'already holds a bagit.txt' "$SCRATCH/err" "bag a bag"

# hostile sources: refused, nothing written
mkdir -p "$SCRATCH/evil"
printf 'x' >"$SCRATCH/evil/ok"
ln -s /etc/passwd "$SCRATCH/evil/link"
check_rc 1 "symlink refused" -- "$CUSTOS" bag "$SCRATCH/evil" --dest "$SCRATCH/evilbag"
check_grep "'link' is a symlink" "$SCRATCH/err" "symlink named"
[ ! -e "$SCRATCH/evilbag" ] && ok || bad "bag written despite symlink"
check_rc 1 "symlink refused in place" -- "$CUSTOS" bag "$SCRATCH/evil"
[ ! -e "$SCRATCH/evil/data" ] && [ -f "$SCRATCH/evil/ok" ] && ok || bad "in-place source moved despite refusal"
rm "$SCRATCH/evil/link"
mkdir "$SCRATCH/evil2" && printf 'x' >"$SCRATCH/evil2/$(printf 'bad\xffname')"
check_rc 1 "non-UTF-8 name refused" -- "$CUSTOS" bag "$SCRATCH/evil2" --dest "$SCRATCH/evilbag2"
check_grep 'not valid UTF-8' "$SCRATCH/err" "non-UTF-8 named"
check_rc 2 "reserved --info" -- "$CUSTOS" bag "$src" --dest "$SCRATCH/x" --info Payload-Oxum=1.1
check_rc 2 "bad --info" -- "$CUSTOS" bag "$src" --dest "$SCRATCH/x" --info novalue
check_rc 2 "bad algorithm" -- "$CUSTOS" bag "$src" --dest "$SCRATCH/x" --algorithm crc32
[ ! -e "$SCRATCH/x" ] && ok || bad "bag written despite usage error"

# a changed byte after bagging is caught, with both digests shown
printf 'ALPHA\n' >"$SCRATCH/bag/data/a.txt"
check_rc 1 "changed file" -- "$CUSTOS" validate --json "$SCRATCH/bag"
check_grep '"code":"digest-mismatch","path":"data/a.txt"' "$SCRATCH/out" "changed file"

# usage and help everywhere
check_rc 0 "--version" -- "$CUSTOS" --version
check_grep '^custos [0-9]' "$SCRATCH/out" "--version"
for cmd in $("$CUSTOS" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}'); do
	check_rc 0 "$cmd --help" -- "$CUSTOS" "$cmd" --help
	check_grep "^usage: custos $cmd" "$SCRATCH/out" "$cmd --help"
	check_rc 0 "$cmd --version" -- "$CUSTOS" "$cmd" --version
done
check_rc 2 "no command" -- "$CUSTOS"
check_rc 2 "unknown command" -- "$CUSTOS" frobnicate
check_rc 2 "validate without bag" -- "$CUSTOS" validate
check_rc 2 "validate bad option" -- "$CUSTOS" validate --bogus x
check_rc 2 "validate missing path" -- "$CUSTOS" validate "$SCRATCH/does-not-exist"
check_rc 2 "bad --jobs" -- "$CUSTOS" validate --jobs 0 "$SCRATCH/bag"
report_done
