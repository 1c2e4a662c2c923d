#!/bin/bash
# bench/audit_vs_validate.sh CUSTOS [MB] [FILES] - audit throughput against
# `custos validate` on the same bytes (issue 5 target: audit >= 90% of
# validate), warm cache. Both compute sha256 + sha512 (the default policy)
# in one read per file. Prints MB/s of each and the ratio. Not a test.
set -eu
C=$1 MB=${2:-512} N=${3:-64}
W=$(mktemp -d "${TMPDIR:-/tmp}/custos-bench-XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir "$W/src"
for i in $(seq 1 "$N"); do
	head -c $((MB * 1048576 / N)) /dev/urandom >"$W/src/f$i.bin"
done
"$C" init "$W/repo" >/dev/null
"$C" ingest -r "$W/repo" --id b "$W/src" >/dev/null
V=$W/repo/store/primary/b/v1
bytes=$(du -sb "$V/data" | cut -f1)
cat "$V"/data/* >/dev/null; cat "$W/repo/store/secondary/b/v1"/data/* >/dev/null
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
best_v=999 best_a=999
for _ in 1 2 3; do
	v=$(t "$C" validate "$V")
	# one copy per location: the audit reads twice the bytes
	a=$(t "$C" audit -r "$W/repo" --all)
	best_v=$(echo "if ($v < $best_v) $v else $best_v" | bc -l)
	best_a=$(echo "if ($a < $best_a) $a else $best_a" | bc -l)
done
vr=$(echo "$bytes / 1048576 / $best_v" | bc -l)
ar=$(echo "2 * $bytes / 1048576 / $best_a" | bc -l)
printf 'validate %.0f MB/s, audit %.0f MB/s (2 copies), ratio %.2f\n' "$vr" "$ar" \
	"$(echo "$ar / $vr" | bc -l)"
