#!/bin/bash
# tests/cli/evidence.sh - evidence nobody must trust (issue 12): the policy
# in force is always on record (a change is recorded before an audit acts,
# refused by the commands that cannot write, A -> B -> A is two
# assignments), and a report carries its own proof: a figure, events.jsonl
# or events.xml edited and the report re-signed with the operator's key
# is caught by report verify, naming what does not follow.
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
mkdir -p "$SCRATCH/a" && printf 'one\n' >"$SCRATCH/a/one.txt" && printf 'two\n' >"$SCRATCH/a/two.txt"
check_rc 0 init -- "$CUSTOS" init "$R"
check_rc 0 ingest -- "$CUSTOS" ingest -r "$R" --id alpha "$SCRATCH/a"
assignments() { sqlite3 "$R/custos.db" "SELECT COUNT(*) FROM events WHERE type = 'poa'"; }
want() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi; }
want "one assignment after init" "$(assignments)" 1

# the policy in force: A -> B, read-only commands refuse, audit records it
cp "$R/policy.ini" "$SCRATCH/policy-a.ini"
sed -i 's/^interval *=.*/interval = 30d/' "$R/policy.ini"
grep -q '^interval = 30d' "$R/policy.ini" || printf '\n[audit]\ninterval = 30d\n' >>"$R/policy.ini"
B=$(sha256sum "$R/policy.ini" | cut -c1-12)
for cmd in ls "show alpha" "report --out $SCRATCH/refused"; do
	check_rc 2 "$cmd refuses an unrecorded policy" -- "$CUSTOS" $cmd -r "$R"
	check_grep "policy in force (policy.ini, sha256 $B...) is not the one on record" \
		"$SCRATCH/err" "$cmd names the change"
done
[ -e "$SCRATCH/refused" ] && bad "the refused report wrote a folder" || ok
want "nothing recorded by the refusals" "$(assignments)" 1
BEFORE=$(sqlite3 "$R/custos.db" "SELECT MAX(id) FROM events")
check_rc 0 "audit under B" -- "$CUSTOS" audit -r "$R" --all
want "audit recorded B" "$(assignments)" 2
want "B recorded before the audit acts" "$(sqlite3 "$R/custos.db" "SELECT type FROM events WHERE id = $BEFORE + 1")" poa
check_rc 0 "ls under recorded B" -- "$CUSTOS" ls -r "$R"
# B -> A: going back is an assignment of its own
cp "$SCRATCH/policy-a.ini" "$R/policy.ini"
check_rc 2 "ls refuses A again" -- "$CUSTOS" ls -r "$R"
check_rc 0 "audit under A again" -- "$CUSTOS" audit -r "$R" --all
want "A -> B -> A is three assignments" "$(assignments)" 3
check_rc 0 "report" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/rep"
want "history lists each assignment" "$(jq '.policy.history | length' "$SCRATCH/rep/report.json")" 3
want "history back to A" "$(jq -r '.policy.history[2].sha256' "$SCRATCH/rep/report.json")" \
	"$(sha256sum "$R/policy.ini" | cut -d' ' -f1)"
want "in force since the last assignment" "$(jq -r '.policy.in_force.in_force_since == .policy.history[2].in_force_from' "$SCRATCH/rep/report.json")" true


# a report with a finding, signed; then edited and re-signed by the operator
echo rot >>"$R/store/primary/alpha/v1/data/one.txt"
check_rc 1 "audit finds the damage" -- "$CUSTOS" audit -r "$R" --all
check_rc 0 keygen -- "$CUSTOS" keygen --out "$SCRATCH/k"
check_rc 0 "signed report" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/signed" --sign "$SCRATCH/k.pem"
want "the report lists the finding" "$(jq '[.findings[] | select(.type == "fix")] | length' "$SCRATCH/signed/report.json")" 1
want "events.jsonl holds every event" "$(wc -l <"$SCRATCH/signed/events.jsonl")" \
	"$(sqlite3 "$R/custos.db" "SELECT COUNT(*) FROM events")"
check_rc 0 "honest report verifies" -- "$CUSTOS" report verify "$SCRATCH/signed" --pubkey "$SCRATCH/k.pub"
check_grep "figures follow from its events" "$SCRATCH/out" "verify says the figures follow"
# the auditor's own script (python3 and openssl only) agrees
PYV=$(dirname "$0")/../../audit/report/verify_report.py
check_rc 0 "verify_report.py on the honest report" -- python3 "$PYV" "$SCRATCH/signed" "$SCRATCH/k.pub"
check_grep "verified; 1 findings" "$SCRATCH/out" "the script recomputes the findings"
resign() { # the operator's own key: a fresh manifest and signature
	(cd "$1" && rm -f MANIFEST-sha256.txt MANIFEST-sha256.txt.sig &&
	 sha256sum $(ls | sort) >MANIFEST-sha256.txt &&
	 openssl pkeyutl -sign -inkey "$SCRATCH/k.pem" -rawin -in MANIFEST-sha256.txt \
		-out MANIFEST-sha256.txt.sig)
}
tampered() { # tampered NAME FIGURE JQ-EDIT | FILE SED-EDIT
	local d=$SCRATCH/$1 figure=$2
	cp -a "$SCRATCH/signed" "$d"
	if [ "$3" = jq ]; then
		jq "$4" "$d/report.json" >"$d/r" && mv "$d/r" "$d/report.json"
	else
		sed -i "$4" "$d/$3"
	fi
	resign "$d"
	check_rc 0 "$1: the signature still verifies" -- openssl pkeyutl -verify -pubin \
		-inkey "$SCRATCH/k.pub" -rawin -in "$d/MANIFEST-sha256.txt" -sigfile "$d/MANIFEST-sha256.txt.sig"
	check_rc 1 "$1: report verify catches it" -- "$CUSTOS" report verify "$d" --pubkey "$SCRATCH/k.pub"
	check_grep "figure '$figure' does not follow" "$SCRATCH/out" "$1: names $figure"
	case $figure in events|policy.history) ;; *)
		check_rc 1 "$1: verify_report.py catches it" -- python3 "$PYV" "$d" "$SCRATCH/k.pub"
		check_grep "figure '$figure' does not follow" "$SCRATCH/out" "$1: the script names $figure"
	esac
}
tampered no-findings findings jq '.findings = []'
tampered fewer-events log.events jq '.log.events -= 1'
tampered other-root log.merkle.root jq '.log.merkle.root = ("0" * 64)'
tampered day-count findings_by_day jq '.findings_by_day = []'
tampered history policy.history jq '.policy.history |= .[1:]'
tampered event-file log.merkle.root events.jsonl 's/eventOutcome\/fai/eventOutcome\/suc/'
tampered premis events events.xml 's/eventOutcome\/fai/eventOutcome\/suc/'
rm "$SCRATCH/signed/events.jsonl" && resign "$SCRATCH/signed"
check_rc 1 "a report without its events" -- "$CUSTOS" report verify "$SCRATCH/signed" --pubkey "$SCRATCH/k.pub"
check_grep "the report carries no proof" "$SCRATCH/out" "names the missing proof"

report_done
