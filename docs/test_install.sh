#!/bin/bash
# docs/test_install.sh BUILD SRC - `cmake --install` into a DESTDIR holds
# what the issue asks for: bin/custos, a man page per command `custos
# --help` lists, custos(1) and custos-policy(5), bash and zsh completion,
# every policy of SRC/policies, the systemd units naming the installed
# binary and settings file, the settings file and the sysusers.d entry.
set -u
build=$1 src=$2
fail=0
bad() { echo "FAIL: $*"; fail=1; }
# cache NAME [DEFAULT]: GNUInstallDirs leaves MANDIR and DATADIR empty
# in the cache when they are the defaults.
cache() {
	local value
	value=$(sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt")
	echo "${value:-${2:-}}"
}

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest cmake --install "$build" >"$dest.log" 2>&1 || { cat "$dest.log"; exit 1; }
rm -f "$dest.log"
prefix=$(cache CMAKE_INSTALL_PREFIX)
root=$dest$prefix
at() { case $1 in /*) echo "$dest$1" ;; *) echo "$root/$1" ;; esac; }

"$root/bin/custos" --version | grep -q '^custos ' || bad "bin/custos --version"
commands=$("$root/bin/custos" --help | awk '/^commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on { exit }')
[ -n "$commands" ] || bad "'custos --help' lists no commands"
mandir=$(at "$(cache CMAKE_INSTALL_MANDIR share/man)")
# shellcheck disable=SC2086 # one page per command
for page in man1/custos.1 man5/custos-policy.5 $(printf 'man1/custos-%s.1 ' $commands); do
	[ -s "$mandir/$page" ] || bad "no $page under $mandir"
done
[ -s "$(at "$(cache CUSTOS_BASH_COMPLETION_DIR)")/custos" ] || bad "no bash completion"
[ -s "$(at "$(cache CUSTOS_ZSH_COMPLETION_DIR)")/_custos" ] || bad "no zsh completion"
for policy in "$src"/policies/*.ini; do
	cmp -s "$policy" "$root/$(cache CMAKE_INSTALL_DATADIR share)/custos/policies/${policy##*/}" ||
		bad "policy ${policy##*/} is not installed as it is"
done

units=$(at "$(cache CUSTOS_SYSTEMD_UNIT_DIR)")
service=$units/custos-audit.service
[ -s "$units/custos-audit.timer" ] || bad "no custos-audit.timer"
grep -qx "ExecStart=$prefix/bin/custos audit --due --budget-time .*" "$service" ||
	bad "custos-audit.service does not run $prefix/bin/custos audit --due with a budget"
grep -qx 'User=custos' "$service" || bad "custos-audit.service does not run as custos"
envfile=$(sed -n 's/^EnvironmentFile=-//p' "$service")
[ -s "$dest$envfile" ] || bad "the unit's EnvironmentFile $envfile is not installed"
grep -q '^CUSTOS_REPO=' "$dest$envfile" || bad "$envfile does not set CUSTOS_REPO"
grep -q '^u custos ' "$(at "$(cache CUSTOS_SYSUSERS_DIR)")/custos.conf" ||
	bad "no sysusers.d entry for the custos user"

[ $fail -eq 0 ] && echo "ok: install into DESTDIR under $prefix"
exit $fail
