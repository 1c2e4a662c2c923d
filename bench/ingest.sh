#!/bin/bash
# bench/ingest.sh - `custos ingest` against `cp -r` of the same tree to the
# same disk (issue 4 targets): a few large files, and many small ones.
# The policy has one location, sha256 + sha512, identification on and
# verify_after_write off (then on: at most one extra read). Best of 3,
# page cache warm; prints ratios, since absolute times here are noisy.
# Usage: bench/ingest.sh [CUSTOS] [WORKDIR]
set -euo pipefail
custos=$(realpath "${1:-build/cli/custos}")
work=${2:-bench/work/ingest}
large_mb=${BENCH_LARGE_MB:-512}
large_n=${BENCH_LARGE_FILES:-4}
small_n=${BENCH_SMALL_FILES:-50000}
mkdir -p "$work"
work=$(realpath "$work")

make_sets() {
	if [ ! -d "$work/large" ]; then
		mkdir -p "$work/large"
		for i in $(seq 1 "$large_n"); do
			head -c $((large_mb * 1048576)) /dev/urandom >"$work/large/f$i.bin"
		done
	fi
	if [ ! -d "$work/small" ]; then
		mkdir -p "$work/small"
		for d in $(seq 0 99); do mkdir -p "$work/small/d$d"; done
		head -c $((small_n * 4096)) /dev/urandom | split -b 4096 -a 6 - "$work/small/tmp-"
		i=0
		for f in "$work"/small/tmp-*; do
			mv "$f" "$work/small/d$((i % 100))/f$i"
			i=$((i + 1))
		done
	fi
}

policy() {  # $1: verify yes|no
	printf '[fixity]\nalgorithms = sha256, sha512\nverify_after_write = %s\n' "$1"
	printf '[location.primary]\npath = store\n[copies]\nrequired = 1\n'
}

secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
best3() { local b=999999 t; for _ in 1 2 3; do t=$("$@"); b=$(echo "if ($t < $b) $t else $b" | bc); done; echo "$b"; }

run_cp() { rm -rf "$work/cp-out"; sync; secs cp -r "$1" "$work/cp-out"; }
cp_sync() { cp -r "$1" "$2" && sync; }
run_cp_sync() { rm -rf "$work/cp-out"; sync; secs cp_sync "$1" "$work/cp-out"; }
run_ingest() {  # $1 set $2 verify
	rm -rf "$work/repo" && policy "$2" >"$work/policy.ini"
	"$custos" init "$work/repo" --policy "$work/policy.ini" >/dev/null
	sync
	secs "$custos" ingest -r "$work/repo" "$1"
}

make_sets
cat "$work"/large/* "$work"/small/*/* >/dev/null 2>&1 || true   # warm the cache
for set in large small; do
	cp_t=$(best3 run_cp "$work/$set")
	cs_t=$(best3 run_cp_sync "$work/$set")
	in_t=$(best3 run_ingest "$work/$set" no)
	iv_t=$(best3 run_ingest "$work/$set" yes)
	echo "$set: cp -r ${cp_t}s, cp -r + sync ${cs_t}s, ingest ${in_t}s (verify off), ${iv_t}s (verify on)"
	echo "  ingest speed / (cp -r + sync) speed = $(echo "scale=2; $cs_t / $in_t" | bc)  (verify off; ingest fsyncs every file)"
	echo "  ingest speed / cp -r speed = $(echo "scale=2; $cp_t / $in_t" | bc)  (verify off)"
	echo "  ingest time / cp -r time   = $(echo "scale=2; $in_t / $cp_t" | bc)  (verify off)"
	echo "  verify on / verify off     = $(echo "scale=2; $iv_t / $in_t" | bc)"
done
rm -rf "$work/repo" "$work/cp-out"
