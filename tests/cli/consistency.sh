#!/bin/bash
# tests/cli/consistency.sh - one consistent command line (issue 14, item 4):
# global options around the command for identify and policy too; no long
# option abbreviated; one error line "custos COMMAND: MESSAGE" with "did
# you mean"; --json for every command, errors included; strict dates,
# durations and sizes; names that are not UTF-8 escaped as \xHH, never
# dropped; ls labels and human sizes; ingest leaves out OS junk files and
# warns about content already held.
. "$(dirname "$0")/lib.sh"
R=$SCRATCH/repo
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
POLICY=$(cd "$(dirname "$0")/../../policies" && pwd)/default.ini
FILE1=$(find "$EX" -type f | sort | head -1)

# check_err WANT_RC 'EXACT STDERR LINE' DESCRIPTION -- COMMAND...: the exit
# code, exactly one line on stderr, and nothing on stdout.
check_err() {
	local want=$1 line=$2 what=$3
	shift 4
	check_rc "$want" "$what" -- "$@"
	if [ "$(cat "$SCRATCH/err")" = "$line" ]; then ok; else
		bad "$what: stderr is '$(cat "$SCRATCH/err")', want '$line'"; fi
	[ -s "$SCRATCH/out" ] && bad "$what: printed on stdout" || ok
}

# check_json_err WANT_RC CODE 'MESSAGE' DESCRIPTION -- COMMAND...: in --json
# mode an error is one JSON object on stdout, nothing on stderr.
check_json_err() {
	local want=$1 code=$2 msg=$3 what=$4
	shift 5
	check_rc "$want" "$what" -- "$@"
	if [ "$(wc -l <"$SCRATCH/out")" = 1 ] &&
	   jq -e --arg c "$code" --arg m "$msg" --argjson x "$want" \
		'.error.code == $c and .error.message == $m and .error.exit == $x' \
		"$SCRATCH/out" >/dev/null 2>&1; then ok; else
		bad "$what: stdout is '$(cat "$SCRATCH/out")'"; fi
	[ -s "$SCRATCH/err" ] && bad "$what: printed on stderr: $(cat "$SCRATCH/err")" || ok
}

# check_json DESCRIPTION JQ_FILTER: stdout is one JSON value for which the
# filter is true.
check_json() {
	if [ "$(wc -l <"$SCRATCH/out")" = 1 ] && jq -e "$2" "$SCRATCH/out" >/dev/null 2>&1
	then ok; else bad "$1: '$(head -c 300 "$SCRATCH/out")' fails $2"; fi
}

check_rc 0 init -- "$CUSTOS" init "$R"
check_rc 0 ingest -- "$CUSTOS" ingest -r "$R" --id papers "$EX"
nfiles=$(find "$EX" -type f | wc -l)

# --- global options before and after the command: identify, policy ------
check_rc 0 "identify --json after" -- "$CUSTOS" identify "$FILE1" --json
cp "$SCRATCH/out" "$SCRATCH/id.after"
check_rc 0 "--json identify before" -- "$CUSTOS" --json identify "$FILE1"
cmp -s "$SCRATCH/id.after" "$SCRATCH/out" && ok || bad "identify --json before and after differ"
check_json "identify --json" ".path == \"$FILE1\""
check_rc 0 "--json policy check" -- "$CUSTOS" --json policy check "$POLICY"
check_json "policy check --json" '.valid == true and (.explanation | length) > 0'
cp "$SCRATCH/out" "$SCRATCH/pol.before"
check_rc 0 "policy check --json after" -- "$CUSTOS" policy check "$POLICY" --json
cmp -s "$SCRATCH/pol.before" "$SCRATCH/out" && ok || bad "policy --json before and after differ"
check_err 2 "custos policy: unknown option '--jsn'; did you mean '--json'?" \
	"policy takes options through the one parser" -- "$CUSTOS" policy check "$POLICY" --jsn
check_err 2 "custos identify: identify does not use a repository (-r/--repo)" \
	"identify refuses -r" -- "$CUSTOS" -r "$R" identify "$FILE1"

# --- no abbreviated long option, with "did you mean" ---------------------
check_err 2 "custos audit: unknown option '--al'; did you mean '--all'?" \
	"audit --al is not --all" -- "$CUSTOS" audit --al -r "$R"
check_err 2 "custos identify: unknown option '--sig'; did you mean '--signatures'?" \
	"identify --sig" -- "$CUSTOS" identify --sig x "$FILE1"
check_err 2 "custos validate: unknown option '--fas'; did you mean '--fast'?" \
	"validate --fas" -- "$CUSTOS" validate --fas "$R"
check_err 2 "custos audit: unknown option '--budget-tim'; did you mean '--budget-time'?" \
	"audit --budget-tim=1h" -- "$CUSTOS" audit --budget-tim=1h -r "$R"
check_err 2 "custos log: unknown option '--sicne'; did you mean '--since'?" \
	"a typo, not a prefix" -- "$CUSTOS" log --sicne 2026-01-01 -r "$R"
check_err 2 "custos: unknown option '--rpeo' before the command; did you mean '--repo'?" \
	"before the command" -- "$CUSTOS" --rpeo "$R" ls

# --- one error line per mistake, "custos COMMAND: MESSAGE" ---------------
check_err 2 "custos: 'audti' is not a custos command; did you mean 'audit'?" \
	"custos audti" -- "$CUSTOS" audti
check_err 2 "custos log: unknown subcommand 'verfy'; did you mean 'verify'?" \
	"log verfy" -- "$CUSTOS" log verfy -r "$R"
check_err 2 "custos report: unknown subcommand 'verfiy'; did you mean 'verify'?" \
	"report verfiy" -- "$CUSTOS" report verfiy "$SCRATCH" -r "$R"
check_err 2 "custos policy: unknown subcommand 'chek'; did you mean 'check'?" \
	"policy chek" -- "$CUSTOS" policy chek "$POLICY"
check_err 2 "custos: 'frobnicate' is not a custos command; see 'custos --help'" \
	"no suggestion for a far word" -- "$CUSTOS" frobnicate
check_err 2 "custos ls: unknown option '--frob'" "unknown option" -- "$CUSTOS" ls --frob -r "$R"
check_err 2 "custos ls: unknown option '-x'" "unknown short option" -- "$CUSTOS" ls -x -r "$R"
check_err 2 "custos audit: option '--id' needs a value" "missing value" -- "$CUSTOS" audit -r "$R" --id
check_err 2 "custos audit: option '--all' takes no value" "value for a flag" -- "$CUSTOS" audit --all=yes -r "$R"
check_err 2 "custos ls: ls takes no arguments" "a stray operand" -- "$CUSTOS" ls extra -r "$R"

# --- --json for every command, errors included ---------------------------
check_json_err 2 usage "unknown option '--al'; did you mean '--all'?" \
	"--json audit --al" -- "$CUSTOS" --json audit --al -r "$R"
check_json_err 2 usage "unknown option '--al'; did you mean '--all'?" \
	"--json after the mistake" -- "$CUSTOS" audit --al -r "$R" --json
check_json_err 2 usage "'audti' is not a custos command; did you mean 'audit'?" \
	"--json audti" -- "$CUSTOS" --json audti
check_json_err 2 usage "no command given; see 'custos --help'" \
	"--json and no command" -- "$CUSTOS" --json
check_json_err 2 usage "no object 'nothing' in the repository" \
	"show --json of nothing" -- "$CUSTOS" show nothing --json -r "$R"
check_rc 2 "ls --json of no repository" -- "$CUSTOS" ls --json -r "$SCRATCH/none"
check_json "the error names the path" ".error.code == \"usage\" and .error.path == \"$SCRATCH/none\""
check_json_err 2 usage "--since takes a date, YYYY-MM-DD or ISO 8601 such as 2026-11-01T12:00:00Z, not 'yesterday'" \
	"log --json --since yesterday" -- "$CUSTOS" log --json --since yesterday -r "$R"
check_json_err 2 usage "no such bag: '$SCRATCH/none'" \
	"validate --json of a missing bag" -- "$CUSTOS" validate --json "$SCRATCH/none"
check_rc 3 "keygen --json that cannot write" -- "$CUSTOS" keygen --json --out /proc/none/k
check_json "could not finish: exit 3" '.error.code == "failed" and .error.exit == 3 and .error.path == "/proc/none/k.pem"'

check_rc 3 "identify --json of a missing file" -- "$CUSTOS" identify --json "$SCRATCH/none" "$FILE1"
if [ "$(jq -s 'length' "$SCRATCH/out")" = 2 ] &&
   jq -s -e ".[0].path == \"$SCRATCH/none\" and .[0].error.code == \"failed\" and .[1].path == \"$FILE1\"" \
	"$SCRATCH/out" >/dev/null; then ok; else bad "identify --json error line: $(cat "$SCRATCH/out")"; fi
[ -s "$SCRATCH/err" ] && bad "identify --json wrote to stderr" || ok

check_rc 0 "init --json" -- "$CUSTOS" init "$SCRATCH/r2" --json --policy "$POLICY"
check_json "init --json" ".repository == \"$SCRATCH/r2\" and .locations == 2 and .copies_required == 2"
check_json_err 2 usage "init takes exactly one PATH" "init --json usage" -- "$CUSTOS" init --json
check_rc 0 "recover --json" -- "$CUSTOS" recover --json -r "$R"
check_json "recover --json" '.consistent == true'
check_rc 0 "bag --json" -- "$CUSTOS" bag "$EX" --dest "$SCRATCH/bag1" --json
check_json "bag --json" ".bag == \"$SCRATCH/bag1\" and .files == $nfiles"
check_rc 0 "export --json" -- "$CUSTOS" export papers "$SCRATCH/exp.zip" --json -r "$R"
check_json "export --json" '.id == "papers" and .format == "zip" and .from == "primary"'
check_rc 0 "keygen --json" -- "$CUSTOS" keygen --out "$SCRATCH/k" --json
check_json "keygen --json" ".private_key == \"$SCRATCH/k.pem\" and .public_key == \"$SCRATCH/k.pub\""
check_rc 0 "report --json" -- "$CUSTOS" report --out "$SCRATCH/rep" --sign "$SCRATCH/k.pem" --json -r "$R"
check_json "report --json" ".out == \"$SCRATCH/rep\" and .signed == true and .holdings.objects == 1"
check_rc 0 "report verify --json" -- "$CUSTOS" report verify "$SCRATCH/rep" --pubkey "$SCRATCH/k.pub" --json
check_json "report verify --json" '.verified == true and (.lines | length) > 1'
echo tampered >>"$SCRATCH/rep/findings.csv"
check_rc 1 "report verify --json, changed" -- "$CUSTOS" --json report verify "$SCRATCH/rep" --pubkey "$SCRATCH/k.pub"
check_json "report verify names the change" '.verified == false and any(.lines[]; startswith("CHANGED findings.csv"))'
check_rc 0 "log verify --json" -- "$CUSTOS" log verify --json -r "$R"
check_json "log verify --json" '.intact == true and .events > 0'
check_rc 0 "log prove --json" -- "$CUSTOS" --json log prove 1 -r "$R"
check_json "log prove --json" '.event == "1" and .verified == true'
check_json_err 2 usage "policy check takes exactly one FILE" \
	"policy --json usage" -- "$CUSTOS" policy check --json

# --- strict dates, durations and sizes -----------------------------------
check_err 2 "custos log: --since takes a date, YYYY-MM-DD or ISO 8601 such as 2026-11-01T12:00:00Z, not 'yesterday'" \
	"log --since yesterday" -- "$CUSTOS" log --since yesterday -r "$R"
check_err 2 "custos log: --since takes a date, YYYY-MM-DD or ISO 8601 such as 2026-11-01T12:00:00Z, not '2026-02-30'" \
	"no 30 February" -- "$CUSTOS" log --since 2026-02-30 -r "$R"
check_err 2 "custos report: --since takes a date, YYYY-MM-DD or ISO 8601 such as 2026-11-01T12:00:00Z, not '2026-11-01 12:00'" \
	"report --since with a space" -- "$CUSTOS" report --out "$SCRATCH/rep2" --since "2026-11-01 12:00" -r "$R"
all=$("$CUSTOS" log --json -r "$R" | jq '.events | length')
first=$("$CUSTOS" log --json -r "$R" | jq -r '.events[0].datetime')
# the first event's time written with a +02:00 offset is the same instant
shifted=$(date -u -d "$first + 2 hours" +%Y-%m-%dT%H:%M:%S)+02:00
check_rc 0 "log --since with an offset" -- "$CUSTOS" log --json --since "$shifted" -r "$R"
check_json "an offset is the same instant" ".events | length == $all"
check_rc 0 "log --since a day" -- "$CUSTOS" log --json --since "${first%%T*}" -r "$R"
check_json "YYYY-MM-DD takes that day" ".events | length == $all"
check_rc 0 "log --since the future" -- "$CUSTOS" log --json --since 2999-01-01T00:00:00Z -r "$R"
check_json "nothing after the future" '.events | length == 0'
check_err 2 "custos audit: --budget-time takes a duration such as 30m, 2h or 90d, not '90'" \
	"a duration needs a unit" -- "$CUSTOS" audit --budget-time 90 -r "$R"
check_err 2 "custos audit: --budget-bytes takes a size (bytes, or a number with K, M, G or T), not '10X'" \
	"a bad size" -- "$CUSTOS" audit --budget-bytes 10X -r "$R"
check_err 2 "custos show: --version takes a version number, not 'abc'" \
	"show --version abc" -- "$CUSTOS" show papers --version abc -r "$R"
check_err 2 "custos audit: --jobs takes a whole number from 1 to 1024, not '0'" \
	"--jobs 0" -- "$CUSTOS" audit --jobs 0 -r "$R"
check_rc 0 "audit --budget-time 90d" -- "$CUSTOS" audit --budget-time 90d -r "$R"

# --- names that are not UTF-8: \xHH, never dropped ----------------------
BAD=$(printf 'bad\377name.txt')
cp -r "$SCRATCH/bag1" "$SCRATCH/bag2"
echo x >"$SCRATCH/bag2/data/$BAD"
check_rc 1 "validate --json with a non-UTF-8 name" -- "$CUSTOS" validate --json "$SCRATCH/bag2"
check_json "the name is escaped, not dropped" \
	'any(.errors[]; .code == "unexpected-file" and .path == "data/bad\\xffname.txt")'
check_rc 1 "validate text with a non-UTF-8 name" -- "$CUSTOS" validate "$SCRATCH/bag2"
check_grep "^error: 'data/bad\\\\xffname.txt' is in the payload" "$SCRATCH/out" "text escapes the same way"
echo y >"$R/store/primary/papers/v1/data/$BAD"
check_rc 1 "audit --json with a non-UTF-8 name" -- "$CUSTOS" audit --all --json -r "$R"
check_json "the finding is kept" \
	'any(.findings[]; .state == "unexpected" and .path == "data/bad\\xffname.txt")'
check_rc 1 "audit text" -- "$CUSTOS" audit --all -r "$R"
check_grep "^primary papers v1 data/bad\\\\xffname.txt: unexpected" "$SCRATCH/out" "audit text escapes"
rm "$R/store/primary/papers/v1/data/$BAD"
check_rc 0 "identify --json of a non-UTF-8 name" -- "$CUSTOS" identify --json "$SCRATCH/bag2/data/$BAD"
check_json "identify escapes" ".path == \"$SCRATCH/bag2/data/bad\\\\xffname.txt\""

# --- ls: labels and human sizes; ingest: junk files, same content -------
mkdir -p "$SCRATCH/dep/sub"
head -c 1572864 /dev/zero >"$SCRATCH/dep/big.bin"          # 1.5 MiB
touch "$SCRATCH/dep/.DS_Store" "$SCRATCH/dep/sub/Thumbs.db"
check_rc 0 "ingest leaves out junk" -- "$CUSTOS" ingest --id titled --info "Title=Big zeros" -r "$R" "$SCRATCH/dep"
check_grep "^titled v1: 1 file, 1572864 bytes, .*; left out 2 system files (--keep-system-files keeps them)$" \
	"$SCRATCH/out" "ingest says how many it left out"
check_rc 0 "show titled" -- "$CUSTOS" show titled --json -r "$R"
check_json "no junk stored" '[.files[].path] == ["data/big.bin"]'
check_rc 0 "ingest again, same content" -- "$CUSTOS" ingest --id again --info "External-Identifier=EXT-7" -r "$R" "$SCRATCH/dep"
if [ "$(cat "$SCRATCH/err")" = "custos ingest: warning: '$SCRATCH/dep' (again v1) holds the same content as titled v1, already in the repository" ]
then ok; else bad "same content warning: '$(cat "$SCRATCH/err")'"; fi
check_rc 0 "ingest keeping junk" -- "$CUSTOS" ingest --json --keep-system-files -r "$R" "$SCRATCH/dep"
check_json "junk kept; not the same content" '.deposits[0].files == 3 and .deposits[0].system_files_left_out == 0 and .deposits[0].same_content_as == []'
check_rc 0 "ls" -- "$CUSTOS" ls -r "$R"
check_grep "^titled  *1  *1  *1.5 MiB .* Big zeros$" "$SCRATCH/out" "ls: Title and human size"
check_grep "^again  *1  *1  *1.5 MiB .* EXT-7$" "$SCRATCH/out" "ls: External-Identifier"
check_grep "^obj-[0-9a-f]*  *1  *3  *1.5 MiB .* dep$" "$SCRATCH/out" "ls: the source's name"
check_rc 0 "ls --json" -- "$CUSTOS" ls --json -r "$R"
check_json "exact bytes in JSON" 'any(.objects[]; .id == "titled" and .bytes == 1572864 and .label == "Big zeros")'

report_done
