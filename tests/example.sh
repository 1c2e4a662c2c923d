#!/bin/bash
# tests/example.sh - the main job on the bundled example collection, as the
# README quick start runs it: create a repository under the default policy
# (two copies), ingest the collection (the source stays untouched), list
# and show what is stored, audit every copy, damage one copy and let the
# audit find and repair it, export the object as a bag for a partner and
# validate that, verify the event log, and end with a signed evidence
# report of the repository (verified), saying where to open it.
# Usage: tests/example.sh [CUSTOS_BINARY] [OUTPUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
custos=${1:-$here/build/cli/custos}
out=${2:-$here/example-run}
collection=$here/tests/resources/example-collection
repo=$out/repository

rm -rf "$out"
mkdir -p "$out"
step() { printf '\n== %s\n' "$*"; }

step "custos init $repo   (policy: policies/default.ini)"
"$custos" init "$repo"
step "custos ingest (the example collection, a copy in each location)"
"$custos" ingest -r "$repo" --id reading-room-papers "$collection" \
	--info "Source-Organization=Example County Historical Society" \
	--info "External-Description=Reading room papers, 1920-1921"
step "custos ls"
"$custos" ls -r "$repo"
step "custos show reading-room-papers"
"$custos" show -r "$repo" reading-room-papers
step "custos audit --all   (every copy re-read and checked against the catalog)"
"$custos" audit -r "$repo" --all
step "a byte of the secondary copy rots; custos audit finds it, --repair fixes it from the good copy"
printf 'X' | dd of="$repo/store/secondary/reading-room-papers/v1/data/README.txt" \
	bs=1 seek=10 conv=notrunc status=none
"$custos" audit -r "$repo" --all --repair || true
"$custos" audit -r "$repo" --all
step "custos export reading-room-papers $out/reading-room-papers.tar.gz, then custos validate it"
"$custos" export -r "$repo" reading-room-papers "$out/reading-room-papers.tar.gz"
"$custos" validate "$out/reading-room-papers.tar.gz"
step "custos log verify"
"$custos" log verify -r "$repo"
step "custos keygen + custos report --sign, then custos report verify"
"$custos" keygen --out "$out/signing-key"
"$custos" report -r "$repo" --out "$out/report" --sign "$out/signing-key.pem"
"$custos" report verify "$out/report" --pubkey "$out/signing-key.pub"
printf '\nThe evidence report is in %s/report: open %s/report/index.html in a browser.\n' "$out" "$out"
