#!/bin/bash
# docs/man/test_man.sh CUSTOS PAGES - the built man pages against the built
# command: every command `custos --help` lists has its page, custos(1) and
# custos-policy(5) exist, every page renders without a warning from man,
# and each command's page shows every option its usage names.
set -u
custos=$1 pages=$2
command -v man >/dev/null || { echo "SKIP: man (man-db) is not installed"; exit 77; }
export LC_ALL=C.UTF-8 MANWIDTH=80
fail=0
bad() { echo "FAIL: $*"; fail=1; }

commands=$("$custos" --help | awk '/^commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on { exit }')
[ -n "$commands" ] || { echo "FAIL: 'custos --help' lists no commands"; exit 1; }
for page in man1/custos.1 man5/custos-policy.5; do
	[ -f "$pages/$page" ] || bad "no $page"
done
for c in $commands; do
	[ -f "$pages/man1/custos-$c.1" ] || bad "no man page for 'custos $c'"
done

for page in "$pages"/man1/*.1 "$pages"/man5/*.5; do
	warnings=$(man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warnings" ] || bad "$page: $warnings"
done

# The usage lines are the text up to the first blank line.
for c in $commands; do
	page="$pages/man1/custos-$c.1"
	[ -f "$page" ] || continue
	text=$(man -l "$page" 2>/dev/null)
	for opt in $("$custos" "$c" --help | sed '/^$/q' |
		grep -oE -- '(^|[[ |])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d '[ |' | sort -u); do
		grep -qF -- "$opt" <<<"$text" || bad "custos-$c.1 does not show $opt"
	done
	grep -qF "custos-$c" <<<"$(man -l "$pages/man1/custos.1")" ||
		bad "custos.1 does not list custos-$c"
done

[ $fail -eq 0 ] && echo "ok: $(echo "$commands" | wc -w) command pages, custos(1), custos-policy(5)"
exit $fail
