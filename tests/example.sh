#!/bin/bash
# tests/example.sh - the main job on the bundled example collection, as the
# README quick start runs it: create a repository under the default policy
# (two copies), ingest the collection (the source stays untouched), list
# and show what is stored, export it as a bag for a partner and validate
# that, and verify the event log.
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
step "custos export reading-room-papers $out/reading-room-papers.tar.gz, then custos validate it"
"$custos" export -r "$repo" reading-room-papers "$out/reading-room-papers.tar.gz"
"$custos" validate "$out/reading-room-papers.tar.gz"
step "custos log verify"
"$custos" log verify -r "$repo"
