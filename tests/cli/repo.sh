#!/bin/bash
# tests/cli/repo.sh - the repository from the command line: init, ingest
# of every source kind, refusals, versions, export round trips (bytes and
# digests equal to sha256sum's), concurrent writers, a tampered event log,
# and a full disk.
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
BTR=$CORPORA/bagit-profiles/btr/sample_bags
sum_tree() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }

check_rc 0 init -- "$CUSTOS" init "$R"
check_grep "2 storage locations" "$SCRATCH/out" init
check_rc 2 "init again" -- "$CUSTOS" init "$R"
check_rc 2 "not a repository" -- "$CUSTOS" ls -r "$SCRATCH"
check_rc 0 "ls empty" -- "$CUSTOS" ls -r "$R"

# every source kind; the source is never modified
sum_tree "$EX" >"$SCRATCH/ex.before"
check_rc 0 "ingest directory" -- "$CUSTOS" ingest -r "$R" --id letters "$EX"
check_grep '^letters v1: 7 files, 1581 bytes, 2 verified copies' "$SCRATCH/out" "ingest directory"
sum_tree "$EX" >"$SCRATCH/ex.after"
cmp -s "$SCRATCH/ex.before" "$SCRATCH/ex.after" && ok || bad "source changed by ingest"
check_rc 0 "ingest file" -- "$CUSTOS" ingest -r "$R" --id one-file "$EX/datasets/loans-1920.csv"
check_rc 0 "ingest bag dir" -- "$CUSTOS" ingest -r "$R" --id basic "$CORPORA/bagit-conformance/v0.97/valid/basic-bag"
check_rc 0 "ingest serialized bag" -- "$CUSTOS" ingest -r "$R" --id btr "$BTR/btr_good_sha512.tar"
tar -C "$EX/.." -czf "$SCRATCH/plain.tar.gz" example-collection
check_rc 0 "ingest plain archive" -- "$CUSTOS" ingest -r "$R" --id plain "$SCRATCH/plain.tar.gz" --json
check_grep '"status":"stored".*"files":7' "$SCRATCH/out" "ingest plain archive --json"

# the stored bag describes itself: format records and PREMIS, in the
# tag manifests, with the same event identifiers as the log
V=$R/store/secondary/letters/v1
check_grep '^data/photographs/gradient.png	fmt/11	Portable Network Graphics' "$V/metadata/formats.tsv" "formats.tsv"
check_grep ' metadata/premis.xml$' "$V/tagmanifest-sha256.txt" "premis.xml covered by the tag manifest"
check_grep '<premis:formatRegistryKey>fmt/11</premis:formatRegistryKey>' "$V/metadata/premis.xml" "premis file format"
ing=$(sqlite3 "$R/custos.db" "SELECT uuid FROM events WHERE type = 'ing' AND object = 'letters'")
check_grep "<premis:eventIdentifierValue>$ing</premis:eventIdentifierValue>" "$V/metadata/premis.xml" "premis event = log event"

# refusals: nothing stored, every problem named
check_rc 1 "refuse invalid bag" -- "$CUSTOS" ingest -r "$R" "$BTR/btr_bad_extraneous_file.tar"
check_grep 'unexpected-file' "$SCRATCH/out" "refusal names the extra file"
check_grep 'oxum-mismatch' "$SCRATCH/out" "refusal names the Oxum"
check_grep 'nothing was stored' "$SCRATCH/out" "refusal says nothing was stored"
mkdir -p "$SCRATCH/linky" && echo x >"$SCRATCH/linky/a" && ln -s /etc/passwd "$SCRATCH/linky/l"
check_rc 1 "refuse symlink" -- "$CUSTOS" ingest -r "$R" "$SCRATCH/linky"
check_rc 2 "missing source" -- "$CUSTOS" ingest -r "$R" "$SCRATCH/nope"
check_rc 2 "bad id" -- "$CUSTOS" ingest -r "$R" --id '../evil' "$EX"
n=$(sqlite3 "$R/custos.db" 'SELECT COUNT(*) FROM objects')
[ "$n" = 5 ] && ok || bad "expected 5 objects after refusals, got $n"

# versions: earlier ones stay
check_rc 0 "new version" -- "$CUSTOS" ingest -r "$R" --id letters "$EX/datasets"
check_grep '^letters v2: 2 files' "$SCRATCH/out" "new version"
check_rc 0 "ls" -- "$CUSTOS" ls -r "$R" --json
check_grep '"id":"letters","versions":2,"files":2' "$SCRATCH/out" "ls --json"
check_grep '"status":"ok"' "$SCRATCH/out" "ls status"
check_rc 0 "show" -- "$CUSTOS" show -r "$R" letters --version 1 --json
check_grep '"path":"data/datasets/loans-1920.csv"' "$SCRATCH/out" "show files"
check_grep '"location":"secondary","status":"ok"' "$SCRATCH/out" "show copies"

# export round trips: valid bags, identical bytes, sha256sum's digests
check_rc 0 "export dir v1" -- "$CUSTOS" export -r "$R" letters "$SCRATCH/exp" --version 1
check_rc 0 "exported bag valid" -- "$CUSTOS" validate "$SCRATCH/exp"
sum_tree "$SCRATCH/exp/data" >"$SCRATCH/exp.sums"
cmp -s "$SCRATCH/ex.before" "$SCRATCH/exp.sums" && ok || bad "exported bytes differ from the deposit"
(cd "$SCRATCH/exp" && sha256sum -c --quiet manifest-sha256.txt) && ok || bad "sha256sum disagrees with the manifest"
for f in zip tar tar.gz; do
	check_rc 0 "export $f" -- "$CUSTOS" export -r "$R" btr "$SCRATCH/btr.$f"
	check_rc 0 "validate export $f" -- "$CUSTOS" validate "$SCRATCH/btr.$f"
done
check_rc 0 "export v2 latest" -- "$CUSTOS" export -r "$R" letters "$SCRATCH/exp2"
[ -f "$SCRATCH/exp2/data/loans-1920.csv" ] && ok || bad "latest version not exported"
check_rc 2 "export exists" -- "$CUSTOS" export -r "$R" letters "$SCRATCH/exp2"
# a damaged primary is not handed out: the secondary copy is used
echo corrupted >>"$R/store/primary/one-file/v1/data/loans-1920.csv"
check_rc 0 "export skips damaged copy" -- "$CUSTOS" export -r "$R" one-file "$SCRATCH/one"
check_grep "from location 'secondary'" "$SCRATCH/out" "export used the good copy"
check_rc 0 "export is good" -- "$CUSTOS" validate "$SCRATCH/one"
cp "$R/store/secondary/one-file/v1/data/loans-1920.csv" "$R/store/primary/one-file/v1/data/loans-1920.csv"
# an incomplete copy (a file gone, or one too many) is not handed out either
mv "$R/store/primary/one-file/v1/data/loans-1920.csv" "$SCRATCH/held"
check_rc 0 "export skips incomplete copy" -- "$CUSTOS" export -r "$R" one-file "$SCRATCH/one-b"
check_grep "from location 'secondary'" "$SCRATCH/out" "export used the complete copy"
mv "$SCRATCH/held" "$R/store/primary/one-file/v1/data/loans-1920.csv"
echo extra >"$R/store/primary/one-file/v1/data/extra.txt"
check_rc 0 "export skips a copy with an extra file" -- "$CUSTOS" export -r "$R" one-file "$SCRATCH/one-c"
check_rc 0 "that export is valid" -- "$CUSTOS" validate "$SCRATCH/one-c"
rm "$R/store/primary/one-file/v1/data/extra.txt"

# two writers at once: both succeed, one after the other
"$CUSTOS" ingest -r "$R" --id c1 "$EX" >"$SCRATCH/c1" 2>&1 &
"$CUSTOS" ingest -r "$R" --id c2 "$EX" >"$SCRATCH/c2" 2>&1 &
wait %1 && wait %2 && ok || bad "concurrent ingests failed: $(cat "$SCRATCH/c1" "$SCRATCH/c2")"
check_consistent "$R" "after concurrent ingests"

# the event log: intact, then tampered
check_rc 0 "log" -- "$CUSTOS" log -r "$R" --object letters
check_grep ' ing  suc  letters@primary' "$SCRATCH/out" "log lists the ingest"
check_rc 0 "log verify" -- "$CUSTOS" log verify -r "$R"
cp "$R/custos.db" "$SCRATCH/tampered.db"
sqlite3 "$R/custos.db" "DROP TRIGGER events_no_update; UPDATE events SET record = replace(record, 'suc', 'fai') WHERE id = 5;"
check_rc 1 "tampered log" -- "$CUSTOS" log verify -r "$R"
check_grep 'BROKEN at event 5' "$SCRATCH/out" "names the edited event"
sqlite3 "$R/custos.db" "UPDATE events SET record = replace(record, 'fai', 'suc') WHERE id = 5; DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 7;"
check_rc 1 "deleted event" -- "$CUSTOS" log verify -r "$R"
check_grep 'BROKEN at event 8' "$SCRATCH/out" "names the gap"
# every column of an event row is checked against its hashed record
# (the columns are what ls, show and the report count from)
for edit in "uuid = 'x' || uuid" "type = 'rep'" "datetime = '2020-01-01T00:00:00Z'" \
	"outcome = CASE outcome WHEN 'suc' THEN 'fai' ELSE 'suc' END" \
	"object = object || 'x'" "version = version + 1" "location = 'elsewhere'"; do
	col=${edit%% *}
	cp "$SCRATCH/tampered.db" "$R/custos.db" && rm -f "$R/custos.db-wal" "$R/custos.db-shm"
	sqlite3 "$R/custos.db" "DROP TRIGGER events_no_update; UPDATE events SET $edit
		WHERE id = (SELECT MIN(id) FROM events WHERE location IS NOT NULL AND version IS NOT NULL);"
	check_rc 1 "$col column edited" -- "$CUSTOS" log verify -r "$R"
	check_grep "its $col column differs from its record" "$SCRATCH/out" "names the $col column"
done

# a full disk: exit 3, a clear message, nothing half-registered
F=$SCRATCH/full
mkdir -p "$F"
if mount -t tmpfs -o size=2m tmpfs "$F" 2>/dev/null; then
	printf '[location.small]\npath = %s/store\n[copies]\nrequired = 1\n' "$F" >"$SCRATCH/small.ini"
	check_rc 0 "init small" -- "$CUSTOS" init "$SCRATCH/small" --policy "$SCRATCH/small.ini"
	mkdir -p "$SCRATCH/big" && head -c 3000000 /dev/urandom >"$SCRATCH/big/big.bin"
	check_rc 3 "disk full" -- "$CUSTOS" ingest -r "$SCRATCH/small" "$SCRATCH/big"
	check_grep 'No space left on device' "$SCRATCH/err" "disk full message"
	n=$(sqlite3 "$SCRATCH/small/custos.db" 'SELECT COUNT(*) FROM versions')
	[ "$n" = 0 ] && ok || bad "a version was registered despite the full disk"
	check_consistent "$SCRATCH/small" "after a full disk"
	check_rc 0 "small file still fits" -- "$CUSTOS" ingest -r "$SCRATCH/small" "$EX"
	umount "$F"
else
	missing "the full-disk test needs to mount a tmpfs (root, or a container allowed to mount)"
fi
report_done
