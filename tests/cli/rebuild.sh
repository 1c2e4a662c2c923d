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
report_done
