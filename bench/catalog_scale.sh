#!/bin/bash
# bench/catalog_scale.sh - the catalog at a million files: size per
# million files and the time of `custos ls` and of due-selection queries.
# Rows are synthesized with SQL (10,000 objects x 100 files, two copies
# each, sha256 + sha512 + format record per file) into a real repository.
# Usage: bench/catalog_scale.sh [CUSTOS] [WORKDIR]; needs sqlite3.
set -euo pipefail
custos=${1:-build/cli/custos}
work=${2:-bench/work/catalog}
objects=${OBJECTS:-10000}
per=${FILES_PER_OBJECT:-100}
rm -rf "$work" && mkdir -p "$work"
"$custos" init "$work/repo" >/dev/null
db=$work/repo/custos.db
t0=$(date +%s.%N)
sqlite3 "$db" <<SQL
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $objects)
INSERT INTO objects(ident, created) SELECT printf('obj-%012d', i), '2026-01-01T00:00:00Z' FROM n;
INSERT INTO versions(object_id, number, created, source, files, bytes)
  SELECT id, 1, created, 'synthetic', $per, $per * 4096 FROM objects;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < $per)
INSERT INTO files(version_id, path, size, sha256, sha512, puid, format_name, format_version, mime, basis)
  SELECT v.id, printf('data/folder-%03d/file-%06d.tif', j % 10, j), 4096,
         lower(hex(randomblob(32))), lower(hex(randomblob(64))),
         'fmt/353', 'Tagged Image File Format', '', 'image/tiff', 'signature'
  FROM versions v, k;
INSERT INTO copies(version_id, location_id, status, created, last_verified)
  SELECT v.id, l.id, 'ok', v.created,
         strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || (abs(random()) % 300) || ' days')
  FROM versions v, locations l;
COMMIT;
ANALYZE;
SQL
t1=$(date +%s.%N)
files=$(sqlite3 "$db" 'SELECT COUNT(*) FROM files')
bytes=$(stat -c %s "$db")
echo "synthesized $files files in $(echo "$t1 - $t0" | bc) s"
echo "catalog: $bytes bytes = $(echo "scale=1; $bytes / 1048576 * 1000000 / $files" | bc) MiB per million files"
best() { local b=999; for i in 1 2 3; do s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); t=$(echo "$e - $s" | bc); b=$(echo "if ($t < $b) $t else $b" | bc); done; echo "$b"; }
echo "custos ls ($objects objects): $(best "$custos" ls -r "$work/repo") s (best of 3)"
echo "custos ls --json: $(best "$custos" ls -r "$work/repo" --json) s"
echo "due copies, oldest first, first 1000: $(best sqlite3 "$db" "SELECT id FROM copies WHERE last_verified < '2026-06-01' ORDER BY last_verified LIMIT 1000") s"
echo "custos show one object (100 files): $(best "$custos" show -r "$work/repo" obj-000000005000) s"
