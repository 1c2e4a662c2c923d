#!/bin/bash
# tests/cli/audit.sh - `custos audit` on a repository with two locations:
# every kind of damage to the secondary copy is named for the right file
# (changed, missing, unexpected, moved, ambiguous move, empty file moved,
# tag-invalid, unreadable through an injected read fault,
# storage-unavailable), repair end to end then a clean audit, budget and
# resume (every file once, none twice), --notify, and the event log.
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
P=$R/store/primary
S=$R/store/secondary

# findings of the last --json output as "LOCATION OBJECT PATH STATE MOVED_TO"
findings() {
	sqlite3 :memory: "SELECT json_extract(value, '\$.location') || ' ' ||
		json_extract(value, '\$.object') || ' ' || json_extract(value, '\$.path') ||
		' ' || json_extract(value, '\$.state') || ' ' ||
		coalesce(json_extract(value, '\$.moved_to'), '-')
		FROM json_each(readfile('$SCRATCH/out'), '\$.findings')" >"$SCRATCH/found"
}
# check_finding "LINE" WHAT: LINE is one of the findings
check_finding() {
	if grep -qxF -e "$1" "$SCRATCH/found"; then ok; else
		bad "$2: no finding '$1' (have: $(tr '\n' '|' <"$SCRATCH/found"))"
	fi
}
jget() { sqlite3 :memory: "SELECT json_extract(readfile('$SCRATCH/out'), '$1')"; }
q() { sqlite3 "$R/custos.db" "$1"; }

check_rc 0 init -- "$CUSTOS" init "$R"
check_rc 0 "ingest example" -- "$CUSTOS" ingest -r "$R" --id ex "$EX"
mkdir -p "$SCRATCH/mine/sub"
printf 'alpha\n' >"$SCRATCH/mine/a.txt"
: >"$SCRATCH/mine/empty.txt"
printf 'twin\n' >"$SCRATCH/mine/dup.txt"
printf 'solo\n' >"$SCRATCH/mine/sub/solo.txt"
check_rc 0 "ingest mine" -- "$CUSTOS" ingest -r "$R" --id mine "$SCRATCH/mine"

# usage
check_rc 2 "two selections" -- "$CUSTOS" audit -r "$R" --all --due
check_rc 2 "bad budget" -- "$CUSTOS" audit -r "$R" --budget-time 5
check_rc 2 "bad rate" -- "$CUSTOS" audit -r "$R" --rate fast
check_rc 2 "unknown id" -- "$CUSTOS" audit -r "$R" --id nope

# fresh copies: nothing is due; --all checks all 4 copies, 22 files
check_rc 0 "due after ingest" -- "$CUSTOS" audit -r "$R" --json
[ "$(jget '$.checked.copies')" = 0 ] && ok || bad "fresh copies were due"
check_rc 0 "clean --all" -- "$CUSTOS" audit -r "$R" --all --json
[ "$(jget '$.checked.files')" = 22 ] && ok || bad "clean --all read $(jget '$.checked.files') files, want 22"
[ "$(jget '$.findings')" = "[]" ] && ok || bad "clean audit has findings"

# damage the secondary copy in every way
echo more >>"$S/ex/v1/data/README.txt"
rm "$S/ex/v1/data/datasets/loans-1920.json"
echo surplus >"$S/ex/v1/data/extra.txt"
mv "$S/ex/v1/data/photographs/gradient.png" "$S/ex/v1/data/photographs/renamed.png"
sed -i '1s/^./0/' "$S/ex/v1/manifest-sha512.txt"
cp "$S/mine/v1/data/dup.txt" "$S/mine/v1/data/x1.txt"
mv "$S/mine/v1/data/dup.txt" "$S/mine/v1/data/sub/x2.txt"
mv "$S/mine/v1/data/empty.txt" "$S/mine/v1/data/empty2.txt"

check_rc 1 "damaged --all" -- "$CUSTOS" audit -r "$R" --all --json
findings
check_finding "secondary ex data/README.txt changed -" changed
check_finding "secondary ex data/datasets/loans-1920.json missing -" missing
check_finding "secondary ex data/extra.txt unexpected -" unexpected
check_finding "secondary ex data/photographs/gradient.png moved data/photographs/renamed.png" moved
check_finding "secondary ex manifest-sha512.txt tag-invalid -" tag-invalid
check_finding "secondary mine data/dup.txt moved data/sub/x2.txt" "ambiguous move"
check_finding "secondary mine data/empty.txt missing -" "empty file is missing, not moved"
check_finding "secondary mine data/empty2.txt unexpected -" "empty file elsewhere is unexpected"
[ "$(wc -l <"$SCRATCH/found")" = 8 ] && ok || bad "want 8 findings, got $(wc -l <"$SCRATCH/found")"
grep -q primary "$SCRATCH/found" && bad "the intact primary has findings" || ok
check_grep '"state":"changed","expected":"a1990bea312aa20bbc9fae150d25dea2e123507756575367ba99e46a2ec585f0","actual":"99a2de3b' "$SCRATCH/out" "changed names both digests"
check_grep '"ambiguous":\["data/sub/x2.txt","data/x1.txt"\]' "$SCRATCH/out" "ambiguous move names every candidate"
# the text form names the same files, one line each
check_rc 1 "damaged text" -- "$CUSTOS" audit -r "$R" --id ex
check_grep '^secondary ex v1 data/README.txt: changed' "$SCRATCH/out" "text finding"
check_grep 'audit run [0-9]*: 2 copies, .* 5 findings' "$SCRATCH/out" "text summary"

# evidence: one fixity event per copy per run, failures with digests
run=$(q "SELECT MAX(id) FROM audit_runs")
n=$(q "SELECT COUNT(*) FROM events WHERE type = 'fix' AND record LIKE '%audit run $run (%'")
[ "$n" = 2 ] && ok || bad "run $run wrote $n fixity events, want 2"
q "SELECT record FROM events WHERE type = 'fix' AND location = 'secondary' ORDER BY id DESC LIMIT 1" >"$SCRATCH/ev"
check_grep 'eventOutcome/fai' "$SCRATCH/ev" "failed fixity outcome"
check_grep 'data/README.txt: changed; expected a1990bea[0-9a-f]*; actual 99a2de3b' "$SCRATCH/ev" "outcome note digests"
[ "$(q "SELECT ended IS NOT NULL AND files = 12 AND findings = 5 AND bytes > 0 FROM audit_runs WHERE id = $run")" = 1 ] && ok || bad "audit_runs row incomplete: $(q "SELECT * FROM audit_runs WHERE id = $run")"
[ "$(q "SELECT status FROM copies c JOIN locations l ON l.id = c.location_id JOIN versions v ON v.id = c.version_id JOIN objects o ON o.id = v.object_id WHERE l.name = 'secondary' AND o.ident = 'ex'")" = damaged ] && ok || bad "damaged copy not marked"

# an audit without repair takes no repository lock: it runs while another
# writer holds it (flock(1) stands in for a long ingest)
if command -v flock >/dev/null; then
	flock "$R/lock" timeout 60 "$CUSTOS" audit -r "$R" --id ex >"$SCRATCH/locked" 2>&1
	[ $? = 1 ] && ok || bad "audit under a held lock: $(cat "$SCRATCH/locked")"
else
	missing "flock is not installed (util-linux): an audit under a held lock was not tried"
fi

# --notify: once per run, the JSON summary on stdin, only with findings
check_rc 1 "notify" -- "$CUSTOS" audit -r "$R" --id ex --notify "cat >>'$SCRATCH/notes'"
[ "$(wc -l <"$SCRATCH/notes")" = 1 ] && ok || bad "notify ran $(wc -l <"$SCRATCH/notes") times"
check_grep '"state":"tag-invalid"' "$SCRATCH/notes" "notify gets the findings"
check_rc 3 "failing notify" -- "$CUSTOS" audit -r "$R" --id ex --notify "exit 4"

# an injected read error: unreadable, for that file only
CUSTOS_FAULT_READ=mine/v1/data/a.txt check_rc 1 "read fault" -- "$CUSTOS" audit -r "$R" --id mine --json
findings
check_finding "primary mine data/a.txt unreadable -" "unreadable (primary)"
check_finding "secondary mine data/a.txt unreadable -" "unreadable (secondary)"
grep -q 'sub/solo.txt' "$SCRATCH/found" && bad "fault hit another file" || ok

# repair end to end, then a clean audit
check_rc 1 "repair" -- "$CUSTOS" audit -r "$R" --all --repair --json
[ "$(jget '$.repaired')" != "[]" ] && ok || bad "nothing repaired"
check_grep '"path":"data/README.txt","from":"primary"' "$SCRATCH/out" "repaired from the verified copy"
[ "$(sqlite3 :memory: "SELECT COUNT(*) FROM json_each(readfile('$SCRATCH/out'), '\$.findings') WHERE json_extract(value, '\$.repaired') = 0")" = 0 ] && ok || bad "unrepaired findings"
check_rc 0 "clean after repair" -- "$CUSTOS" audit -r "$R" --all --json
[ "$(jget '$.findings')" = "[]" ] && ok || bad "findings after repair: $(cat "$SCRATCH/out")"
diff -r -x .custos-quarantine -x .custos-staging -x .custos-location -x .custos-log "$P" "$S" >/dev/null && ok || bad "copies differ after repair"
[ -f "$S/.custos-quarantine/"*/ex/v1/data/README.txt ] && ok || bad "damaged README not kept in quarantine"
grep -q more "$S/.custos-quarantine/"*/ex/v1/data/README.txt && ok || bad "quarantined README is not the damaged one"
q "SELECT type || ' ' || (SELECT substr(outcome, 1, 3)) FROM events WHERE object = 'ex' AND location = 'secondary' ORDER BY id" | tail -4 >"$SCRATCH/chain"
rep_rel=$(q "SELECT json_extract(record, '\$.related_event') FROM events WHERE type = 'rep' AND object = 'ex' ORDER BY id DESC LIMIT 1")
[ "$(q "SELECT json_extract(record, '\$.outcome') FROM events WHERE uuid = '$rep_rel'")" = "http://id.loc.gov/vocabulary/preservation/eventOutcome/fai" ] && ok || bad "replication is not linked to the failed fixity check"
rep_uuid=$(q "SELECT uuid FROM events WHERE type = 'rep' AND object = 'ex' ORDER BY id DESC LIMIT 1")
[ "$(q "SELECT COUNT(*) FROM events WHERE type = 'fix' AND outcome LIKE '%suc' AND record LIKE '%$rep_uuid%'")" = 1 ] && ok || bad "no passing fixity check after the replication"
q "SELECT record FROM events WHERE type = 'qua' AND object = 'ex' ORDER BY id DESC LIMIT 1" >"$SCRATCH/qua"
check_grep 'data/README.txt: kept at .custos-quarantine/' "$SCRATCH/qua" "quarantine event names what was kept"
check_consistent "$R" "after repair"

# more damage: a lost tag manifest, a stray tag file, a lost bag-info, a
# directory where a file was, a whole version folder gone; one repair run
# fixes all of it
check_rc 0 "ingest gone" -- "$CUSTOS" ingest -r "$R" --id gone "$SCRATCH/mine"
rm "$S/ex/v1/tagmanifest-sha256.txt"
echo x >"$S/ex/v1/metadata/extra.txt"
rm "$S/mine/v1/bag-info.txt"
rm "$S/mine/v1/data/a.txt" && mkdir "$S/mine/v1/data/a.txt" && echo y >"$S/mine/v1/data/a.txt/inner"
rm -r "$S/gone/v1"
check_rc 1 "more damage" -- "$CUSTOS" audit -r "$R" --all --json
findings
check_finding "secondary ex tagmanifest-sha256.txt tag-invalid -" "lost tag manifest"
check_finding "secondary ex metadata/extra.txt unexpected -" "untagged tag file"
check_finding "secondary mine bag-info.txt tag-invalid -" "lost bag-info"
check_finding "secondary mine data/a.txt missing -" "file turned directory"
check_finding "secondary mine data/a.txt/inner unexpected -" "file in the directory"
check_finding "secondary gone data/sub/solo.txt missing -" "lost version: payload"
check_finding "secondary gone bagit.txt tag-invalid -" "lost version: bagit.txt"
grep -q primary "$SCRATCH/found" && bad "the intact primary has findings" || ok
check_rc 1 "repair more" -- "$CUSTOS" audit -r "$R" --all --repair
check_rc 0 "clean after more repair" -- "$CUSTOS" audit -r "$R" --all
diff -r -x .custos-quarantine -x .custos-staging -x .custos-location -x .custos-log "$P" "$S" >/dev/null && ok || bad "copies differ after the second repair"
check_consistent "$R" "after the second repair"

# a repair killed after staging, and one killed after the swap: the next
# repair run finishes, no stage is left, the copy is whole (killed after
# the swap, the replication event is missing: see audit/README.md)
for n in 1 2; do
	echo rot >>"$S/ex/v1/data/README.txt"
	CUSTOS_CRASH_AT=$n "$CUSTOS" audit -r "$R" --id ex --repair >/dev/null 2>&1
	[ $? = 137 ] && ok || bad "repair was not killed at crash point $n"
	# killed after the swap (2), the file is already good
	check_rc $((2 - n)) "repair after crash $n" -- "$CUSTOS" audit -r "$R" --id ex --repair
	check_rc 0 "clean after crash $n" -- "$CUSTOS" audit -r "$R" --id ex
	[ -z "$(ls -A "$S/.custos-staging")" ] && ok || bad "stage left after crash $n: $(ls "$S/.custos-staging")"
done

# --all also finds what lies outside every version: a stray version
# folder, a file at the root (reported, left alone)
cp -r "$S/mine/v1" "$S/mine/v7"
echo j >"$S/junk.txt"
check_rc 1 "strays" -- "$CUSTOS" audit -r "$R" --all --json
findings
check_finding "secondary mine v7/data/a.txt unexpected -" "stray version"
check_finding "secondary  junk.txt unexpected -" "stray root file"
[ "$(grep -c . "$SCRATCH/found")" = "$(($(find "$S/mine/v7" -type f | wc -l) + 1))" ] && ok || bad "strays: $(tr '\n' '|' <"$SCRATCH/found")"
rm -r "$S/mine/v7" "$S/junk.txt"

# no good copy: the loss is reported, never 'repaired'
echo rot >>"$P/mine/v1/data/sub/solo.txt"
echo rot >>"$S/mine/v1/data/sub/solo.txt"
check_rc 1 "loss" -- "$CUSTOS" audit -r "$R" --id mine --repair
check_grep 'LOSS: mine v1 .data/sub/solo.txt.' "$SCRATCH/err" "loss reported loudly"
printf 'solo\n' >"$P/mine/v1/data/sub/solo.txt"
printf 'solo\n' >"$S/mine/v1/data/sub/solo.txt"
check_rc 0 "restored by hand" -- "$CUSTOS" audit -r "$R" --id mine

# the location root gone: storage-unavailable, never missing; exit 3
mv "$S" "$SCRATCH/away"
check_rc 3 "unavailable" -- "$CUSTOS" audit -r "$R" --all --json
findings
check_finding "secondary ex  storage-unavailable -" "unavailable ex"
check_finding "secondary mine  storage-unavailable -" "unavailable mine"
grep -q missing "$SCRATCH/found" && bad "unavailable storage reported as missing" || ok
[ "$(jget '$.not_checked')" = 15 ] && ok || bad "not_checked $(jget '$.not_checked'), want 15"
# an unmounted mount point: the root is there but empty
mkdir "$S"
check_rc 3 "unmounted" -- "$CUSTOS" audit -r "$R" --all --json
findings
check_finding "secondary gone  storage-unavailable -" "unmounted"
grep -q missing "$SCRATCH/found" && bad "an empty mount point reported as missing" || ok
rmdir "$S"
mv "$SCRATCH/away" "$S"

# budget and resume: start a fresh cycle, then budget-limited runs until
# nothing is due: every file read exactly once, each run within budget
check_rc 0 "complete cycle" -- "$CUSTOS" audit -r "$R" --all
q "UPDATE copies SET last_verified = '2000-01-01T00:00:00Z'"
total=$(q "SELECT SUM(size) FROM files f JOIN copies c ON c.version_id = f.version_id")
files=0 bytes=0 runs=0
while [ $runs -lt 10 ]; do
	check_rc 0 "budget run $runs" -- "$CUSTOS" audit -r "$R" --due --budget-bytes 1600 --json
	[ "$(jget '$.checked.copies')" = 0 ] && break
	b=$(jget '$.checked.bytes')
	[ "$b" -le 1600 ] && ok || bad "budget run $runs read $b bytes"
	files=$((files + $(jget '$.checked.files'))) bytes=$((bytes + b)) runs=$((runs + 1))
done
[ $runs -ge 2 ] && ok || bad "the budget did not split the audit ($runs runs)"
[ $files = 30 ] && ok || bad "budgeted runs read $files files, want 30 (each once)"
[ $bytes = "$total" ] && ok || bad "budgeted runs read $bytes bytes, want $total"
[ "$(q "SELECT COUNT(*) FROM copies WHERE last_verified < '2001'")" = 0 ] && ok || bad "a copy's cycle did not complete"
# an interrupted cycle resumes with --all too, oldest first
check_rc 0 "all, budget" -- "$CUSTOS" audit -r "$R" --all --budget-bytes 100 --json
f1=$(jget '$.checked.files')
check_rc 0 "all, rest" -- "$CUSTOS" audit -r "$R" --all --json
f2=$(jget '$.checked.files')
[ $((f1 + f2)) = 30 ] && ok || bad "interrupted --all then --all read $f1 + $f2 files, want 30"

check_rc 0 "log verify" -- "$CUSTOS" log verify -r "$R"

# the policy's sample: extra random files from copies that are not due,
# which do not count for (or close) a cycle
R2=$SCRATCH/repo2
sed 's/^sample = 0 /sample = 1 /; s/^mode = manual /mode = auto /' \
	"$(dirname "$0")/../../policies/default.ini" >"$SCRATCH/sample.ini"
check_rc 0 "init sample" -- "$CUSTOS" init "$R2" --policy "$SCRATCH/sample.ini"
check_rc 0 "ingest sample" -- "$CUSTOS" ingest -r "$R2" --id mine "$SCRATCH/mine"
check_rc 0 "sample cycle" -- "$CUSTOS" audit -r "$R2" --all
before=$(sqlite3 "$R2/custos.db" "SELECT group_concat(last_verified || cycle) FROM copies")
check_rc 0 "sample run" -- "$CUSTOS" audit -r "$R2" --due --json
[ "$(jget '$.checked.files')" = 8 ] && ok || bad "sample 1 read $(jget '$.checked.files') files, want 8"
[ "$(sqlite3 "$R2/custos.db" "SELECT group_concat(last_verified || cycle) FROM copies")" = "$before" ] && ok || bad "a sample changed the cycle"
sqlite3 "$R2/custos.db" "SELECT record FROM events WHERE type = 'fix' ORDER BY id DESC LIMIT 1" >"$SCRATCH/ev"
check_grep 'random sample, 4 of 4 files' "$SCRATCH/ev" "sample event"

# policy repair mode auto: repaired without --repair
echo rot >>"$R2/store/primary/mine/v1/data/a.txt"
check_rc 1 "auto repair" -- "$CUSTOS" audit -r "$R2" --all --json
check_grep '"repaired":\[{"object":"mine","version":1,"location":"primary","path":"data/a.txt","from":"secondary"' "$SCRATCH/out" "auto repair from the secondary"
check_rc 0 "clean after auto repair" -- "$CUSTOS" audit -r "$R2" --all

# a time budget stops handing out files (at the rate, every file fits the
# budget but all of them together take longer, whatever the machine; a
# file that could never fit is hostile.sh's case)
check_rc 0 "time budget" -- "$CUSTOS" audit -r "$R" --all --budget-time 1s --rate 1000/s --jobs 1 --json
[ "$(jget '$.budget_reached')" = 1 ] && ok || bad "time budget not reached"
[ "$(jget '$.checked.files')" -lt 30 ] && ok || bad "time budget read every file"
report_done
