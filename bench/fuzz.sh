#!/bin/bash
# bench/fuzz.sh - run every libFuzzer target in tests/fuzz for a while each,
# seeded from the project's own corpora. Not part of CI: a run takes
# (number of targets) x SECONDS. What a target finds is left in
# $WORK/TARGET/crash-* (and leak-*, timeout-*); turn each into a
# regression test before fixing it.
#
#   bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]      (default 600, all)
#   WORK=/tmp/custos-fuzz JOBS=2 bench/fuzz.sh 120 fuzz_bagparsers
#
# Seeds: tests/corpora (BagIt suites, PRONOM signature files, format
# samples) when present, tests/resources and policies/, and the folders
# in $SEEDS (space-separated), each file cut to 64 KiB. Every target's corpus grows in $WORK/TARGET/corpus across runs.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/custos-fuzz}
BUILD=$WORK/build
SECONDS_EACH=${1:-600}
[ $# -gt 0 ] && shift
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(fuzz_bagparsers fuzz_bagarchive fuzz_policy
				    fuzz_sigfile fuzz_container fuzz_container_sigs)

CC=${CC:-clang} cmake -S "$SRC" -B "$BUILD" -DCUSTOS_FUZZ=ON -DCUSTOS_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"${JOBS:-2}" --target "${TARGETS[@]}" >/dev/null

# seed_files FIND-ARGS...: files under the project's corpora that match
seed_files() {
	local dirs=()
	for d in tests/corpora tests/resources policies; do
		[ -d "$SRC/$d" ] && dirs+=("$SRC/$d")
	done
	for d in ${SEEDS:-}; do [ -d "$d" ] && dirs+=("$d"); done
	find "${dirs[@]}" -type f "$@" -size -64M 2>/dev/null | sort | head -n 2000
}

# add_seed CORPUS FILE [PREFIX_BYTE]: one seed, cut to 64 KiB; the prefix
# byte is the parser selector of fuzz_bagparsers.
add_seed() {
	local out
	out=$1/seed-$(printf '%s%s' "${3:-}" "$2" | sha1sum | cut -c1-16)
	if [ -n "${3:-}" ]; then
		{ printf "\\x$(printf %02x "$3")"; head -c 65535 "$2"; } >"$out"
	else
		head -c 65536 "$2" >"$out"
	fi
}

seed() {
	local target=$1 corpus=$2 f
	case $target in
	fuzz_bagparsers)
		# selector (first byte) % 6: 0,1 bag-info / bagit.txt, 2 manifest,
		# 3 fetch.txt, 4 paths, 5 encodings (see the target)
		seed_files \( -name 'bag*.txt' -o -name 'package-info.txt' \) |
			while read -r f; do add_seed "$corpus" "$f" 0; add_seed "$corpus" "$f" 1; done
		seed_files -name '*manifest-*.txt' | while read -r f; do add_seed "$corpus" "$f" 2; done
		seed_files -name 'fetch.txt' | while read -r f; do add_seed "$corpus" "$f" 3; add_seed "$corpus" "$f" 4; done
		seed_files -name 'bag-info.txt' | head -50 | while read -r f; do add_seed "$corpus" "$f" 5; done ;;
	fuzz_bagarchive)
		seed_files \( -name '*.tar' -o -name '*.zip' -o -name '*.tgz' -o -name '*.tar.gz' \
			-o -name '*.7z' \) | while read -r f; do add_seed "$corpus" "$f"; done ;;
	fuzz_policy)
		seed_files \( -name '*.ini' -o -name '*.policy' -o -path '*policies/*' \) |
			while read -r f; do add_seed "$corpus" "$f"; done ;;
	fuzz_sigfile)
		seed_files -name 'DROID_SignatureFile*.xml' | while read -r f; do add_seed "$corpus" "$f"; done ;;
	fuzz_container_sigs)
		seed_files -name 'container-signature*.xml' | while read -r f; do add_seed "$corpus" "$f"; done ;;
	fuzz_container)
		seed_files \( -name '*.doc' -o -name '*.xls' -o -name '*.ppt' -o -name '*.docx' \
			-o -name '*.xlsx' -o -name '*.odt' -o -name '*.zip' -o -name '*.msg' \
			-o -name '*.epub' -o -name '*.jar' \) | while read -r f; do add_seed "$corpus" "$f"; done ;;
	esac
}

status=0
for t in "${TARGETS[@]}"; do
	dir=$WORK/$t
	mkdir -p "$dir/corpus"
	seed "$t" "$dir/corpus"
	echo "== $t: ${SECONDS_EACH}s from $(ls "$dir/corpus" | wc -l) inputs"
	if ! (cd "$dir" && "$BUILD/tests/fuzz/$t" -max_total_time="$SECONDS_EACH" \
		-max_len=65536 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		corpus >"$dir/log" 2>&1); then
		echo "   FOUND something: see $dir/log and $dir/crash-* $dir/leak-* $dir/timeout-*"
		status=1
	fi
	tail -n 12 "$dir/log" | grep -E 'stat::number_of_executed_units|stat::new_units_added' | sed 's/^/   /'
done
exit $status
