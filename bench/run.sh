#!/usr/bin/env bash
# bench/run.sh - the benchmark of issue 2: `custos validate` against plain
# baselines (rawread, sha256sum, sha512sum, b3sum), warm and cold cache,
# printed as the ratios the issue's targets are stated in.
#
# Not a test: ctest never runs it, and it takes minutes and gigabytes.
#
# Usage:  bench/run.sh            (from anywhere; needs a Release build)
#   cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DCUSTOS_TESTS=OFF
#   cmake --build build-rel -j2
#
# What it does:
#   1. Makes under $BENCH_DIR (default bench/work/) three bags with sha256 +
#      sha512 manifests (`custos bag SRC --dest BAG`), reused if present:
#        large: BENCH_LARGE_FILES x BENCH_LARGE_MB MiB random files (4 x 512)
#        small: BENCH_SMALL_FILES x BENCH_SMALL_KB KiB random files (50000 x 4)
#        huge:  1 x BENCH_HUGE_MB MiB file (2048), only for peak memory;
#               BENCH_HUGE_MB=0 skips it, BENCH_KEEP_HUGE=0 deletes it after.
#   2. Times each command warm (one run to warm, then best of BENCH_RUNS) and
#      cold (`sync; echo 3 > /proc/sys/vm/drop_caches` before each run, best
#      of BENCH_RUNS; skipped, and said so, when not root or not permitted):
#        custos validate BAG (default --jobs), rawread BAG/data,
#        sha256sum, sha256sum + sha512sum in parallel (xargs -P2), b3sum.
#   3. Prints the targets as ratios, and writes them to $BENCH_DIR/results.txt:
#        large warm:  custos MiB/s / (2 cores x combined sha256+sha512 rate
#                     of `openssl speed`, 1/(1/r256 + 1/r512))   >= 0.90
#        small warm/cold: custos files/s / rawread files/s      >= 0.70
#        peak RSS of custos validate (small bag, huge bag)      < 100 MiB
#      and custos against sha256sum and b3sum (custos computes sha256 AND
#      sha512, the baselines one digest each).
#
# Cold cache means the guest's page cache is dropped; on a VM the host may
# still cache the virtual disk, so cold figures vary from run to run (all
# runs are printed, not only the best).
#
# Each timed line shows the best wall time, the CPU time of that run, and
# "others": CPU seconds other processes used meanwhile (0 on an idle
# machine; on a shared one it says how much the figure is disturbed).
#
# Environment: BENCH_DIR, BENCH_BUILD (default build-rel), BENCH_CUSTOS
# (a custos binary to try instead of BENCH_BUILD's), BENCH_RUNS (3),
# BENCH_LARGE_FILES, BENCH_LARGE_MB, BENCH_SMALL_FILES, BENCH_SMALL_KB,
# BENCH_HUGE_MB, BENCH_KEEP_HUGE (1), BENCH_COLD (1; 0 skips cold runs),
# BENCH_RESULTS (default $BENCH_DIR/results.txt), BENCH_QUIET_WAIT (60:
# seconds to wait before each timed run for other processes to go quiet;
# 0 never waits), BENCH_BASELINES (1; 0 times only custos and rawread, to
# compare a custos build quickly).
# Quick run: BENCH_LARGE_MB=16 BENCH_SMALL_FILES=2000 BENCH_HUGE_MB=64 bench/run.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build-rel}
WORK=${BENCH_DIR:-$ROOT/bench/work}
RUNS=${BENCH_RUNS:-3}
LARGE_FILES=${BENCH_LARGE_FILES:-4}
LARGE_MB=${BENCH_LARGE_MB:-512}
SMALL_FILES=${BENCH_SMALL_FILES:-50000}
SMALL_KB=${BENCH_SMALL_KB:-4}
HUGE_MB=${BENCH_HUGE_MB:-2048}
KEEP_HUGE=${BENCH_KEEP_HUGE:-1}
COLD=${BENCH_COLD:-1}
QUIET_WAIT=${BENCH_QUIET_WAIT:-60}
BASELINES=${BENCH_BASELINES:-1}
CUSTOS=${BENCH_CUSTOS:-$BUILD/cli/custos}
RAWREAD=$BUILD/bench/rawread
NCPU=$(nproc)

die() { echo "run.sh: $*" >&2; exit 2; }
note() { echo "# $*" | tee -a "$LOG"; }

[ -x "$CUSTOS" ] || die "no $CUSTOS: build Release first (see the top of this file)"
[ -x "$RAWREAD" ] || die "no $RAWREAD: build Release first"
mkdir -p "$WORK"
RESULTS=${BENCH_RESULTS:-$WORK/results.txt}
LOG=$WORK/results.tmp
: >"$LOG"

HAVE_B3SUM=1
command -v b3sum >/dev/null || { HAVE_B3SUM=0; }
TIMECMD=/usr/bin/time
[ -x "$TIMECMD" ] || TIMECMD=

# --- making the bags --------------------------------------------------------

# make_bag NAME FILES BYTES_PER_FILE FILES_PER_DIR: $WORK/NAME/bag, reused
# when its bagit.txt and tag manifests are there (custos bag writes the bag
# under a temporary name and renames it when complete).
make_bag() {
	local nfiles=$2 size=$3 perdir=$4 dir=$WORK/$1
	if [ -f "$dir/bag/bagit.txt" ] && [ -f "$dir/bag/manifest-sha512.txt" ]; then
		note "reusing $dir/bag"
		return
	fi
	note "making $dir/bag: $nfiles x $size bytes"
	rm -rf "$dir"
	mkdir -p "$dir/src"
	local left=$nfiles d=0 n
	while [ "$left" -gt 0 ]; do
		n=$(( left < perdir ? left : perdir ))
		mkdir -p "$dir/src/d$d"
		# one random stream cut into files: fast for 50,000 small ones
		head -c $(( n * size )) /dev/urandom |
			(cd "$dir/src/d$d" && split -b "$size" -a 6 -d - f)
		left=$(( left - n )); d=$(( d + 1 ))
	done
	"$CUSTOS" bag "$dir/src" --dest "$dir/bag" >/dev/null
	rm -rf "$dir/src"
}

# --- timing -----------------------------------------------------------------

CAN_DROP=0
if [ "$COLD" = 1 ]; then
	if sync && (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then
		CAN_DROP=1
	fi
fi

# busy_ticks: CPU ticks (USER_HZ) the whole machine has spent busy.
busy_ticks() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# wait_quiet: on a shared machine, wait (up to $QUIET_WAIT seconds) until
# other processes use under a fifth of the CPUs over half a second, so
# that a timed run starts on an idle machine when there is one.
wait_quiet() {
	local waited=0 b0 b1 frac
	[ "$QUIET_WAIT" -gt 0 ] || return 0
	while [ "$waited" -lt "$QUIET_WAIT" ]; do
		b0=$(busy_ticks); sleep 0.5; b1=$(busy_ticks)
		frac=$(awk -v a="$b0" -v b="$b1" -v hz="$(getconf CLK_TCK)" -v n="$NCPU" \
			'BEGIN { printf "%d", 100 * (b - a) / hz / 0.5 / n }')
		[ "$frac" -lt 20 ] && return 0
		sleep 1; waited=$(( waited + 2 ))
	done
	QUIET_TIMEOUTS=$(( QUIET_TIMEOUTS + 1 ))
}
QUIET_TIMEOUTS=0

# run_once CMD...: one run, output discarded, failure fatal. Sets RUN_WALL,
# RUN_CPU (user + sys of CMD and its children) and RUN_OTHER (CPU seconds
# other processes took meanwhile: the noise of a shared machine).
run_once() {
	local TIMEFORMAT='%3R %3U %3S' rc=0 b0 b1 u s
	b0=$(busy_ticks)
	{ time "$@" >/dev/null 2>"$WORK/last.err"; } 2>"$WORK/time.txt" || rc=$?
	b1=$(busy_ticks)
	if [ "$rc" != 0 ]; then
		cat "$WORK/last.err" >&2
		die "failed ($rc): $*"
	fi
	read -r RUN_WALL u s <"$WORK/time.txt"
	RUN_CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')
	RUN_OTHER=$(awk -v a="$b0" -v b="$b1" -v c="$RUN_CPU" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { o = (b - a) / hz - c; printf "%.2f", (o < 0) ? 0 : o }')
}

# best MODE CMD...: the run with the lowest wall time of $RUNS runs: BEST,
# BEST_CPU, BEST_OTHER; ALL lists every wall time. MODE warm runs once
# first; MODE cold drops the page cache before each run.
best() {
	local mode=$1 i
	shift
	ALL='' BEST=''
	if [ "$mode" = warm ]; then "$@" >/dev/null 2>&1 || true; fi
	for (( i = 0; i < RUNS; i++ )); do
		if [ "$mode" = cold ]; then
			sync; echo 3 >/proc/sys/vm/drop_caches
		fi
		wait_quiet
		run_once "$@"
		ALL="$ALL $RUN_WALL"
		if [ -z "$BEST" ] ||
		   awk -v t="$RUN_WALL" -v b="$BEST" 'BEGIN { exit !(t < b) }'; then
			BEST=$RUN_WALL BEST_CPU=$RUN_CPU BEST_OTHER=$RUN_OTHER
		fi
	done
}

declare -A T    # T[set.mode.tool] = best wall seconds
declare -A CPU  # CPU[set.mode.tool] = CPU seconds of that run
declare -A OTH  # OTH[set.mode.tool] = CPU seconds others took meanwhile

# measure SET MODE TOOL CMD...
measure() {
	local key=$1.$2.$3 mode=$2
	shift 3
	best "$mode" "$@"
	T[$key]=$BEST CPU[$key]=$BEST_CPU OTH[$key]=$BEST_OTHER
	printf '%-22s best %7.3f s  cpu %7.3f s  others %5.2f cpu-s  runs:%s\n' \
		"$key" "$BEST" "$BEST_CPU" "$BEST_OTHER" "$ALL" | tee -a "$LOG"
}

# --- the baselines as commands ----------------------------------------------

sums_large() {   # sha256sum + sha512sum of the large files, 2 processes
	printf '%s\0' sha256sum sha512sum |
		xargs -0 -P2 -I{} sh -c '"$0" "$@" >/dev/null' {} "$@"
}
sha256_small() { find "$1" -type f -print0 | xargs -0 -P2 -n 1000 sha256sum; }
b3_small() { find "$1" -type f -print0 | xargs -0 -P2 -n 1000 b3sum; }

# bench_set SET: every tool on $WORK/SET/bag, warm and cold.
bench_set() {
	local set=$1 bag=$WORK/$1/bag mode files
	mapfile -t files < <(find "$bag/data" -type f | sort)
	for mode in warm cold; do
		if [ "$mode" = cold ] && [ "$CAN_DROP" = 0 ]; then
			continue
		fi
		measure "$set" "$mode" custos "$CUSTOS" validate "$bag"
		measure "$set" "$mode" rawread "$RAWREAD" "$bag/data"
		if [ "$BASELINES" = 0 ]; then
			continue
		elif [ "$set" = large ]; then
			measure "$set" "$mode" sha256sum sha256sum "${files[@]}"
			measure "$set" "$mode" sha256+512 sums_large "${files[@]}"
			if [ "$HAVE_B3SUM" = 1 ]; then
				measure "$set" "$mode" b3sum b3sum "${files[@]}"
			fi
		else
			measure "$set" "$mode" sha256sum sha256_small "$bag/data"
			if [ "$HAVE_B3SUM" = 1 ]; then
				measure "$set" "$mode" b3sum b3_small "$bag/data"
			fi
		fi
	done
}

# peak_rss BAG: max resident set of `custos validate BAG` in KiB, the
# highest of $RUNS runs.
peak_rss() {
	local i k m=0
	for (( i = 0; i < RUNS; i++ )); do
		"$TIMECMD" -f %M -o "$WORK/rss.txt" "$CUSTOS" validate "$1" >/dev/null
		k=$(tail -n 1 "$WORK/rss.txt")
		if [ "$k" -gt "$m" ]; then m=$k; fi
	done
	echo "$m"
}

# openssl_rate ALG: best bytes/s of 3 one-core `openssl speed` runs, 1 MiB
# blocks.
openssl_rate() {
	local i r b=0
	for i in 1 2 3; do
		r=$(openssl speed -mr -evp "$1" -bytes 1048576 -seconds 2 2>/dev/null |
			awk -F: '$1 == "+F" { print $4 }')
		b=$(awk -v r="$r" -v b="$b" 'BEGIN { print (r > b) ? r : b }')
	done
	echo "$b"
}

# --- main -------------------------------------------------------------------

note "custos bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $NCPU cores, $(uname -r)"
note "custos: $CUSTOS ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
note "best of $RUNS runs; warm = after one untimed run; load average at start: $(cut -d" " -f1-3 /proc/loadavg)"
if [ "$COLD" != 1 ]; then
	note "cold cache: skipped (BENCH_COLD=0)"
elif [ "$CAN_DROP" = 0 ]; then
	note "cold cache: SKIPPED, cannot drop caches here (needs root: sync; echo 3 > /proc/sys/vm/drop_caches)"
fi
[ "$HAVE_B3SUM" = 1 ] || note "b3sum: MISSING (apt-get install b3sum); its rows are skipped"
[ -n "$TIMECMD" ] || note "/usr/bin/time: MISSING (apt-get install time); peak memory skipped"

make_bag large "$LARGE_FILES" $(( LARGE_MB << 20 )) "$LARGE_FILES"
make_bag small "$SMALL_FILES" $(( SMALL_KB << 10 )) 1000
if [ "$HUGE_MB" -gt 0 ]; then make_bag huge 1 $(( HUGE_MB << 20 )) 1; fi

R256=$(openssl_rate sha256)
R512=$(openssl_rate sha512)
note "openssl speed, 1 core, 1 MiB blocks: sha256 $R256 B/s, sha512 $R512 B/s"

bench_set large
bench_set small

RSS_SMALL='' RSS_HUGE=''
if [ -n "$TIMECMD" ]; then
	RSS_SMALL=$(peak_rss "$WORK/small/bag")
	if [ "$HUGE_MB" -gt 0 ]; then RSS_HUGE=$(peak_rss "$WORK/huge/bag"); fi
	if [ "$HUGE_MB" -gt 0 ] && [ "$KEEP_HUGE" = 0 ]; then
		rm -rf "$WORK/huge"
	fi
fi

LARGE_BYTES=$(find "$WORK/large/bag/data" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
NSMALL=$(find "$WORK/small/bag/data" -type f | wc -l)

# --- the table --------------------------------------------------------------

# t SET.MODE.TOOL: the best time, or empty
t() { echo "${T[$1]:-}"; }

{
echo
echo "== throughput =="
for key in $(printf '%s\n' "${!T[@]}" | sort); do
	case $key in
	large.*) awk -v k="$key" -v t="${T[$key]}" -v b="$LARGE_BYTES" \
		'BEGIN { printf "%-22s %8.3f s %9.1f MiB/s\n", k, t, b / t / 1048576 }' ;;
	small.*) awk -v k="$key" -v t="${T[$key]}" -v n="$NSMALL" \
		'BEGIN { printf "%-22s %8.3f s %9.0f files/s\n", k, t, n / t }' ;;
	esac
done
echo
echo "== targets and ratios (ratio > 1: custos faster) =="
awk -v b="$LARGE_BYTES" -v t="$(t large.warm.custos)" -v r256="$R256" \
    -v cpu="${CPU[large.warm.custos]}" \
    -v r512="$R512" -v n="$NCPU" 'BEGIN {
	c = 1 / (1 / r256 + 1 / r512)
	printf "CPU limit: %d cores x %.1f MiB/s (sha256+sha512 on one core) = %.1f MiB/s\n",
		n, c / 1048576, n * c / 1048576
	r = (b / t) / (n * c)
	printf "%-46s %6.3f  target >= 0.90  %s\n", "large warm: custos / CPU limit", r,
		(r >= 0.90) ? "MET" : "MISSED"
	printf "%-46s %6.3f  (1.0: as little CPU per byte as openssl speed)\n",
		"large warm: custos CPU efficiency", (b / cpu) / c }'
for mode in warm cold; do
	[ -n "$(t small.$mode.custos)" ] || { echo "small $mode: not measured"; continue; }
	awk -v c="$(t small.$mode.custos)" -v r="$(t small.$mode.rawread)" -v m="$mode" 'BEGIN {
		q = r / c
		printf "%-46s %6.3f  target >= 0.70  %s\n", "small " m ": custos / rawread files/s", q,
			(q >= 0.70) ? "MET" : "MISSED" }'
done
for key in $(printf '%s\n' "${!T[@]}" | sort); do
	case $key in *.custos) continue ;; esac
	set=${key%%.*} rest=${key#*.} mode=${rest%%.*} tool=${rest#*.}
	awk -v c="$(t "$set.$mode.custos")" -v o="${T[$key]}" \
	    -v l="$set $mode: custos / $tool" 'BEGIN {
		printf "%-46s %6.3f\n", l, o / c }'
done
echo "(custos computes sha256 AND sha512 of every file; sha256sum and b3sum one digest)"
echo "timed runs that found no quiet moment in ${QUIET_WAIT} s: $QUIET_TIMEOUTS"
for key in $(printf '%s\n' "${!T[@]}" | sort); do
	awk -v k="$key" -v t="${T[$key]}" -v o="${OTH[$key]}" -v n="$NCPU" 'BEGIN {
		f = o / (t * n)
		if (f > 0.10)
			printf "noise: during %s other processes used %.0f%% of the machine\n",
				k, 100 * f }'
done
for pair in "small:$RSS_SMALL" "huge:$RSS_HUGE"; do
	set=${pair%%:*} k=${pair#*:}
	[ -n "$k" ] || { echo "peak RSS $set: not measured"; continue; }
	awk -v s="$set" -v k="$k" 'BEGIN {
		printf "%-46s %6.1f MiB  target < 100  %s\n", "peak RSS custos validate, " s " bag",
			k / 1024, (k / 1024 < 100) ? "MET" : "MISSED" }'
done
} | tee -a "$LOG"

mv "$LOG" "$RESULTS"
rm -f "$WORK/last.err" "$WORK/rss.txt" "$WORK/time.txt"
echo "results: $RESULTS"
