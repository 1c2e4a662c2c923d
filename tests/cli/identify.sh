#!/bin/sh
# tests/cli/identify.sh - `custos identify`: directory walk in sorted order,
# text and JSON Lines output as docs/cli.md says, exit codes 0 / 2 / 3.
set -eu
CUSTOS=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$T/in/sub"
printf '%%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%%%EOF\n' > "$T/in/b.pdf"
printf 'GIF89a\001\000\001\000\000\000\000;' > "$T/in/sub/c.gif"
printf 'hello world\n' > "$T/in/a.txt"
printf '\001\002\003' > "$T/in/z.bin"

"$CUSTOS" identify --json "$T/in" > "$T/out.jsonl" || fail "exit $?"
[ "$(wc -l < "$T/out.jsonl")" -eq 4 ] || fail "expected 4 lines"
sed -n 1p "$T/out.jsonl" | grep -q "\"path\": \"$T/in/a.txt\", \"size\": 12, \"matches\": \[{\"puid\": \"x-fmt/111\", \"name\": \"Plain Text File\"" || fail "line 1: $(sed -n 1p "$T/out.jsonl")"
sed -n 2p "$T/out.jsonl" | grep -q '"puid": "fmt/18".*"mime": "application/pdf", "basis": "signature", "evidence": "byte match at 0,8; [0-9]*,5 (signature 20)", "warnings": \[\]' || fail "line 2: $(sed -n 2p "$T/out.jsonl")"
sed -n 3p "$T/out.jsonl" | grep -q "sub/c.gif.*\"puid\": \"fmt/4\"" || fail "line 3"
sed -n 4p "$T/out.jsonl" | grep -q '"matches": \[\]}$' || fail "line 4: $(sed -n 4p "$T/out.jsonl")"

"$CUSTOS" identify "$T/in/sub/c.gif" > "$T/out.txt" || fail "text exit"
printf '%s\tfmt/4\tGraphics Interchange Format 89a\tsignature\t\n' "$T/in/sub/c.gif" | cmp -s - "$T/out.txt" || fail "text line: $(cat "$T/out.txt")"

set +e
"$CUSTOS" identify "$T/missing" "$T/in/b.pdf" > "$T/out.txt" 2>/dev/null
rc=$?
[ $rc -eq 3 ] || fail "unreadable file: exit $rc, want 3"
grep -q 'fmt/18' "$T/out.txt" || fail "other files still printed"
"$CUSTOS" identify --jobs=3 --signatures "$T/in/a.txt" "$T/in" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--signatures with a text file: want 2"
"$CUSTOS" identify --jobs=0 "$T/in" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--jobs=0: want 2"
"$CUSTOS" identify --jobs 2 "$T/in" >/dev/null 2>&1
[ $? -eq 0 ] || fail "--jobs 2: want 0"
"$CUSTOS" identify --signatures >/dev/null 2>&1
[ $? -eq 2 ] || fail "--signatures without value: want 2"
"$CUSTOS" identify --nope "$T/in" >/dev/null 2>&1
[ $? -eq 2 ] || fail "bad option: want 2"
"$CUSTOS" identify >/dev/null 2>&1
[ $? -eq 2 ] || fail "no path: want 2"
printf '<FFSignatureFile>\n<oops>\n' > "$T/bad.xml"
"$CUSTOS" identify --signatures "$T/bad.xml" "$T/in" 2> "$T/err" >/dev/null
[ $? -eq 2 ] || fail "bad signature file: want 2"
grep -q "malformed signature file '$T/bad.xml' line" "$T/err" || fail "message: $(cat "$T/err")"
echo ok
