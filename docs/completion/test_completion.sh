#!/bin/bash
# docs/completion/test_completion.sh CUSTOS OUTDIR - the built completion
# against the built command. bash: completing after "custos" offers every
# command `custos --help` lists, after "custos COMMAND -" every option of
# that command's usage, and a --format choice its words. zsh (when
# installed): the file parses and names every command and option.
set -u
custos=$1 out=$2
fail=0
bad() { echo "FAIL: $*"; fail=1; }

commands=$("$custos" --help | awk '/^commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on { exit }')
[ -n "$commands" ] || { echo "FAIL: 'custos --help' lists no commands"; exit 1; }
options_of() {
	"$custos" "$1" --help | sed '/^$/q' |
		grep -oE -- '(^|[[ |])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d '[ |' | sort -u
}

# complete WORD... : what bash offers for the last word of "custos WORD..."
complete_words() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=(custos "$@"); COMP_CWORD=$#
		_custos
		printf "%s\n" "${COMPREPLY[@]}"' complete "$out/custos" "$@"
}

offered=$(complete_words "")
for c in $commands; do
	grep -qx -- "$c" <<<"$offered" || bad "bash: 'custos <TAB>' does not offer $c"
	offered_opts=$(complete_words "$c" -)
	for opt in $(options_of "$c"); do
		grep -qx -- "$opt" <<<"$offered_opts" || bad "bash: 'custos $c -<TAB>' does not offer $opt"
	done
done
formats=$(complete_words export ID --format "")
for f in dir zip tar tar.gz; do
	grep -qx -- "$f" <<<"$formats" || bad "bash: 'custos export ID --format <TAB>' does not offer $f"
done

if command -v zsh >/dev/null; then
	zsh -n "$out/_custos" || bad "zsh: _custos does not parse"
	for c in $commands; do
		grep -q "^[[:space:]]*'$c:" "$out/_custos" || bad "zsh: $c is not among the commands"
		grep -q "^[[:space:]]*$c)" "$out/_custos" || bad "zsh: no arguments for $c"
		for opt in $(options_of "$c"); do
			grep -qF -- "'$opt" "$out/_custos" || grep -qF -- "'*$opt" "$out/_custos" ||
				bad "zsh: $opt of $c is missing"
		done
	done
else
	echo "note: zsh is not installed; only the bash completion was run"
fi
[ $fail -eq 0 ] && echo "ok: completion of $(echo "$commands" | wc -w) commands and their options"
exit $fail
