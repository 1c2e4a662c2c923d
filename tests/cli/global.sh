#!/bin/bash
# tests/cli/global.sh - the global options: -r/--repo, --json and
# -q/--quiet before the command say the same as after it; a command
# refuses those it does not take (exit 2); the global long options are
# never abbreviated; log prove / log consistency are the proofs of
# report prove / report consistency.
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
nfiles=$(find "$EX" -type f | wc -l)

check_rc 0 init -- "$CUSTOS" init "$R"
check_rc 0 ingest -- "$CUSTOS" ingest -r "$R" --id papers "$EX"

# -r before the command, like git -C
check_rc 0 "custos -r REPO ls" -- "$CUSTOS" -r "$R" ls
check_grep "^papers  *1  *$nfiles " "$SCRATCH/out" "ls before: the object, its version and files"
cp "$SCRATCH/out" "$SCRATCH/ls.before"
check_rc 0 "custos ls -r REPO" -- "$CUSTOS" ls -r "$R"
cmp -s "$SCRATCH/ls.before" "$SCRATCH/out" && ok || bad "-r before and after ls differ"
check_rc 0 "custos --repo=REPO ls" -- "$CUSTOS" --repo="$R" ls
cmp -s "$SCRATCH/ls.before" "$SCRATCH/out" && ok || bad "--repo=REPO before ls differs"
check_rc 0 "CUSTOS_REPO and no -r" -- env CUSTOS_REPO="$R" "$CUSTOS" ls
cmp -s "$SCRATCH/ls.before" "$SCRATCH/out" && ok || bad "\$CUSTOS_REPO ls differs"
# after the command, -r wins over the one before it
check_rc 2 "-r after the command wins" -- "$CUSTOS" -r "$R" ls -r "$SCRATCH/none"

# --json before the command
check_rc 0 "custos --json -r REPO ls" -- "$CUSTOS" --json -r "$R" ls
check_grep '^{"objects":\[{"id":"papers","versions":1,"files":'"$nfiles"',' "$SCRATCH/out" "ls --json before"
cp "$SCRATCH/out" "$SCRATCH/ls.json"
check_rc 0 "ls --json after" -- "$CUSTOS" ls -r "$R" --json
cmp -s "$SCRATCH/ls.json" "$SCRATCH/out" && ok || bad "--json before and after ls differ"
check_rc 0 "custos --json show" -- "$CUSTOS" --json -r "$R" show papers
check_grep '"path":"data/datasets/loans-1920.csv"' "$SCRATCH/out" "show --json before: files"
check_rc 0 "custos --json log" -- "$CUSTOS" -r "$R" --json log --object papers
check_grep '^{"events":\[{' "$SCRATCH/out" "log --json before"
cp "$SCRATCH/out" "$SCRATCH/log.json"
check_rc 0 "log --json after" -- "$CUSTOS" log --object papers -r "$R" --json
cmp -s "$SCRATCH/log.json" "$SCRATCH/out" && ok || bad "--json before and after log differ"

# a command refuses the global options it does not take
# (every command takes --json: tests/cli/consistency.sh)
check_rc 2 "recover refuses -q" -- "$CUSTOS" -q recover -r "$R"
check_grep "recover does not take -q/--quiet" "$SCRATCH/err" "recover -q named"
check_rc 2 "bag refuses -r" -- "$CUSTOS" -r "$R" bag "$SCRATCH/nothing"
check_rc 2 "validate refuses -r" -- "$CUSTOS" -r "$R" validate "$R/store/primary/papers/v1"
check_grep "validate does not use a repository" "$SCRATCH/err" "validate -r named"
check_rc 2 "ls refuses -q" -- "$CUSTOS" -q -r "$R" ls
check_rc 2 "ls refuses -q after it" -- "$CUSTOS" ls -q -r "$R"
check_rc 0 "validate takes -q before it" -- "$CUSTOS" -q validate "$R/store/primary/papers/v1"
check_grep ": valid (BagIt 1.0, $nfiles files" "$SCRATCH/out" "validate -q"
check_rc 0 "validate takes --quiet after it" -- "$CUSTOS" validate --quiet "$R/store/primary/papers/v1"

# the global long options are written in full
check_rc 2 "--rep before the command" -- "$CUSTOS" --rep "$R" ls
check_rc 2 "--js before the command" -- "$CUSTOS" --js -r "$R" ls
check_nogrep '"objects"' "$SCRATCH/out" "--js did not list"
check_rc 2 "--rep after the command" -- "$CUSTOS" ls --rep "$R"
check_rc 2 "an unknown option before the command" -- "$CUSTOS" --frobnicate ls
check_rc 2 "-r without a value" -- "$CUSTOS" -r
check_rc 2 "global options and no command" -- "$CUSTOS" -r "$R"

# log prove / consistency: the same proofs as report prove / consistency
check_rc 0 "log prove" -- "$CUSTOS" -r "$R" log prove 1
cp "$SCRATCH/out" "$SCRATCH/prove.log"
check_grep "^event: 1$" "$SCRATCH/out" "log prove names the event"
check_rc 0 "report prove" -- "$CUSTOS" report prove 1 -r "$R"
cmp -s "$SCRATCH/prove.log" "$SCRATCH/out" && ok || bad "log prove and report prove differ"
check_rc 2 "log prove without EVENT" -- "$CUSTOS" log prove -r "$R"
check_rc 0 keygen -- "$CUSTOS" keygen --out "$SCRATCH/k"
check_rc 0 report -- "$CUSTOS" report -r "$R" --out "$SCRATCH/rep" --sign "$SCRATCH/k.pem"
check_rc 0 "ingest after the report" -- "$CUSTOS" ingest -r "$R" "$EX/datasets/loans-1920.csv"
check_rc 0 "log consistency" -- "$CUSTOS" log consistency "$SCRATCH/rep" -r "$R" --pubkey "$SCRATCH/k.pub"
check_grep "the log only grew" "$SCRATCH/out" "log consistency verified"
check_rc 2 "log consistency without DIR" -- "$CUSTOS" -r "$R" log consistency

report_done
