#!/bin/bash
# bench/rebuild_vs_validate.sh CUSTOS [FILES] [OBJECTS] - `custos rebuild`
# against `custos validate --completeness-only` over the same bags (issue 13
# target: rebuild at most 2x). FILES small files in OBJECTS deposits, two
# locations; warm cache; best of 3. Rebuild reads every bag's manifests,
# formats.tsv and listing once and writes the catalog; validate reads the
# manifests and lists the payload of each bag in one location. Not a test.
set -eu
C=$1 N=${2:-100000} K=${3:-10}
W=$(mktemp -d "${TMPDIR:-/tmp}/custos-bench-XXXXXX")
trap 'rm -rf "$W"' EXIT
"$C" init "$W/repo" >/dev/null
per=$((N / K))
for k in $(seq 1 "$K"); do
	mkdir -p "$W/src$k"
	(cd "$W/src$k" && for i in $(seq 1 "$per"); do
		d=$((i % 100)); mkdir -p "d$d"; printf 'file %d of deposit %d\n' "$i" "$k" >"d$d/f$i.txt"
	done)
	"$C" ingest -q -r "$W/repo" --id "o$k" "$W/src$k" >/dev/null
	rm -rf "$W/src$k"
done
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
validate_all() { for k in $(seq 1 "$K"); do "$C" validate --completeness-only "$W/repo/store/primary/o$k/v1" || return 1; done; }
rebuild() { rm -f "$W/repo/custos.db" "$W/repo/custos.db-wal" "$W/repo/custos.db-shm"; "$C" rebuild -q -r "$W/repo"; }
best_v=999999 best_r=999999
for _ in 1 2 3; do
	v=$(t validate_all)
	r=$(t rebuild)
	best_v=$(echo "if ($v < $best_v) $v else $best_v" | bc -l)
	best_r=$(echo "if ($r < $best_r) $r else $best_r" | bc -l)
done
files=$(sqlite3 "$W/repo/custos.db" "SELECT COUNT(*) FROM files")
# peak memory of one rebuild (KiB), where GNU time is there
rm -f "$W/repo/custos.db"
mem=$( { command time -f %M "$C" rebuild -q -r "$W/repo" >/dev/null; } 2>&1 | tail -1) || mem=?
printf 'files %s: validate --completeness-only %.2f s, rebuild %.2f s, ratio %.2f; rebuild peak RSS %s KiB\n' \
	"$files" "$best_v" "$best_r" "$(echo "$best_r / $best_v" | bc -l)" "$mem"
