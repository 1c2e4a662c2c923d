# tests/cli/lib.sh - tiny assertion helpers for the command's integration
# tests. Source it; call check_rc / check_grep; finish with report_done.
set -u
PASS=0
FAIL=0
SKIPPED=
CUSTOS=${CUSTOS:?set CUSTOS to the custos binary}
# the test data kept in the repository (tests/corpora/README.md)
CORPORA=${CORPORA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../corpora" && pwd)}
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

# missing REASON: a component a check needs is not on this machine. In CI
# (CI=true) that is a failure: CI installs everything. Elsewhere the check
# is skipped, visibly: the reason is printed and the test ends with exit
# 77, which ctest reports as Skipped (SKIP_RETURN_CODE).
missing() {
	if [ "${CI:-}" = true ]; then
		bad "$* (CI=true: every component must be installed)"
	else
		echo "SKIP: $*" >&2
		SKIPPED="$SKIPPED
  $*"
	fi
}

# missing_all REASON: as missing, when nothing of the test can run
missing_all() {
	missing "$@"
	report_done
	exit
}

# report_done: the totals; exit 1 on a failure, 77 if a check was skipped
report_done() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ] || return 1
	if [ -n "$SKIPPED" ]; then
		echo "skipped:$SKIPPED"
		return 77
	fi
	return 0
}

# check_log_mirrored REPO WHAT: every location's mirrored log (.custos-log/)
# holds exactly the catalog's events (position and chain hash, each once)
# and its newest head is at the catalog's last event.
check_log_mirrored() {
	local repo=$1 what=$2 db=$1/custos.db rc=0
	sqlite3 -separator "$(printf '\t')" "$db" "SELECT id, hash FROM events ORDER BY id" >"$SCRATCH/log_want"
	local n
	n=$(wc -l <"$SCRATCH/log_want")
	for loc in $(sqlite3 "$db" "SELECT location FROM locations"); do
		cat "$loc"/.custos-log/events/*/events.tsv 2>/dev/null | cut -f1,2 |
			sort -n -u -k1,1 >"$SCRATCH/log_have"
		if ! cmp -s "$SCRATCH/log_want" "$SCRATCH/log_have"; then
			bad "$what: the log in $(basename "$loc") holds $(wc -l <"$SCRATCH/log_have") events, the catalog $n"
			rc=1
		fi
		local head
		head=$(ls "$loc/.custos-log/heads" 2>/dev/null | sort | tail -1)
		if [ "$((10#${head:-0}))" != "$n" ]; then
			bad "$what: the newest head in $(basename "$loc") is at ${head:-none}, the catalog has $n events"
			rc=1
		fi
	done
	return $rc
}

# check_consistent REPO WHAT: after recover, every registered version is a
# valid bag in every location, nothing else is there (no stray versions,
# no stages), every object has its copies, and the event log verifies.
check_consistent() {
	local repo=$1 what=$2 db=$1/custos.db
	check_rc 0 "$what: recover" -- "$CUSTOS" recover -r "$repo"
	check_rc 0 "$what: log verify" -- "$CUSTOS" log verify -r "$repo"
	sqlite3 "$db" "SELECT o.ident || '/v' || v.number FROM versions v JOIN objects o ON o.id = v.object_id ORDER BY 1" >"$SCRATCH/want"
	local ok_all=1
	for loc in $(sqlite3 "$db" "SELECT location FROM locations"); do
		(cd "$loc" && find . -mindepth 2 -maxdepth 2 -type d -not -path './.custos-staging/*' -not -path './.custos-quarantine/*' -not -path './.custos-log/*' | sed 's|^\./||' | sort) >"$SCRATCH/have"
		if ! cmp -s "$SCRATCH/want" "$SCRATCH/have"; then
			bad "$what: $(basename "$loc") holds $(tr '\n' ' ' <"$SCRATCH/have") but the catalog says $(tr '\n' ' ' <"$SCRATCH/want")"
			ok_all=0
		fi
		if [ -n "$(ls -A "$loc/.custos-staging" 2>/dev/null)" ]; then
			bad "$what: stage left in $(basename "$loc"): $(ls "$loc/.custos-staging")"
			ok_all=0
		fi
		while read -r v; do
			[ -n "$v" ] || continue
			if ! "$CUSTOS" validate "$loc/$v" >/dev/null 2>&1; then
				bad "$what: $(basename "$loc")/$v is not a valid bag"; ok_all=0
			fi
		done <"$SCRATCH/want"
	done
	check_log_mirrored "$repo" "$what" || ok_all=0
	local missing
	missing=$(sqlite3 "$db" "SELECT COUNT(*) FROM versions v WHERE (SELECT COUNT(*) FROM copies c WHERE c.version_id = v.id AND c.status = 'ok') < (SELECT COUNT(*) FROM locations)")
	[ "$missing" = 0 ] || { bad "$what: $missing versions lack copies"; ok_all=0; }
	[ "$ok_all" = 1 ] && ok
}
