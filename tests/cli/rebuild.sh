#!/bin/bash
# tests/cli/rebuild.sh - losing the catalog loses nothing. The event log is
# mirrored into every location with its heads, so `log verify` names a
# catalog whose tail was cut, one rolled back to an older copy, one emptied
# to 0 bytes and one replaced by another repository's; `custos rebuild`
# makes the catalog anew from the locations alone (also with one location
# gone), and `custos backup` keeps a consistent copy of it.
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
DB=$R/custos.db
put_back() { rm -f "$DB-wal" "$DB-shm"; cp "$1" "$DB"; }
# ndsa DIR CELL: the status of an NDSA cell in the report in DIR
ndsa() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/report.json"))
print([c["status"] for a in d["ndsa"]["areas"].values() for c in a["cells"] if c["cell"] == sys.argv[2]][0])' "$1" "$2"; }

check_rc 0 init -- "$CUSTOS" init "$R"
check_rc 0 "ingest letters" -- "$CUSTOS" ingest -r "$R" --id letters "$EX"
cp "$DB" "$SCRATCH/older.db"
check_rc 0 "ingest more" -- "$CUSTOS" ingest -r "$R" --id more "$EX/correspondence"
check_rc 0 "audit" -- "$CUSTOS" audit -r "$R" --all
check_rc 0 "log verify, honest" -- "$CUSTOS" log verify -r "$R"
check_grep 'reaches the newest head' "$SCRATCH/out" "honest log verify"
check_log_mirrored "$R" "after ingest and audit" && ok
cp "$DB" "$SCRATCH/honest.db"
events=$(sqlite3 "$DB" "SELECT COUNT(*) FROM events")
# NDSA M1b: the inventory's log is in every location; I2c: no catalog backup yet
check_rc 0 "report, no backup" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/rep-nobackup"
[ "$(ndsa "$SCRATCH/rep-nobackup" M1b)" = met ] && ok || bad "M1b $(ndsa "$SCRATCH/rep-nobackup" M1b) with the log in every location"
[ "$(ndsa "$SCRATCH/rep-nobackup" I2c)" = "not met" ] && ok || bad "I2c $(ndsa "$SCRATCH/rep-nobackup" I2c) without a catalog backup"

# the last events deleted (the append-only triggers dropped first)
sqlite3 "$DB" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > $events - 3"
check_rc 1 "cut tail" -- "$CUSTOS" log verify -r "$R"
check_grep "^event log CUT: .*events $((events - 2)) to $events are missing" "$SCRATCH/out" "cut tail named"
check_rc 2 "a writer refuses a cut catalog" -- "$CUSTOS" ingest -r "$R" "$EX/datasets"
check_grep 'the catalog is behind' "$SCRATCH/err" "cut catalog refused"

# an older copy of the catalog put back
put_back "$SCRATCH/older.db"
check_rc 1 "rolled back" -- "$CUSTOS" log verify -r "$R"
check_grep '^catalog ROLLED BACK: the catalog is an older copy of itself' "$SCRATCH/out" "rollback named"

# custos.db truncated to 0 bytes
put_back "$SCRATCH/honest.db"; : >"$DB"
check_rc 1 "empty" -- "$CUSTOS" log verify -r "$R"
check_grep '^catalog EMPTY: .*0 bytes' "$SCRATCH/out" "empty catalog named"

# another repository's catalog in its place
check_rc 0 "init another" -- "$CUSTOS" init "$SCRATCH/other"
put_back "$SCRATCH/other/custos.db"
check_rc 1 "replaced" -- "$CUSTOS" log verify -r "$R"
check_grep '^catalog REPLACED: the catalog is not this repository' "$SCRATCH/out" "replaced named"

# the same repository's catalog with a rewritten history (same identity)
put_back "$SCRATCH/honest.db"
sqlite3 "$DB" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 3"
sqlite3 "$DB" "DROP TRIGGER events_no_update; UPDATE events SET record = replace(record, 'suc', 'fai') WHERE id = 3"
check_rc 1 "rewritten" -- "$CUSTOS" log verify -r "$R"
check_grep 'BROKEN at event 3\|REPLACED' "$SCRATCH/out" "rewritten history named"

put_back "$SCRATCH/honest.db"
check_rc 0 "log verify, restored" -- "$CUSTOS" log verify -r "$R"

# custos backup: a consistent copy with its digest, recorded as an event
check_rc 0 "backup" -- "$CUSTOS" backup -r "$R" "$SCRATCH/copy.db"
sum=$(sha256sum "$SCRATCH/copy.db" | cut -d' ' -f1)
check_grep "^$sum  $SCRATCH/copy.db\$" "$SCRATCH/out" "backup prints its digest"
[ "$(sqlite3 "$SCRATCH/copy.db" "PRAGMA integrity_check")" = ok ] && ok || bad "the backup is not a sound database"
[ "$(sqlite3 "$SCRATCH/copy.db" "SELECT COUNT(*) FROM events")" = "$events" ] && ok || bad "the backup does not hold the log as it was"
check_grep "consistent copy of the catalog written to '$SCRATCH/copy.db' (sha256 $sum" <("$CUSTOS" log -r "$R") "backup recorded as an event"
check_rc 2 "backup over a file" -- "$CUSTOS" backup -r "$R" "$SCRATCH/copy.db"
events=$(sqlite3 "$DB" "SELECT COUNT(*) FROM events")
cp "$DB" "$SCRATCH/honest.db"

# what docs/operations.md says to do when the catalog's disk dies: the same
# steps. Before the loss: a report, and each object as `show --json` has it.
objects() { sqlite3 "$DB" "SELECT ident FROM objects ORDER BY ident"; }
snapshot() {
	mkdir -p "$SCRATCH/$1"
	for o in $(objects); do "$CUSTOS" show -r "$R" "$o" --json >"$SCRATCH/$1/$o.json"; done
	objects >"$SCRATCH/$1/objects"
}
same_as_before() {
	cmp -s "$SCRATCH/before/objects" "$SCRATCH/$1/objects" && ok ||
		bad "$1: objects $(tr '\n' ' ' <"$SCRATCH/$1/objects"), before $(tr '\n' ' ' <"$SCRATCH/before/objects")"
	for f in "$SCRATCH"/before/*.json; do
		cmp -s "$f" "$SCRATCH/$1/$(basename "$f")" && ok ||
			bad "$1: show --json $(basename "$f" .json) differs after rebuild"
	done
}
check_rc 0 "report before the loss" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/report-before"
[ "$(ndsa "$SCRATCH/report-before" I2c)" = met ] && ok || bad "I2c $(ndsa "$SCRATCH/report-before" I2c) after a catalog backup"
[ "$(ndsa "$SCRATCH/report-before" M1b)" = met ] && ok || bad "M1b $(ndsa "$SCRATCH/report-before" M1b) after a catalog backup"
snapshot before
files=$(sqlite3 "$DB" "SELECT COUNT(*) FROM files")
digests=$(sqlite3 "$DB" "SELECT group_concat(path || sha256 || sha512 || coalesce(puid, '-'), ',') FROM (SELECT * FROM files ORDER BY version_id, path)")

rm -f "$DB" "$DB-wal" "$DB-shm"
check_rc 2 "a lost catalog is not a repository" -- "$CUSTOS" ls -r "$R"
check_rc 0 "rebuild" -- "$CUSTOS" rebuild -r "$R"
check_grep "^catalog rebuilt from the storage locations: 2 objects, 2 versions, $files files, 4 copies (0 missing); $events events" "$SCRATCH/out" "rebuild summary"
snapshot after
same_as_before after
[ "$(sqlite3 "$DB" "SELECT group_concat(path || sha256 || sha512 || coalesce(puid, '-'), ',') FROM (SELECT * FROM files ORDER BY version_id, path)")" = "$digests" ] && ok ||
	bad "the files' digests and formats differ after rebuild"
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM policies")" = 1 ] && ok || bad "the policy history was not restored"
check_rc 0 "log verify after rebuild" -- "$CUSTOS" log verify -r "$R"
check_grep "intact: $events events.*reaches the newest head" "$SCRATCH/out" "rebuilt log reaches the head"
check_rc 0 "log consistency with the report made before the loss" -- "$CUSTOS" log consistency -r "$R" "$SCRATCH/report-before"
check_rc 0 "audit --all after rebuild" -- "$CUSTOS" audit -r "$R" --all
check_grep ' 0 findings' "$SCRATCH/out" "clean audit after rebuild"
check_log_mirrored "$R" "after rebuild and audit" && ok

# rebuild never replaces a catalog unless told, and then keeps the old one
check_rc 2 "rebuild over a catalog" -- "$CUSTOS" rebuild -r "$R"
check_grep "exists: rebuild replaces a catalog only with --force" "$SCRATCH/err" "refusal said"
cp "$DB" "$SCRATCH/kept.db"
check_rc 0 "rebuild --force" -- "$CUSTOS" rebuild -r "$R" --force
aside=$(ls "$R" | grep '^custos.db.replaced-' | head -1)
[ -n "$aside" ] && cmp -s "$R/$aside" "$SCRATCH/kept.db" && ok || bad "the old catalog was not moved aside intact ($aside)"

# a file missing from the copy rebuild reads: the bag is read line by line
# (not in step with its listing), the file is still in the catalog with
# every digest and its format, and the gap is named
victim=$(cd "$R/store/primary/letters/v1" && ls data/correspondence | head -1)
mv "$R/store/primary/letters/v1/data/correspondence/$victim" "$SCRATCH/victim"
check_rc 1 "rebuild with a file missing" -- "$CUSTOS" rebuild -r "$R" --force
check_grep "gap: location 'primary': 1 of the 7 files of letters/v1 are missing" "$SCRATCH/err" "missing file named"
[ "$(sqlite3 "$DB" "SELECT group_concat(path || sha256 || sha512 || coalesce(puid, '-'), ',') FROM (SELECT * FROM files ORDER BY version_id, path)")" = "$digests" ] && ok ||
	bad "a file missing from one copy: the digests and formats differ after rebuild"
mv "$SCRATCH/victim" "$R/store/primary/letters/v1/data/correspondence/$victim"
check_rc 0 "rebuild once the file is back" -- "$CUSTOS" rebuild -r "$R" --force
rm -f "$R"/custos.db.replaced-*

# with one location deleted: the other gives everything, the gap is named
events=$(sqlite3 "$DB" "SELECT COUNT(*) FROM events")
rm -rf "$R/store/secondary" "$DB" "$DB-wal" "$DB-shm"
du -s "$R/store/primary" >"$SCRATCH/primary-before"
check_rc 1 "rebuild with a location lost" -- "$CUSTOS" rebuild -r "$R"
check_grep "gap: location 'secondary' cannot be read" "$SCRATCH/err" "lost location named"
check_grep "2 objects, 2 versions, $files files, 2 copies (2 missing); $events events from location 'primary'" "$SCRATCH/out" "rebuilt from the other location"
du -s "$R/store/primary" | cmp -s - "$SCRATCH/primary-before" && ok || bad "rebuild wrote into storage"
[ ! -e "$R/store/secondary" ] && ok || bad "rebuild wrote into the lost location"
snapshot lost
for o in $(objects); do
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps([d["versions"], d["files"]]))' "$SCRATCH/before/$o.json" >"$SCRATCH/b"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps([d["versions"], d["files"]]))' "$SCRATCH/lost/$o.json" >"$SCRATCH/a"
	cmp -s "$SCRATCH/b" "$SCRATCH/a" && ok || bad "one location lost: $o's versions or files differ"
done
check_rc 0 "log verify, one location lost" -- "$CUSTOS" log verify -r "$R"
check_rc 0 "log consistency, one location lost" -- "$CUSTOS" log consistency -r "$R" "$SCRATCH/report-before"
# [catalog] backup = yes: a copy into every location after each writing
# command, the newest three kept, each with its digest
cp -a "$SCRATCH/other" "$SCRATCH/backed"
printf '\n[catalog]\nbackup = yes\n' >>"$SCRATCH/backed/policy.ini"
for d in correspondence datasets photographs; do
	check_rc 0 "ingest under backup = yes" -- "$CUSTOS" ingest -r "$SCRATCH/backed" "$EX/$d"
done
check_rc 0 "audit under backup = yes" -- "$CUSTOS" audit -r "$SCRATCH/backed" --all
for loc in primary secondary; do
	copies=$(ls "$SCRATCH/backed/store/$loc/.custos-log/catalog" | wc -l)
	[ "$copies" = 3 ] && ok || bad "$loc keeps $copies catalog copies, want 3"
	newest=$(ls "$SCRATCH/backed/store/$loc/.custos-log/catalog" | sort | tail -1)
	(cd "$SCRATCH/backed/store/$loc/.custos-log/catalog/$newest" && sha256sum -c --quiet custos.db.sha256) && ok ||
		bad "$loc: the newest catalog copy does not match its digest"
done
check_rc 0 "log verify under backup = yes" -- "$CUSTOS" log verify -r "$SCRATCH/backed"
[ "$(sqlite3 "$SCRATCH/backed/custos.db" "SELECT COUNT(*) FROM events WHERE type = 'cre'")" = 4 ] && ok ||
	bad "not every backup was recorded"

# the audit names every copy of the lost location (it is unavailable)
check_rc 3 "audit --all, one location lost" -- "$CUSTOS" audit -r "$R" --all
check_grep 'storage-unavailable' "$SCRATCH/out" "lost copies named by the audit"
report_done
