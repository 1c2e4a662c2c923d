#!/bin/bash
# tests/cli/deposit.sh - what a deposit is, decided once (issue 18): ingest
# refuses every archive that validate refuses, and each refusal or
# misconfiguration exits as the exit-code table says (1 the deposit is
# invalid, 2 usage or configuration).
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
W=$SCRATCH/w
mkdir -p "$W/src"
echo hello >"$W/src/a.txt"
check_rc 0 init -- "$CUSTOS" init "$R"
check_rc 0 "make a bag" -- "$CUSTOS" bag "$W/src" --dest "$W/mybag" --info BagIt-Profile-Identifier=http://example.org/p.json
tar -C "$W" -cf "$W/bag.tar" mybag
objects() { sqlite3 "$R/custos.db" 'SELECT COUNT(*) FROM objects'; }

# a bag tar cut short: validate and ingest both refuse it (exit 1)
head -c 1100 "$W/bag.tar" >"$W/trunc.tar"      # inside the second entry
check_rc 1 "validate truncated bag tar" -- "$CUSTOS" validate "$W/trunc.tar"
check_grep 'unreadable-bag' "$SCRATCH/out" "validate names the truncation"
check_rc 1 "ingest truncated bag tar" -- "$CUSTOS" ingest -r "$R" "$W/trunc.tar"
check_grep 'unreadable-bag' "$SCRATCH/out" "ingest names the truncation"

# a .tar.gz cut short, so short that libarchive cannot open it
tar -C "$W" -czf "$W/bag.tgz" mybag
size=$(stat -c %s "$W/bag.tgz")
head -c $((size - 30)) "$W/bag.tgz" >"$W/trunc.tgz"
check_rc 1 "validate truncated bag tgz" -- "$CUSTOS" validate "$W/trunc.tgz"
check_rc 1 "ingest truncated bag tgz" -- "$CUSTOS" ingest -r "$R" "$W/trunc.tgz"
check_grep 'truncated gzip input.*unreadable-bag' "$SCRATCH/out" "ingest names the cut gzip"

# cut at an entry boundary before its bagit.txt: still a (broken) bag
tar -C "$W" -cf "$W/nodecl.tar" mybag/data mybag/manifest-sha256.txt
check_rc 1 "validate a bag tar without bagit.txt" -- "$CUSTOS" validate "$W/nodecl.tar"
check_rc 1 "ingest a bag tar without bagit.txt" -- "$CUSTOS" ingest -r "$R" "$W/nodecl.tar"
check_grep 'missing-bagit-txt' "$SCRATCH/out" "the missing declaration is named"

# a bag tar with a second top-level entry
echo stray >"$W/extra.txt"
tar -C "$W" -cf "$W/two.tar" mybag extra.txt
check_rc 1 "validate bag tar with a second top-level entry" -- "$CUSTOS" validate "$W/two.tar"
check_rc 1 "ingest bag tar with a second top-level entry" -- "$CUSTOS" ingest -r "$R" "$W/two.tar"
check_grep 'missing-bagit-txt' "$SCRATCH/out" "the misplaced bag is named"
[ "$(objects)" = 0 ] && ok || bad "a refused archive was stored"

# what is no archive at all is still a plain file; a good bag tar a bag
head -c 100 /dev/urandom >"$W/noise.bin"
check_rc 0 "ingest a file that is no archive" -- "$CUSTOS" ingest -r "$R" "$W/noise.bin"
echo "just text" | gzip >"$W/note.txt.gz"
check_rc 0 "ingest a whole gzip of text (no archive inside)" -- "$CUSTOS" ingest -r "$R" "$W/note.txt.gz"
check_rc 0 "ingest bag tar" -- "$CUSTOS" ingest -r "$R" "$W/bag.tar"
check_grep '1 file, 6 bytes' "$SCRATCH/out" "the bag's payload is stored"
tar -C "$W" -cf "$W/one.tar" extra.txt
check_rc 0 "ingest a tar of one file" -- "$CUSTOS" ingest -r "$R" --id one "$W/one.tar"
check_grep '1 file, 6 bytes' "$SCRATCH/out" "the tar's one file is stored"

# archives fuzz_bagarchive found (sanitizer reports, found under ASan):
# an empty tar, and a bag tar holding its bag-info.txt twice
tar -cf "$W/empty.tar" -T /dev/null
check_rc 1 "validate an empty tar" -- "$CUSTOS" validate "$W/empty.tar"
check_grep 'missing-bagit-txt' "$SCRATCH/out" "the empty tar is no bag"
cp -r "$W/mybag" "$W/twice" && tar -C "$W" -cf "$W/twice.tar" twice twice/bag-info.txt
check_rc 1 "validate a bag tar with bag-info.txt twice" -- "$CUSTOS" validate "$W/twice.tar"
check_grep "'bag-info.txt' appears more than once" "$SCRATCH/out" "the repeated tag file is named"

# conflicting entries in a tar: the deposit is invalid (1), not a failure (3)
mkdir -p "$W/dup" && echo a >"$W/dup/f" && tar -C "$W/dup" -cf "$W/dup.tar" f
echo b >"$W/dup/f" && tar -C "$W/dup" -rf "$W/dup.tar" f
check_rc 1 "ingest tar with a name twice" -- "$CUSTOS" ingest -r "$R" "$W/dup.tar"
check_grep "duplicate-entry.*\|'f' appears more than once" "$SCRATCH/out" "the repeated name is given"

# directories nested beyond the walk's limit: invalid (1)
python3 - "$W/deep" <<'PY'
import os, sys
os.makedirs(sys.argv[1])
fd = os.open(sys.argv[1], os.O_RDONLY)
for _ in range(300):
    os.mkdir("d", dir_fd=fd)
    nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = nfd
with open(os.open("f", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
    f.write("x")
PY
check_rc 1 "ingest a too-deep tree" -- "$CUSTOS" ingest -r "$R" "$W/deep"
check_grep '\[too-deep\]' "$SCRATCH/out" "too-deep is the code"

# --profile: a missing profile is configuration (2); for a deposit that is
# no bag it is refused (2) rather than ignored
check_rc 2 "ingest bag --profile missing" -- "$CUSTOS" ingest -r "$R" "$W/mybag" --profile "$W/no-such.json"
PROFILE=$W/profile.json
cat >"$PROFILE" <<'JSON'
{"BagIt-Profile-Info": {"BagIt-Profile-Identifier": "http://example.org/p.json",
 "Source-Organization": "Example", "External-Description": "test",
 "Version": "1.0", "BagIt-Profile-Version": "1.4.0"}}
JSON
check_rc 0 "the profile is good for a bag" -- "$CUSTOS" validate "$W/mybag" --profile "$PROFILE"
check_rc 2 "ingest dir --profile" -- "$CUSTOS" ingest -r "$R" "$W/src" --profile "$PROFILE"
check_grep 'is not one (no bagit.txt)' "$SCRATCH/err" "--profile on a plain deposit is explained"
check_rc 2 "ingest file --profile" -- "$CUSTOS" ingest -r "$R" "$W/extra.txt" --profile "$PROFILE"
[ "$(objects)" = 4 ] && ok || bad "expected 4 objects, got $(objects)"

report_done
