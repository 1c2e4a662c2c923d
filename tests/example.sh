#!/bin/bash
# tests/example.sh - the main job on the bundled example collection, as the
# README quick start runs it: bag the deposit (a copy: the source stays
# untouched), validate the bag, then validate it again serialized as a tar.
# Usage: tests/example.sh [CUSTOS_BINARY] [OUTPUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
custos=${1:-$here/build/cli/custos}
out=${2:-$here/example-run}
collection=$here/tests/resources/example-collection

rm -rf "$out"
mkdir -p "$out"
echo "== custos bag (copy of the example collection into $out/bag)"
"$custos" bag "$collection" --dest "$out/bag" \
	--info "Source-Organization=Example County Historical Society" \
	--info "External-Description=Reading room papers, 1920-1921"
echo "== custos validate $out/bag"
"$custos" validate "$out/bag"
"$custos" validate --json "$out/bag" >"$out/validate.json"
echo "   (JSON report in $out/validate.json)"
echo "== custos validate a serialized copy ($out/bag.tar.gz)"
tar -C "$out" -czf "$out/bag.tar.gz" bag
"$custos" validate "$out/bag.tar.gz"
if "$custos" identify --help >/dev/null 2>&1 && "$custos" identify "$out/bag/data" >"$out/formats.txt" 2>/dev/null; then
	echo "== custos identify (formats of the payload)"
	cat "$out/formats.txt"
fi
