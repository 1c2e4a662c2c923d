#!/bin/bash
# tests/cli/bagrules.sh - the BagIt rules and lint warnings beyond the LoC
# suite (issue 18), in the style of the conformance suite: each case in
# tests/resources/bagit-rules/ is a bag and the one finding expected of it
# ("SEVERITY CODE PATH"); validate must report that code, with that path,
# at that severity, and exit 1 for an error and 0 for a warning.
. "$(dirname "$0")/lib.sh"
RULES=$(cd "$(dirname "$0")/../resources/bagit-rules" && pwd)

n=0
for dir in "$RULES"/*/; do
	case=$(basename "$dir")
	read -r sev code path <"$dir/expected"
	[ "$path" = - ] && path=
	want=$([ "$sev" = error ] && echo 1 || echo 0)
	check_rc "$want" "$case" -- "$CUSTOS" validate --json "$dir/bag"
	if python3 - "$SCRATCH/out" "$sev" "$code" "$path" <<'PY'; then ok; else bad "$case: no $sev $code for '$path'"; fi
import json, sys
out, sev, code, path = sys.argv[1:]
doc = json.load(open(out))
found = [p for p in doc[sev + "s"] if p["code"] == code]
sys.exit(0 if len(found) == 1 and found[0]["path"] == path else 1)
PY
	n=$((n + 1))
done
[ "$n" -ge 12 ] && ok || bad "only $n rule cases found"

# the text output names the code too
check_rc 1 "text output" -- "$CUSTOS" validate "$RULES/repeated-oxum/bag"
check_grep '\[repeated-oxum\]' "$SCRATCH/out" "text output names the code"
# before 1.0 the 1.0 rules are warnings: the same bag declared 0.97
cp -r "$RULES/label-whitespace/bag" "$SCRATCH/old"
printf 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n' >"$SCRATCH/old/bagit.txt"
rm "$SCRATCH/old"/tagmanifest-*
check_rc 0 "0.97: label whitespace is a warning" -- "$CUSTOS" validate "$SCRATCH/old"
check_grep '\[tag-whitespace\]' "$SCRATCH/out" "0.97 keeps the old warning"

# a bag-info.txt over its 16 MiB bound inside a small zip is refused by
# size (too-large), with or without the size in the entry's header
for mode in sized streamed; do
	python3 - "$SCRATCH/info-$mode.zip" "$RULES/no-oxum/bag" "$mode" <<'PY'
import io, os, sys, zipfile
out, bag, mode = sys.argv[1:]
class Stream(io.RawIOBase):     # not seekable: sizes go after the data
    def __init__(self, f): self.f = f
    def writable(self): return True
    def write(self, b): return self.f.write(b)
f = open(out, "wb")
z = zipfile.ZipFile(f if mode == "sized" else Stream(f), "w", zipfile.ZIP_DEFLATED)
for name in ("bagit.txt", "manifest-sha256.txt", "data/a.txt"):
    z.write(os.path.join(bag, name), "bag/" + name)
with z.open("bag/bag-info.txt", "w", force_zip64=True) as w:
    for _ in range(17):
        w.write(b"X-Filler: " + b"a" * (1 << 20) + b"\n")
z.close()
PY
	check_rc 1 "huge bag-info.txt in a zip ($mode)" -- "$CUSTOS" validate --json "$SCRATCH/info-$mode.zip"
	check_grep '"code":"too-large","path":"bag-info.txt"' "$SCRATCH/out" "too-large names bag-info.txt ($mode)"
	check_nogrep 'no-oxum' "$SCRATCH/out" "no second finding about bag-info.txt ($mode)"
done

# custos bag warns of a name that must be %-encoded in the manifests
mkdir -p "$SCRATCH/src"
echo half >"$SCRATCH/src/50%off.txt"
echo plain >"$SCRATCH/src/plain.txt"
check_rc 0 "bag a %-name" -- "$CUSTOS" bag "$SCRATCH/src" --dest "$SCRATCH/pbag"
check_grep "warning: 'data/50%off.txt' is written 'data/50%25off.txt'.*\[encoded-name\]" "$SCRATCH/out" "bag names the encoded name"
check_nogrep "plain.txt" "$SCRATCH/out" "bag warns only of names that need it"
check_grep '  data/50%25off.txt$' "$SCRATCH/pbag/manifest-sha256.txt" "the manifest encodes it"
check_rc 0 "the bag is valid" -- "$CUSTOS" validate "$SCRATCH/pbag"
check_nogrep 'unencoded-percent' "$SCRATCH/out" "an encoded name gets no warning"

report_done
