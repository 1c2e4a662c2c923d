#!/bin/bash
# tests/cli/crash.sh - crash safety. An ingest is killed (SIGKILL, like
# kill -9) at every crash point in turn (CUSTOS_CRASH_AT, core/crashpoint.h)
# for a directory, an archive and a bag deposit; recover itself is killed
# too; then ingests are killed at random moments. After each crash the
# repository must be consistent (check_consistent) and the source intact.
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
BAG=$CORPORA/bagit-conformance/v0.97/valid/bag-in-a-bag
sum_tree() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }
check_rc 0 init -- "$CUSTOS" init "$R"
sum_tree "$EX" >"$SCRATCH/before"
tar -C "$EX/.." -cf "$SCRATCH/deposit.tar" example-collection

crash_every_point() {
	local what=$1; shift
	local n=1 crashed=0
	rm -rf "$R" && "$CUSTOS" init "$R" >/dev/null || bad "$what: init"
	while [ $n -lt 200 ]; do
		CUSTOS_CRASH_AT=$n "$CUSTOS" ingest -r "$R" "$@" >/dev/null 2>&1
		local rc=$?
		[ $rc -eq 0 ] && break
		if [ $rc -ne 137 ]; then bad "$what: crash point $n: exit $rc, not a kill"; break; fi
		crashed=$((crashed + 1))
		check_consistent "$R" "$what, killed at crash point $n"
		n=$((n + 1))
	done
	[ $crashed -ge 5 ] && ok || bad "$what: only $crashed crash points exercised"
	echo "$what: killed at $crashed crash points, each recovered"
}

crash_every_point "directory ingest" "$EX" --info Source-Organization=Test
crash_every_point "archive ingest" "$SCRATCH/deposit.tar"
crash_every_point "bag ingest" "$BAG"

# recover killed while it works, then run again
CUSTOS_CRASH_AT=3 "$CUSTOS" ingest -r "$R" "$EX" >/dev/null 2>&1
CUSTOS_CRASH_AT=1 "$CUSTOS" recover -r "$R" >/dev/null 2>&1
[ $? -eq 137 ] && ok || bad "recover was not killed at its crash point"
check_consistent "$R" "recover killed and rerun"
n=$(sqlite3 "$R/custos.db" 'SELECT COUNT(*) FROM ingests')
[ "$n" = 0 ] && ok || bad "$n ingest intents left after recover"

# kill -9 at random moments during a larger deposit
mkdir -p "$SCRATCH/big"
for i in $(seq 1 40); do head -c 400000 /dev/urandom >"$SCRATCH/big/f$i.bin"; done
for delay in 0.02 0.05 0.1 0.2 0.35; do
	"$CUSTOS" ingest -r "$R" "$SCRATCH/big" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	check_consistent "$R" "kill -9 after ${delay}s"
done

# the mirrored log: killed right after a segment is written and right after
# a head is published, by an ingest and by an audit; recover finishes the
# mirror and the catalog, the log and the heads agree (check_consistent)
crash_at_log_points() {
	local what=$1; shift
	rm -f "$SCRATCH/points"
	CUSTOS_CRASH_LOG=$SCRATCH/points "$@" >/dev/null 2>&1
	local n=0 hit=0
	local order
	order=$(wc -l <"$SCRATCH/points")
	awk '$2 == "log:" { print $1 }' "$SCRATCH/points" >"$SCRATCH/lognums"
	[ -s "$SCRATCH/lognums" ] && ok || bad "$what: passes no log crash point ($order points)"
	while read -r n; do
		CUSTOS_CRASH_AT=$n "$@" >/dev/null 2>&1
		[ $? -eq 137 ] && ok || bad "$what: not killed at crash point $n"
		hit=$((hit + 1))
		check_consistent "$R" "$what, killed at $(sed -n "${n}p" "$SCRATCH/points" | cut -d' ' -f2-)"
	done <"$SCRATCH/lognums"
	echo "$what: killed at $hit log write points, each recovered"
}
crash_at_log_points "ingest (log mirror)" "$CUSTOS" ingest -r "$R" "$EX"
crash_at_log_points "audit (log mirror)" "$CUSTOS" audit -r "$R" --all

sum_tree "$EX" >"$SCRATCH/after"
cmp -s "$SCRATCH/before" "$SCRATCH/after" && ok || bad "the source changed"
grep -q 'interrupted ingest rolled back by recover' <("$CUSTOS" log -r "$R") && ok ||
	bad "the log does not say that an ingest was rolled back"
report_done
