# tests/cli/lib.sh - tiny assertion helpers for the command's integration
# tests. Source it; call check_rc / check_grep; finish with report_done.
set -u
PASS=0
FAIL=0
CUSTOS=${CUSTOS:?set CUSTOS to the custos binary}
SHARED=${SHARED:?set SHARED to the shared/ folder}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/custos-cli-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }

# check_rc WANT DESCRIPTION -- COMMAND...   (output kept in $SCRATCH/out)
check_rc() {
	local want=$1 what=$2
	shift 3
	"$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "$what: exit $got, want $want"; sed 's/^/    /' "$SCRATCH/out" "$SCRATCH/err" | head -20 >&2
	fi
}

# check_grep PATTERN FILE DESCRIPTION
check_grep() {
	if grep -q -e "$1" "$2"; then ok; else bad "$3: no '$1' in output"; fi
}

# check_nogrep PATTERN FILE DESCRIPTION
check_nogrep() {
	if grep -q -e "$1" "$2"; then bad "$3: unexpected '$1' in output"; else ok; fi
}

report_done() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
