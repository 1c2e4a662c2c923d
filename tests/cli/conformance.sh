#!/bin/bash
# tests/cli/conformance.sh - every Linux case of the Library of Congress
# BagIt conformance suite: valid -> 0, invalid and linux-only -> 1 with an
# error, warning -> 0 with a warning printed. --json is checked on each.
. "$(dirname "$0")/lib.sh"
SUITE=$CORPORA/bagit-conformance
[ -d "$SUITE" ] || { echo "no conformance suite at $SUITE"; exit 1; }

n=0
for dir in "$SUITE"/v*/*/*/; do
	kind=$(basename "$(dirname "$dir")")
	name=${dir#"$SUITE"/}
	case $kind in
	valid)
		check_rc 0 "$name" -- "$CUSTOS" validate "$dir"
		check_nogrep '^error' "$SCRATCH/out" "$name" ;;
	invalid|linux-only)
		check_rc 1 "$name" -- "$CUSTOS" validate "$dir"
		check_grep '^error: ' "$SCRATCH/out" "$name" ;;
	warning)
		check_rc 0 "$name" -- "$CUSTOS" validate "$dir"
		check_grep '^warning: ' "$SCRATCH/out" "$name" ;;
	windows-only)
		continue ;;
	*)
		bad "unknown case kind $kind" ; continue ;;
	esac
	want=$([ "$kind" = valid ] || [ "$kind" = warning ] && echo 0 || echo 1)
	check_rc "$want" "$name --json" -- "$CUSTOS" validate --json "$dir"
	if [ "$want" = 0 ]; then
		check_grep '^{"bag":.*"valid":true' "$SCRATCH/out" "$name --json"
	else
		check_grep '"valid":false.*"errors":\[{"code":"' "$SCRATCH/out" "$name --json"
	fi
	n=$((n + 1))
done
[ "$n" -ge 50 ] && ok || bad "only $n conformance cases found"

# specific reasons, not just verdicts
C=$SUITE/v0.97
check_rc 1 bom -- "$CUSTOS" validate "$C/invalid/bom-in-bagit.txt"
check_grep 'byte-order mark' "$SCRATCH/out" bom
check_rc 1 dotdot -- "$CUSTOS" validate "$C/invalid/out-of-scope-file-paths-using-dot-notation"
check_grep '\[path-outside-bag\]' "$SCRATCH/out" dotdot
check_rc 1 corrupt -- "$CUSTOS" validate --json "$C/invalid/corrupt-data-file"
check_grep '"code":"digest-mismatch","path":"data/bare-filename"' "$SCRATCH/out" corrupt
check_grep '"expected":"[0-9a-f]*","actual":"[0-9a-f]*"' "$SCRATCH/out" corrupt
check_rc 1 extra -- "$CUSTOS" validate "$C/invalid/extra-file-in-bag"
check_grep "'data/bar' is in the payload but not listed in manifest-md5.txt" "$SCRATCH/out" extra
check_grep 'oxum-mismatch' "$SCRATCH/out" "extra: every problem, not only the first"
check_rc 1 fast-corrupt -- "$CUSTOS" validate --fast "$C/invalid/extra-file-in-bag"
check_rc 0 fast-skips-digests -- "$CUSTOS" validate --fast "$C/invalid/corrupt-tag-file"
check_rc 1 completeness -- "$CUSTOS" validate --completeness-only "$C/invalid/extra-file-in-bag"
check_rc 0 completeness-skips-digests -- "$CUSTOS" validate --completeness-only "$C/invalid/corrupt-tag-file"
report_done
