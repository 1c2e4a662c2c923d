#!/bin/bash
# tests/cli/hostile.sh - hostile inputs and faults (issue 18): a refused
# ingest removes nothing it did not write; a location holding another
# repository's data (or this one's catalog) is refused; FIFOs are refused
# by name, never waited on; a symlink inside a location is never followed;
# one full location does not block commands on other objects; a time
# budget never starves a file.
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
P=$R/store/primary
S=$R/store/secondary
sum_tree() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }
# run COMMAND with a deadline: exit 124 (and a FAIL) instead of a hang
timed() { timeout 20 "$@"; }

check_rc 0 init -- "$CUSTOS" init "$R"
mkdir -p "$SCRATCH/dep" && printf 'mine\n' >"$SCRATCH/dep/a.txt"

# 0. a stray ID/v1 in the primary (a catalog restored from an older copy):
# ingest refuses it, exit 2, and leaves it byte for byte
mkdir -p "$P/stray/v1/data"
printf 'not custos data\n' >"$P/stray/v1/data/keep.txt"
printf 'other\n' >"$P/stray/v1/bagit.txt"
sum_tree "$P/stray" >"$SCRATCH/stray.before"
check_rc 2 "ingest onto a stray" -- "$CUSTOS" ingest -r "$R" --id stray "$SCRATCH/dep"
check_grep "'stray/v1' already exists in location 'primary'" "$SCRATCH/err" "names the stray"
sum_tree "$P/stray" >"$SCRATCH/stray.after"
cmp -s "$SCRATCH/stray.before" "$SCRATCH/stray.after" && ok || bad "the refused ingest changed stray/v1"
check_rc 0 "recover after the refusal" -- "$CUSTOS" recover -r "$R"
sum_tree "$P/stray" >"$SCRATCH/stray.after"
cmp -s "$SCRATCH/stray.before" "$SCRATCH/stray.after" && ok || bad "recover changed stray/v1"
# the same stray, met by recover of an intent interrupted before staging
sqlite3 "$R/custos.db" "INSERT INTO ingests(txid, object, version, state, started) VALUES('feedfacefeedface', 'stray', 1, 'staging', '2020-01-01T00:00:00Z')"
check_rc 0 "recover an intent over a stray" -- "$CUSTOS" recover -r "$R"
sum_tree "$P/stray" >"$SCRATCH/stray.after"
cmp -s "$SCRATCH/stray.before" "$SCRATCH/stray.after" && ok || bad "recover of an interrupted intent removed stray/v1"
rm -rf "$P/stray"

# a location that is another repository's store, or holds other data, or
# holds this repository's own catalog, is refused at init and on open
check_rc 0 "ingest" -- "$CUSTOS" ingest -r "$R" --id mine "$SCRATCH/dep"
printf '[location.theirs]\npath = %s\n[copies]\nrequired = 1\n' "$P" >"$SCRATCH/theirs.ini"
sum_tree "$P" >"$SCRATCH/p.before"
check_rc 2 "init on another repository's store" -- "$CUSTOS" init "$SCRATCH/other" --policy "$SCRATCH/theirs.ini"
check_grep "belongs to another repository" "$SCRATCH/err" "names the owner problem"
mkdir -p "$SCRATCH/data" && printf 'x\n' >"$SCRATCH/data/x"
printf '[location.d]\npath = %s\n[copies]\nrequired = 1\n' "$SCRATCH/data" >"$SCRATCH/data.ini"
check_rc 2 "init on a directory of other data" -- "$CUSTOS" init "$SCRATCH/other2" --policy "$SCRATCH/data.ini"
check_grep "holds files but no .custos-location" "$SCRATCH/err" "names the unmarked directory"
printf "[location.self]\npath = %s\n[copies]\nrequired = 1\n" "$SCRATCH/other3" >"$SCRATCH/self.ini"
check_rc 2 "init with the repository as its own location" -- "$CUSTOS" init "$SCRATCH/other3" --policy "$SCRATCH/self.ini"
check_grep "holds the repository's own files" "$SCRATCH/err" "names the catalog overlap"
# on open: the secondary swapped for another repository's store
check_rc 0 "init a second repository" -- "$CUSTOS" init "$SCRATCH/r2"
check_rc 0 "ingest into it" -- "$CUSTOS" ingest -r "$SCRATCH/r2" --id mine "$SCRATCH/dep"
mv "$S" "$SCRATCH/s.mine" && cp -a "$SCRATCH/r2/store/secondary" "$S"
sum_tree "$S" >"$SCRATCH/s2.before"
check_rc 2 "ingest with a foreign secondary" -- "$CUSTOS" ingest -r "$R" --id mine "$SCRATCH/dep"
check_grep "location 'secondary' at '$S' belongs to another repository" "$SCRATCH/err" "names the foreign location"
sum_tree "$S" >"$SCRATCH/s2.after"
cmp -s "$SCRATCH/s2.before" "$SCRATCH/s2.after" && ok || bad "the foreign store was changed"
sum_tree "$P" >"$SCRATCH/p.after"
cmp -s "$SCRATCH/p.before" "$SCRATCH/p.after" && ok || bad "a refused init or ingest changed the primary"
rm -rf "$S" && mv "$SCRATCH/s.mine" "$S"
check_rc 0 "own secondary back" -- "$CUSTOS" audit -r "$R" --all

# 1. FIFOs are refused by name, never waited on (timeout: a hang fails)
fifo_rc() {   # WANT WHAT FIFO_NAME -- COMMAND...: exit WANT, message names it
	local want=$1 what=$2 name=$3
	shift 4
	check_rc "$want" "$what" -- timed "$@"
	cat "$SCRATCH/out" "$SCRATCH/err" >"$SCRATCH/both"
	check_grep "$name' is \(a FIFO\|not a regular file\)" "$SCRATCH/both" "$what: names the FIFO"
}
for tag in bagit.txt bag-info.txt fetch.txt manifest-sha256.txt; do
	B=$SCRATCH/fifo-$tag
	check_rc 0 "bag for $tag" -- "$CUSTOS" bag "$SCRATCH/dep" --dest "$B"
	rm -f "$B/$tag" && mkfifo "$B/$tag"
	fifo_rc 1 "validate, $tag a FIFO" "$tag" -- "$CUSTOS" validate "$B"
	fifo_rc 1 "ingest, $tag a FIFO" "$tag" -- "$CUSTOS" ingest -r "$R" --id "f-${tag%%.*}" "$B"
done
mkfifo "$SCRATCH/fifo"
fifo_rc 2 "init --policy FIFO" "$SCRATCH/fifo" -- "$CUSTOS" init "$SCRATCH/r3" --policy "$SCRATCH/fifo"
fifo_rc 2 "policy check FIFO" "$SCRATCH/fifo" -- "$CUSTOS" policy check "$SCRATCH/fifo"
fifo_rc 2 "validate --profile FIFO" "$SCRATCH/fifo" -- "$CUSTOS" validate "$SCRATCH/fifo-bagit.txt" --profile "$SCRATCH/fifo"
check_rc 0 "a good bag" -- "$CUSTOS" bag "$SCRATCH/dep" --dest "$SCRATCH/good"
timed "$CUSTOS" ingest -r "$R" --id good "$SCRATCH/good" --profile "$SCRATCH/fifo" >"$SCRATCH/out" 2>&1
[ $? -ne 124 ] && ok || bad "ingest --profile FIFO hangs"
check_grep "$SCRATCH/fifo' is a FIFO" "$SCRATCH/out" "ingest --profile names the FIFO"
timed "$CUSTOS" identify "$SCRATCH/fifo" >"$SCRATCH/out" 2>&1
[ $? -ne 124 ] && ok || bad "identify FIFO hangs"
check_grep "$SCRATCH/fifo' is a FIFO" "$SCRATCH/out" "identify names the FIFO"
fifo_rc 2 "identify --signatures FIFO" "$SCRATCH/fifo" -- "$CUSTOS" identify --signatures "$SCRATCH/fifo" "$SCRATCH/dep/a.txt"
fifo_rc 1 "report --sign FIFO" "$SCRATCH/fifo" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/rep" --sign "$SCRATCH/fifo"
# a FIFO in place of a stored file is a finding naming it, not a hang
mv "$P/mine/v1/data/a.txt" "$SCRATCH/a.kept" && mkfifo "$P/mine/v1/data/a.txt"
check_rc 1 "audit with a FIFO in the primary" -- timed "$CUSTOS" audit -r "$R" --id mine
cat "$SCRATCH/out" "$SCRATCH/err" >"$SCRATCH/both"
check_grep "primary mine v1 data/a.txt: missing" "$SCRATCH/both" "audit names the file the FIFO replaced"
rm -f "$P/mine/v1/data/a.txt" && mv "$SCRATCH/a.kept" "$P/mine/v1/data/a.txt"

# 2. a symlinked version directory in a location: a finding, never a path
# to read, write, rename or link through
check_rc 0 "ingest for the symlink case" -- "$CUSTOS" ingest -r "$R" --id linked "$SCRATCH/dep"
mkdir -p "$SCRATCH/outside" && printf 'outside\n' >"$SCRATCH/outside/a.txt"
sum_tree "$SCRATCH/outside" >"$SCRATCH/outside.before"
mv "$S/linked/v1/data" "$SCRATCH/linked-data"
ln -s "$SCRATCH/outside" "$S/linked/v1/data"
check_rc 1 "audit --repair through a symlinked data/" -- "$CUSTOS" audit -r "$R" --id linked --repair
cat "$SCRATCH/out" "$SCRATCH/err" >"$SCRATCH/both"
check_grep "secondary linked v1 data/a.txt" "$SCRATCH/both" "the file behind the symlink is a finding"
check_grep "symlink" "$SCRATCH/both" "the symlink is named"
sum_tree "$SCRATCH/outside" >"$SCRATCH/outside.after"
cmp -s "$SCRATCH/outside.before" "$SCRATCH/outside.after" && ok || bad "repair wrote through the symlink"
[ -z "$(find "$S/.custos-quarantine" -samefile "$SCRATCH/outside/a.txt" 2>/dev/null)" ] && ok || bad "a file from outside was linked into quarantine"
[ "$(cat "$SCRATCH/outside/a.txt")" = outside ] && ok || bad "the outside file changed"
rm "$S/linked/v1/data" && mv "$SCRATCH/linked-data" "$S/linked/v1/data"
# the whole version directory a symlink: findings, nothing written outside
mv "$S/linked/v1" "$SCRATCH/linked-v1" && ln -s "$SCRATCH/outside" "$S/linked/v1"
check_rc 1 "audit --repair through a symlinked v1/" -- "$CUSTOS" audit -r "$R" --id linked --repair
cat "$SCRATCH/out" "$SCRATCH/err" >"$SCRATCH/both"
check_grep "secondary linked v1 data/a.txt: missing.*symlink" "$SCRATCH/both" "a symlinked version is a finding naming the symlink"
sum_tree "$SCRATCH/outside" >"$SCRATCH/outside.after"
cmp -s "$SCRATCH/outside.before" "$SCRATCH/outside.after" && ok || bad "repair wrote through the symlinked version"
rm "$S/linked/v1" && mv "$SCRATCH/linked-v1" "$S/linked/v1"
check_rc 0 "audit after the symlink is gone" -- "$CUSTOS" audit -r "$R" --id linked

# 4. one full location: what recover cannot finish is left for later,
# commands on other objects go ahead
F=$SCRATCH/full
mkdir -p "$F"
if mount -t tmpfs -o size=1m tmpfs "$F" 2>/dev/null; then
	printf '[location.primary]\npath = store/primary\n[location.small]\npath = %s/store\n[copies]\nrequired = 2\n' "$F" >"$SCRATCH/two.ini"
	Q=$SCRATCH/q
	check_rc 0 "init with a small secondary" -- "$CUSTOS" init "$Q" --policy "$SCRATCH/two.ini"
	check_rc 0 "ingest a small object" -- "$CUSTOS" ingest -r "$Q" --id small "$SCRATCH/dep"
	mkdir -p "$SCRATCH/big" && head -c 1500000 /dev/urandom >"$SCRATCH/big/big.bin"
	check_rc 3 "ingest that fills the secondary" -- "$CUSTOS" ingest -r "$Q" --id big "$SCRATCH/big"
	check_grep 'No space left on device' "$SCRATCH/err" "disk full message"
	sqlite3 "$Q/custos.db" "INSERT INTO ingests(txid, object, version, state, started) SELECT 'left0000left0000', 'big', 1, 'stored', '2020-01-01T00:00:00Z' WHERE NOT EXISTS (SELECT 1 FROM ingests)"
	rm -f "$Q/store/primary/small/v1/data/a.txt"
	check_rc 1 "audit --repair of another object" -- "$CUSTOS" audit -r "$Q" --id small --repair
	check_grep "cannot finish the interrupted ingest of 'big' v1 yet" "$SCRATCH/err" "names what is left"
	check_grep "No space left on device" "$SCRATCH/err" "says why"
	[ "$(cat "$Q/store/primary/small/v1/data/a.txt" 2>/dev/null)" = mine ] && ok || bad "small was not repaired"
	check_rc 0 "export of another object" -- "$CUSTOS" export -r "$Q" small "$SCRATCH/small-out"
	check_rc 3 "recover reports what is left" -- "$CUSTOS" recover -r "$Q"
	check_grep "1 interrupted operation could not be finished" "$SCRATCH/err" "recover counts it"
	[ "$(sqlite3 "$Q/custos.db" 'SELECT COUNT(*) FROM ingests')" = 1 ] && ok || bad "the intent was dropped"
	umount "$F"
else
	echo "SKIP: full-location test (cannot mount a tmpfs here)"
fi

# 5. a time budget never starves a file: one in flight at the deadline is
# finished; one that can never fit is reported not checked, exit 1
T=$SCRATCH/t
check_rc 0 "init for budgets" -- "$CUSTOS" init "$T"
mkdir -p "$SCRATCH/bud" && head -c 300000 /dev/urandom >"$SCRATCH/bud/mid.bin"
check_rc 0 "ingest for budgets" -- "$CUSTOS" ingest -r "$T" --id bud "$SCRATCH/bud"
# mid.bin (one in each of the two copies) takes 1.5 s at 200 kB/s: it fits
# a 2 s budget, but the second copy's is in flight at the deadline, and is
# finished, not dropped (dropped, it would be dropped again every run)
check_rc 0 "budget run finishes the file in flight" -- "$CUSTOS" audit -r "$T" --id bud --budget-time 2s --rate 200000 --json
[ "$(sqlite3 :memory: "SELECT json_extract(readfile('$SCRATCH/out'), '\$.checked.bytes') >= 600000")" = 1 ] && ok || bad "the file in flight was dropped: $(cat "$SCRATCH/out")"
# at 100 kB/s it needs 3 s, more than a 2 s budget: reported, exit 1
check_rc 1 "a file that never fits" -- "$CUSTOS" audit -r "$T" --id bud --budget-time 2s --rate 100000
check_grep "data/mid.bin: not-checked" "$SCRATCH/out" "names the file"
check_grep "300000 bytes at --rate 100000 bytes/s take longer than the --budget-time of 2 s" "$SCRATCH/out" "says why"
check_nogrep "next run continues" "$SCRATCH/out" "does not promise the next run"

report_done
