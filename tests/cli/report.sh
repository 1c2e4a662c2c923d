#!/bin/bash
# tests/cli/report.sh - the evidence report from the command line: figures
# equal to a repository built here (counted independently of custos),
# Merkle root recomputed in Python from the stored records, NDSA cells for
# the default and the ndsa-level-2 policies, signatures checked by custos,
# openssl and sha256sum and broken by one changed byte in any file, a
# rewritten or deleted event caught by log verify and the consistency
# proof, and inclusion proofs of every event.
. "$(dirname "$0")/lib.sh"
POL=$(cd "$(dirname "$0")/../../policies" && pwd)
R=$SCRATCH/repo
J() { jq -r "$1" "$2/report.json"; }
want() { # want WHAT GOT EXPECTED
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}

# a repository with content we know: 2 objects, 5 files, a refused deposit
mkdir -p "$SCRATCH/a/sub" "$SCRATCH/b"
printf 'hello world\n' >"$SCRATCH/a/one.txt"
printf 'a,b\n1,2\n' >"$SCRATCH/a/sub/two.csv"
printf '%%PDF-1.4\n%%%%EOF\n' >"$SCRATCH/a/three.pdf"
head -c 3000 /dev/zero >"$SCRATCH/b/zeros.bin"
printf '<html><body>x</body></html>\n' >"$SCRATCH/b/page.html"
BYTES=$(cat "$SCRATCH"/a/one.txt "$SCRATCH"/a/sub/two.csv "$SCRATCH"/a/three.pdf \
	"$SCRATCH"/b/zeros.bin "$SCRATCH"/b/page.html | wc -c)
check_rc 0 init -- "$CUSTOS" init "$R"
check_rc 0 "ingest a" -- "$CUSTOS" ingest -r "$R" --id alpha "$SCRATCH/a"
check_rc 0 "ingest b" -- "$CUSTOS" ingest -r "$R" --id beta "$SCRATCH/b"
mkdir -p "$SCRATCH/badbag/data" && printf 'x\n' >"$SCRATCH/badbag/data/f"
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$SCRATCH/badbag/bagit.txt"
printf '0000000000000000000000000000000000000000000000000000000000000000  data/f\n' \
	>"$SCRATCH/badbag/manifest-sha256.txt"
check_rc 1 "refused deposit" -- "$CUSTOS" ingest -r "$R" --id gamma "$SCRATCH/badbag"

check_rc 2 "report needs --out" -- "$CUSTOS" report -r "$R"
check_rc 0 "report" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/rep1"
check_grep "index.html" "$SCRATCH/out" "report says where to open it"
check_grep "^2 objects, 5 files; 100.00% of file copies" "$SCRATCH/out" "report summary line"
check_grep "Merkle tree size $(sqlite3 "$R/custos.db" "SELECT COUNT(*) FROM events")," "$SCRATCH/out" "summary states the tree size"
check_rc 2 "report into a non-empty folder" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/rep1"
for f in index.html report.json findings.csv events.xml MANIFEST-sha256.txt; do
	[ -s "$SCRATCH/rep1/$f" ] && ok || bad "report lacks $f"
done
D=$SCRATCH/rep1

# figures equal what was built
want "objects" "$(J .holdings.objects "$D")" 2
want "versions" "$(J .holdings.versions "$D")" 2
want "files" "$(J .holdings.files "$D")" 5
want "bytes" "$(J .holdings.bytes "$D")" "$BYTES"
want "copies" "$(J .holdings.copies "$D")" 4
want "copies ok" "$(J .holdings.copies_ok "$D")" 4
want "versions meeting policy" "$(J .holdings.versions_meeting_policy "$D")" 2
want "file copies" "$(J .coverage.file_copies "$D")" 10
want "verified within interval" "$(J .coverage.verified_within_interval "$D")" 10
want "verified by an audit (none ran)" "$(J .coverage.verified_by_audit "$D")" 0
want "coverage percent" "$(J .coverage.percent "$D")" 100
want "policy in force" "$(J .policy.in_force.name "$D")" "custos default policy"
want "policy digest" "$(J .policy.in_force.sha256 "$D")" "$(sha256sum "$R/policy.ini" | cut -d' ' -f1)"
want "policy history" "$(J '.policy.history | length' "$D")" 1
want "policy recorded" "$(J .policy.in_force.recorded_in_catalog "$D")" true
EVENTS=$(sqlite3 "$R/custos.db" 'SELECT COUNT(*) FROM events')
want "event count" "$(J .log.events "$D")" "$EVENTS"
want "head hash" "$(J .log.head_hash "$D")" "$(sqlite3 "$R/custos.db" 'SELECT hash FROM events ORDER BY id DESC LIMIT 1')"
want "chain intact" "$(J .log.hash_chain.intact "$D")" true
want "tree size" "$(J .log.merkle.tree_size "$D")" "$EVENTS"
ROOT=$(python3 - "$R/custos.db" <<'PY'
import hashlib, sqlite3, sys
recs = [r[0].encode() for r in sqlite3.connect(sys.argv[1]).execute("SELECT record FROM events ORDER BY id")]
H = lambda b: hashlib.sha256(b).digest()
def mth(d):
    if len(d) == 1: return H(b"\0" + d[0])
    k = 1
    while k * 2 < len(d): k *= 2
    return H(b"\1" + mth(d[:k]) + mth(d[k:]))
print(mth(recs).hex())
PY
)
want "merkle root (python RFC 9162)" "$(J .log.merkle.root "$D")" "$ROOT"
# the refused deposit is the one failure; formats match the catalog
want "findings" "$(J '.findings | length' "$D")" 1
want "finding is the refused deposit" "$(J '.findings[0].type' "$D")" val
want "findings.csv rows" "$(grep -c '^"finding"' "$D/findings.csv")" 1
sqlite3 "$R/custos.db" "SELECT COALESCE(puid, 'null') || ' ' || COUNT(*) FROM files GROUP BY puid ORDER BY puid" >"$SCRATCH/fmt.want"
jq -r '.formats.by_puid[] | "\(.puid // "null") \(.files)"' "$D/report.json" | sort >"$SCRATCH/fmt.got"
sort "$SCRATCH/fmt.want" -o "$SCRATCH/fmt.want"
cmp -s "$SCRATCH/fmt.want" "$SCRATCH/fmt.got" && ok || bad "formats differ: $(cat "$SCRATCH/fmt.got")"
want "format file total" "$(jq '[.formats.by_puid[].files] | add' "$D/report.json")" 5

# PREMIS 3: well-formed, every event, LoC URIs
if command -v xmllint >/dev/null; then
	xmllint --noout "$D/events.xml" && ok || bad "events.xml is not well-formed"
else
	missing "xmllint is not installed (libxml2-utils): events.xml was not checked for well-formedness"
fi
want "PREMIS events" "$(grep -c '<premis:event>' "$D/events.xml")" "$EVENTS"
want "PREMIS file objects" "$(grep -c 'xsi:type="premis:file"' "$D/events.xml")" 5
check_grep 'version="3.0"' "$D/events.xml" "PREMIS version"
check_grep 'valueURI="http://id.loc.gov/vocabulary/preservation/eventType/ing"' "$D/events.xml" "eventType URI"
check_grep 'valueURI="http://id.loc.gov/vocabulary/preservation/eventOutcome/fai"' "$D/events.xml" "outcome URI"
# the HTML stands alone: no script, no external resource, charts, print CSS
check_nogrep '<script' "$D/index.html" "no script"
check_nogrep 'src=\|<link' "$D/index.html" "no external resource"
check_grep '<svg' "$D/index.html" "inline SVG"
check_grep '@media print' "$D/index.html" "print CSS"
check_grep "$ROOT" "$D/index.html" "HTML states the tree root"

# in a browser (Debian's chromium): no console message, a
# screenshot kept beside the binary (or in $CUSTOS_ARTIFACTS); a page with
# a console error shows the check can fail
if command -v chromium >/dev/null; then
	shoot() { timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--window-size=1200,3000 --enable-logging=stderr --v=0 --screenshot="$2" \
		"file://$1" >/dev/null 2>"$3"; }
	SHOT=${CUSTOS_ARTIFACTS:-$(dirname "$CUSTOS")}/report-screenshot.png
	shoot "$D/index.html" "$SHOT" "$SCRATCH/chromium.err"
	[ "$(head -c 4 "$SHOT" 2>/dev/null | tail -c 3)" = PNG ] && ok || bad "no screenshot of the report"
	check_nogrep 'CONSOLE' "$SCRATCH/chromium.err" "browser console while opening index.html"
	printf '<html><body><script>console.error("boom")</script></body></html>' >"$SCRATCH/neg.html"
	shoot "$SCRATCH/neg.html" "$SCRATCH/neg.png" "$SCRATCH/neg.err"
	check_grep 'CONSOLE' "$SCRATCH/neg.err" "the console check sees a console error"
else
	missing "chromium is not installed: index.html was not opened in a browser"
fi

# NDSA with the default policy: both copies in the repository's directory
want "default S1a" "$(J '.ndsa.areas.storage.cells[] | select(.cell=="S1a") | .status' "$D")" "not met"
want "default S1b" "$(J '.ndsa.areas.storage.cells[] | select(.cell=="S1b") | .status' "$D")" met
want "default S1c" "$(J '.ndsa.areas.storage.cells[] | select(.cell=="S1c") | .status' "$D")" "needs attestation"
want "default I1b" "$(J '.ndsa.areas.integrity.cells[] | select(.cell=="I1b") | .status' "$D")" met
want "default I2a" "$(J '.ndsa.areas.integrity.cells[] | select(.cell=="I2a") | .status' "$D")" met
want "default I3c (no audit)" "$(J '.ndsa.areas.integrity.cells[] | select(.cell=="I3c") | .status' "$D")" "not met"
want "default M1a" "$(J '.ndsa.areas.metadata.cells[] | select(.cell=="M1a") | .status' "$D")" met
want "default N1a" "$(J '.ndsa.areas.content.cells[] | select(.cell=="N1a") | .status' "$D")" met
want "default storage level" "$(J .ndsa.areas.storage.level "$D")" 0
want "default storage level if attested" "$(J .ndsa.areas.storage.level_if_attested "$D")" 0
want "default overall level" "$(J .ndsa.level "$D")" 0
want "iso 5.1.2" "$(J '.iso16363.metrics[] | select(.metric=="5.1.2") | .status' "$D")" evidenced
want "iso 4.4.1.2 without audits" "$(J '.iso16363.metrics[] | select(.metric=="4.4.1.2") | .status' "$D")" "partly evidenced"
want "CoreTrustSeal R14" "$(J .coretrustseal.status "$D")" "partly evidenced"

# NDSA with the level-2 example (its mount points moved into scratch)
R2=$SCRATCH/repo2
sed -e "s|/mnt/campus-a-library/custos|$SCRATCH/second|" -e "s|/mnt/city-b/custos|$SCRATCH/offsite|" \
	"$POL/ndsa-level-2.ini" >"$SCRATCH/l2.ini"
check_rc 0 "init level 2" -- "$CUSTOS" init "$R2" --policy "$SCRATCH/l2.ini"
check_rc 0 "ingest level 2" -- "$CUSTOS" ingest -r "$R2" --id alpha "$SCRATCH/a" \
	--info Source-Organization=Test --info Contact-Name=Tester
check_rc 0 "report level 2" -- "$CUSTOS" report -r "$R2" --out "$SCRATCH/rep2"
D2=$SCRATCH/rep2
cell() { J ".ndsa.areas.$1.cells[] | select(.cell==\"$2\") | .status" "$D2"; }
want "l2 S1a" "$(cell storage S1a)" met
want "l2 S2a" "$(cell storage S2a)" met
want "l2 S3a (two threat zones)" "$(cell storage S3a)" met
want "l2 S3b (all disk)" "$(cell storage S3b)" "not met"
want "l2 M2a (required bag-info present)" "$(cell metadata M2a)" met
want "l2 storage level if attested" "$(J .ndsa.areas.storage.level_if_attested "$D2")" 2
want "l2 storage level (no attestations)" "$(J .ndsa.areas.storage.level "$D2")" 0
want "l2 copies" "$(J .holdings.copies_ok "$D2")" 3
J '.ndsa.areas.storage.missing_for_next_level[].cell' "$D2" >"$SCRATCH/miss"
check_grep S1c "$SCRATCH/miss" "missing for the next level names the attestation"

# keys and signatures: custos keygen and plain openssl keys
check_rc 0 keygen -- "$CUSTOS" keygen --out "$SCRATCH/k"
want "private key mode" "$(stat -c %a "$SCRATCH/k.pem")" 600
check_rc 2 "keygen refuses to overwrite" -- "$CUSTOS" keygen --out "$SCRATCH/k"
openssl genpkey -algorithm ed25519 -out "$SCRATCH/o.pem" 2>/dev/null
openssl pkey -in "$SCRATCH/o.pem" -pubout -out "$SCRATCH/o.pub"
check_rc 0 "signed report" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/srep" --sign "$SCRATCH/k.pem" --timestamp-request
S=$SCRATCH/srep
check_rc 0 "verify" -- "$CUSTOS" report verify "$S" --pubkey "$SCRATCH/k.pub"
check_grep "verified" "$SCRATCH/out" "verify says verified"
check_rc 1 "verify with another key" -- "$CUSTOS" report verify "$S" --pubkey "$SCRATCH/o.pub"
check_grep "BAD SIGNATURE" "$SCRATCH/out" "wrong key named"
# the exit-code table: a key that is not there is a configuration error
# (2); a file that is not a public key makes the report unverifiable (1)
check_rc 2 "verify with a missing key" -- "$CUSTOS" report verify "$S" --pubkey "$SCRATCH/no-such.pub"
echo "not a key" >"$SCRATCH/junk.pub"
check_rc 1 "verify with a file that is no key" -- "$CUSTOS" report verify "$S" --pubkey "$SCRATCH/junk.pub"
check_grep "not a PEM public key" "$SCRATCH/err" "the bad key is named"
check_rc 2 "verify needs a key" -- "$CUSTOS" report verify "$S"
check_rc 0 "openssl verifies" -- openssl pkeyutl -verify -pubin -inkey "$SCRATCH/k.pub" -rawin \
	-in "$S/MANIFEST-sha256.txt" -sigfile "$S/MANIFEST-sha256.txt.sig"
check_rc 0 "sha256sum -c" -- sh -c "cd '$S' && sha256sum -c MANIFEST-sha256.txt"
check_rc 0 "tsq parses" -- openssl ts -query -in "$S/log-head.tsq" -text
check_grep "Nonce" "$SCRATCH/out" "timestamp request has a nonce"
check_rc 0 "openssl-key report" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/orep" --sign "$SCRATCH/o.pem"
check_rc 0 "openssl-key report verifies" -- "$CUSTOS" report verify "$SCRATCH/orep" --pubkey "$SCRATCH/o.pub"

# an RFC 3161 reply from a local test TSA (added after signing) verifies;
# a changed reply or another CA does not
T=$SCRATCH/tsa && mkdir -p "$T"
printf '[ tsa ]\ndefault_tsa = t\n[ t ]\nserial = %s/serial\ncrypto_device = builtin\nsigner_cert = %s/tsa.crt\nsigner_key = %s/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\nother_policies = 1.2.3.4.2\ndigests = sha256\naccuracy = secs:1\nordering = yes\ntsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n' "$T" "$T" "$T" >"$T/tsa.cnf"
mkca() { openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/$1.key" \
	-out "$T/$1.pem" -days 30 -subj "/CN=$1" -addext basicConstraints=critical,CA:TRUE \
	-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null; }
mkca ca && mkca otherca
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/tsa.key" \
	-out "$T/tsa.csr" -subj /CN=tsa 2>/dev/null
printf 'extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\n' >"$T/ext"
openssl x509 -req -in "$T/tsa.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
	-out "$T/tsa.crt" -days 30 -extfile "$T/ext" 2>/dev/null
echo 01 >"$T/serial"
cp -a "$S" "$SCRATCH/ts"
check_rc 0 "test TSA replies" -- openssl ts -reply -config "$T/tsa.cnf" -queryfile "$SCRATCH/ts/log-head.tsq" -out "$SCRATCH/ts/log-head.tsr"
check_rc 0 "timestamp verifies" -- "$CUSTOS" report verify "$SCRATCH/ts" --pubkey "$SCRATCH/k.pub" --tsa-ca "$T/ca.pem"
check_grep "timestamp ok" "$SCRATCH/out" "timestamp verified"
check_rc 0 "token noted without --tsa-ca" -- "$CUSTOS" report verify "$SCRATCH/ts" --pubkey "$SCRATCH/k.pub"
check_grep "not checked" "$SCRATCH/out" "unchecked token said"
check_rc 1 "timestamp with another CA" -- "$CUSTOS" report verify "$SCRATCH/ts" --pubkey "$SCRATCH/k.pub" --tsa-ca "$T/otherca.pem"
check_grep "BAD TIMESTAMP" "$SCRATCH/out" "bad timestamp named"
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[-10]^=1; open(p,'wb').write(b)" "$SCRATCH/ts/log-head.tsr"
check_rc 1 "changed timestamp reply" -- "$CUSTOS" report verify "$SCRATCH/ts" --pubkey "$SCRATCH/k.pub" --tsa-ca "$T/ca.pem"

# one changed byte in any file breaks verification, naming the file
for f in index.html report.json findings.csv events.xml log-head.txt log-head.tsq \
	 MANIFEST-sha256.txt MANIFEST-sha256.txt.sig; do
	rm -rf "$SCRATCH/t" && cp -a "$S" "$SCRATCH/t"
	python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(b)" "$SCRATCH/t/$f"
	check_rc 1 "one byte of $f" -- "$CUSTOS" report verify "$SCRATCH/t" --pubkey "$SCRATCH/k.pub"
	case $f in
	MANIFEST*)
		check_grep "BAD SIGNATURE" "$SCRATCH/out" "changed $f"
		check_rc 1 "openssl refuses changed $f" -- openssl pkeyutl -verify -pubin \
			-inkey "$SCRATCH/k.pub" -rawin -in "$SCRATCH/t/MANIFEST-sha256.txt" \
			-sigfile "$SCRATCH/t/MANIFEST-sha256.txt.sig";;
	*)
		check_grep "CHANGED $f" "$SCRATCH/out" "changed $f named"
		check_rc 1 "sha256sum refuses changed $f" -- sh -c "cd '$SCRATCH/t' && sha256sum -c --quiet MANIFEST-sha256.txt";;
	esac
done
rm -rf "$SCRATCH/t" && cp -a "$S" "$SCRATCH/t" && echo extra >"$SCRATCH/t/extra.txt"
check_rc 1 "unlisted file" -- "$CUSTOS" report verify "$SCRATCH/t" --pubkey "$SCRATCH/k.pub"
check_grep "UNLISTED extra.txt" "$SCRATCH/out" "unlisted file named"
rm -rf "$SCRATCH/t" && cp -a "$S" "$SCRATCH/t" && rm "$SCRATCH/t/events.xml"
check_rc 1 "missing file" -- "$CUSTOS" report verify "$SCRATCH/t" --pubkey "$SCRATCH/k.pub"
check_grep "MISSING events.xml" "$SCRATCH/out" "missing file named"

# inclusion proofs of every event; the log grows and stays consistent
for id in $(sqlite3 "$R/custos.db" 'SELECT id FROM events ORDER BY id'); do
	check_rc 0 "prove event $id" -- "$CUSTOS" report prove -r "$R" "$id"
	check_grep "inclusion proof verified" "$SCRATCH/out" "prove event $id"
done
U=$(sqlite3 "$R/custos.db" 'SELECT uuid FROM events WHERE id = 2')
check_rc 0 "prove by identifier" -- "$CUSTOS" report prove -r "$R" "$U"
check_rc 2 "prove unknown event" -- "$CUSTOS" report prove -r "$R" no-such-event
check_rc 0 "ingest more" -- "$CUSTOS" ingest -r "$R" --id delta "$SCRATCH/b"
check_rc 0 "consistency after growth" -- "$CUSTOS" report consistency -r "$R" "$S" --pubkey "$SCRATCH/k.pub"
check_grep "the log only grew" "$SCRATCH/out" "consistency verified"

# what an audit leaves (rows as the auditor writes them: file_checks state
# 'verified' or the finding, copy status 'damaged', an audit_runs row, fix
# fai then rep + fix related to it, events appended with a valid chain)
A=$SCRATCH/audited
cp -a "$R" "$A"
cat >"$SCRATCH/addev.py" <<'PY'
import hashlib, json, sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
typ, outcome, obj, ver, loc, detail, note, related = sys.argv[2:10]
V = "http://id.loc.gov/vocabulary/preservation/"
prev, last = db.execute("SELECT hash, record FROM events ORDER BY id DESC LIMIT 1").fetchone()
when = json.loads(last)["datetime"]
u = str(uuid.uuid4())
rec = {"identifier": u, "type": V + "eventType/" + typ, "datetime": when,
       "outcome": V + "eventOutcome/" + outcome, "detail": detail, "object": obj,
       "version": int(ver), "location": loc, "agent": json.loads(last)["agent"]}
if note: rec["outcome_note"] = note
if related: rec["related_event"] = related
s = json.dumps(rec, sort_keys=True, separators=(",", ":"))
h = hashlib.sha256(b"\x02" + bytes.fromhex(prev) + hashlib.sha256(s.encode()).digest()).hexdigest()
db.execute("INSERT INTO events(uuid, type, datetime, outcome, object, version, location,"
           " record, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?,?)",
           (u, typ, when, outcome, obj, int(ver), loc, s, prev, h))
db.commit()
print(u)
PY
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sqlite3 "$A/custos.db" "
INSERT INTO audit_runs(started, ended, files, bytes, findings, budget_reached, summary)
  VALUES('2026-01-01T10:00:00Z', '2026-01-01T10:00:10Z', 6, 4000, 1, 0, '{}');
INSERT INTO file_checks(file_id, copy_id, last_verified, state)
  SELECT f.id, c.id, '$NOW', CASE WHEN f.path = 'data/one.txt' AND l.name = 'primary'
    THEN 'changed' ELSE 'verified' END
  FROM files f JOIN versions v ON v.id = f.version_id JOIN objects o ON o.id = v.object_id
  JOIN copies c ON c.version_id = v.id JOIN locations l ON l.id = c.location_id
  WHERE o.ident = 'alpha';
UPDATE copies SET status = 'damaged' WHERE location_id = (SELECT id FROM locations
  WHERE name = 'primary') AND version_id = (SELECT v.id FROM versions v JOIN objects o
  ON o.id = v.object_id WHERE o.ident = 'alpha');"
FIX=$(python3 "$SCRATCH/addev.py" "$A/custos.db" fix fai alpha 1 primary "audit run 1" \
	"data/one.txt: changed; expected 00; actual 11" "")
check_rc 0 "appended events keep the chain" -- "$CUSTOS" log verify -r "$A"
check_rc 0 "report after an audit" -- "$CUSTOS" report -r "$A" --out "$SCRATCH/arep"
AR=$SCRATCH/arep
want "audited: file copies" "$(J .coverage.file_copies "$AR")" 14
want "audited: verified within" "$(J .coverage.verified_within_interval "$AR")" 11
want "audited: verified by audit" "$(J .coverage.verified_by_audit "$AR")" 3
want "audited: verified at write" "$(J .coverage.verified_at_write "$AR")" 8
want "audited: not checked" "$(J '.coverage.not_checked | length' "$AR")" 3
want "audited: reason" "$(J '.coverage.not_checked[0].reason' "$AR")" "copy status is damaged"
want "audited: open finding" "$(J '.open_file_findings[0].path + " " + .open_file_findings[0].state' "$AR")" "data/one.txt changed"
want "audited: findings" "$(J '[.findings[] | select(.type == "fix")] | length' "$AR")" 1
want "audited: finding note" "$(J '[.findings[] | select(.type == "fix")][0].event' "$AR")" "$FIX"
want "audited: runs" "$(J '.audit_runs | length' "$AR")" 1
want "audited: throughput" "$(J '.audit_runs[0].bytes_per_second' "$AR")" 400
want "audited: run seconds" "$(J '.audit_runs[0].seconds' "$AR")" 10
want "audited: versions below policy" "$(J '.holdings.versions_below_policy[0].object' "$AR")" alpha
want "audited: I3c" "$(J '.ndsa.areas.integrity.cells[] | select(.cell=="I3c") | .status' "$AR")" met
want "audited: I4b unrepaired" "$(J '.ndsa.areas.integrity.cells[] | select(.cell=="I4b") | .status' "$AR")" "not met"
want "audited: 5.1.1.3.1 unrepaired" "$(J '.iso16363.metrics[] | select(.metric=="5.1.1.3.1") | .status' "$AR")" "partly evidenced"
check_grep "$FIX" "$AR/findings.csv" "findings.csv lists the failed check"
REP=$(python3 "$SCRATCH/addev.py" "$A/custos.db" rep suc alpha 1 primary "restored from secondary" "" "$FIX")
python3 "$SCRATCH/addev.py" "$A/custos.db" fix suc alpha 1 primary "repaired copy verified" "" "$REP" >/dev/null
check_rc 0 "report after the repair" -- "$CUSTOS" report -r "$A" --out "$SCRATCH/arep2"
want "repaired: repairs" "$(J '.repairs[0].related_event' "$SCRATCH/arep2")" "$FIX"
want "repaired: I4b" "$(J '.ndsa.areas.integrity.cells[] | select(.cell=="I4b") | .status' "$SCRATCH/arep2")" met
want "repaired: 5.1.1.3.1" "$(J '.iso16363.metrics[] | select(.metric=="5.1.1.3.1") | .status' "$SCRATCH/arep2")" evidenced
check_grep '"repair"' "$SCRATCH/arep2/findings.csv" "findings.csv lists the repair"

# a rewritten event: log verify and the consistency proof fail
cp -a "$R" "$SCRATCH/edited"
sqlite3 "$SCRATCH/edited/custos.db" "DROP TRIGGER events_no_update;
	UPDATE events SET record = replace(record, '\"suc\"', '\"fai\"'), outcome = 'fai' WHERE id = 3;
	UPDATE events SET record = replace(record, 'computed', 'Computed') WHERE id = 2;"
check_rc 1 "log verify catches the edit" -- "$CUSTOS" log verify -r "$SCRATCH/edited"
check_rc 1 "consistency catches the edit" -- "$CUSTOS" report consistency -r "$SCRATCH/edited" "$S"
check_grep "FAILED" "$SCRATCH/out" "consistency failure said"
# a deleted event: the same
cp -a "$R" "$SCRATCH/deleted"
sqlite3 "$SCRATCH/deleted/custos.db" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 4;"
check_rc 1 "log verify catches the deletion" -- "$CUSTOS" log verify -r "$SCRATCH/deleted"
check_rc 1 "consistency catches the deletion" -- "$CUSTOS" report consistency -r "$SCRATCH/deleted" "$S"
# a truncated log (last events removed, chain still intact): the heads in the
# locations catch it, and so does consistency
cp -a "$R" "$SCRATCH/short"
sqlite3 "$SCRATCH/short/custos.db" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id > 3;"
check_rc 1 "a truncated chain is caught by the heads" -- "$CUSTOS" log verify -r "$SCRATCH/short"
check_grep '^event log CUT' "$SCRATCH/out" "truncation named"
check_rc 1 "consistency catches the truncation" -- "$CUSTOS" report consistency -r "$SCRATCH/short" "$S"

# --since: the period holds nothing from the future
check_rc 0 "report since" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/future" --since 2999-01-01
want "no findings after 2999" "$(J '.findings | length' "$SCRATCH/future")" 0
want "no PREMIS events after 2999" "$(grep -c '<premis:event>' "$SCRATCH/future/events.xml")" 0
check_rc 2 "bad --since" -- "$CUSTOS" report -r "$R" --out "$SCRATCH/x" --since yesterday

report_done
