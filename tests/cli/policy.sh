#!/bin/bash
# tests/cli/policy.sh - `custos policy check`: every shipped policy is
# valid and explained (copies, interval, NDSA level); a broken policy exits
# 2 naming the file and the line; usage errors exit 2.
. "$(dirname "$0")/lib.sh"
policies=$(cd "$(dirname "$0")/../../policies" && pwd)

n=0
for f in "$policies"/*.ini; do
	n=$((n + 1))
	check_rc 0 "check $(basename "$f")" -- "$CUSTOS" policy check "$f"
	check_grep 'complete, verified cop' "$SCRATCH/out" "$(basename "$f") copies"
	check_grep 're-verified at least every [0-9]' "$SCRATCH/out" "$(basename "$f") interval"
	check_grep "^sha256: *$(sha256sum <"$f" | cut -c1-64)\$" "$SCRATCH/out" "$(basename "$f") digest"
done
[ "$n" -eq 5 ] && ok || bad "expected 5 shipped policies, found $n"

check_rc 0 "default" -- "$CUSTOS" policy check "$policies/default.ini"
tr '\n' ' ' <"$SCRATCH/out" | tr -s ' ' >"$SCRATCH/flat"   # undo wrapping
check_grep 'Every object must have 2 complete, verified copies, in: primary (store/primary in the repository; local, disk, threat zone local-site)' "$SCRATCH/flat" "default copies"
check_grep 'and secondary (store/secondary in the repository;' "$SCRATCH/flat" "default second copy"
check_grep 'every 90 days using sha256 (ingest also records sha512)' "$SCRATCH/flat" "default interval"
check_grep "'custos audit --repair'" "$SCRATCH/flat" "default repair"
for level in 1 2 3 4; do
	check_rc 0 "level $level" -- "$CUSTOS" policy check "$policies/ndsa-level-$level.ini"
	check_grep "^  storage: level $level at most\$" "$SCRATCH/out" "ndsa-level-$level storage level"
done

# broken policies: exit 2, the message names the file and the line
cat >"$SCRATCH/typo.ini" <<'INI'
[fixity]
interval = 90d
verify_after_wirte = yes

[location.primary]
path = store/primary
INI
check_rc 2 "unknown key" -- "$CUSTOS" policy check "$SCRATCH/typo.ini"
check_grep "policy '$SCRATCH/typo.ini' line 3: unknown key 'verify_after_wirte' in \[fixity\]" "$SCRATCH/err" "unknown key named with line"
[ -s "$SCRATCH/out" ] && bad "broken policy explained anyway" || ok

printf '[copies]\nrequired = 3\n[location.a]\npath = a\n[location.b]\npath = /b\n' >"$SCRATCH/copies.ini"
check_rc 2 "copies > locations" -- "$CUSTOS" policy check "$SCRATCH/copies.ini"
check_grep "line 2: 3 copies required but only 2 locations are declared" "$SCRATCH/err" "copies named with line"

printf '[location.a]\npath = a\n[fixity]\ninterval = 90\n' >"$SCRATCH/dur.ini"
check_rc 2 "bad duration" -- "$CUSTOS" policy check "$SCRATCH/dur.ini"
check_grep "line 4: interval '90' is not a duration" "$SCRATCH/err" "duration named with line"

check_rc 2 "missing file" -- "$CUSTOS" policy check "$SCRATCH/nope.ini"
check_grep "cannot open policy '$SCRATCH/nope.ini'" "$SCRATCH/err" "missing file named"
check_rc 2 "directory" -- "$CUSTOS" policy check "$SCRATCH"
check_rc 2 "no subcommand" -- "$CUSTOS" policy
check_rc 2 "unknown subcommand" -- "$CUSTOS" policy frob "$policies/default.ini"
check_rc 2 "two files" -- "$CUSTOS" policy check "$policies/default.ini" "$policies/default.ini"
check_rc 0 "help" -- "$CUSTOS" policy --help
check_grep '^usage: custos policy check FILE' "$SCRATCH/out" "help"
report_done
