#!/bin/bash
# tests/cli/s3.sh - storage locations on S3 (preserve/storage/s3/location_s3.c)
# against a real Ceph RADOS Gateway started by tests/tools/ceph-rgw-up:
# ingest into a filesystem + S3 repository and into an S3-first one, the
# bucket as a readable copy, export falling back to the S3 copy, a
# multipart upload, crashes mid-replication recovered, a missing bucket and
# refused credentials, bit rot planted under the gateway (rados put) and a
# stopped gateway. Without Ceph it is skipped (exit 77) on a developer's
# machine and fails in CI (lib.sh's missing). The auditor finds rot under
# the gateway and damage through the S3 API in the right states and
# repairs them from the filesystem copy; with the gateway down it reports
# storage-unavailable, never missing.
. "$(dirname "$0")/lib.sh"
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
CEPH_DIR=$SCRATCH/ceph
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

for tool in ceph-mon ceph-osd radosgw radosgw-admin rados uuidgen ss curl sqlite3; do
	command -v $tool >/dev/null 2>&1 ||
		missing_all "'$tool' is not installed (.ci/install-deps installs Ceph: ceph-mon ceph-osd radosgw ceph-common)"
done
trap '"$TOOLS/ceph-rgw-down" "$CEPH_DIR" >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
# the gateway runs on free ports of its own; 1 GiB in memory is plenty
OSD_MB=1024 "$TOOLS/ceph-rgw-up" "$CEPH_DIR" >"$SCRATCH/ceph-up.log" 2>&1 || {
	tail -20 "$SCRATCH/ceph-up.log" >&2
	missing_all "Ceph did not start: $(grep -m1 'ceph-rgw-up:' "$SCRATCH/ceph-up.log")"
}
. "$CEPH_DIR/s3.env"
export CEPH_CONF
EMPTY=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

# s3 METHOD PATH [curl args]: a signed request with curl (7.88 signs but
# needs x-amz-content-sha256 given: the empty body's, or UNSIGNED-PAYLOAD)
s3() {
	local method=$1 path=$2
	shift 2
	curl -s --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
		-H "x-amz-content-sha256: ${SHA:-$EMPTY}" -X "$method" "$@" "$S3_ENDPOINT/$path"
}
# keys BUCKET PREFIX: every key under PREFIX, sorted (the query given
# sorted and encoded, since curl 7.88 signs it as it is)
keys() {
	s3 GET "$1?list-type=2&max-keys=1000&prefix=$(printf %s "$2" | sed 's|/|%2F|g')" | grep -o '<Key>[^<]*</Key>' |
		sed 's/<Key>\(.*\)<\/Key>/\1/' | sort
}

for b in custos-a custos-b custos-gone; do
	[ "$(s3 PUT "$b" -o /dev/null -w '%{http_code}')" = 200 ] && ok || bad "bucket $b not created"
done
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
	"$S3_ACCESS_KEY" "$S3_SECRET_KEY" >"$SCRATCH/creds.ini"

# policy NAME FIRST BUCKET [env]: a policy with a filesystem and an s3
# location, FIRST = fs or s3 (the first location is where ingest writes);
# the keys from creds.ini, or with "env" from the environment
policy() {
	local fs="[location.primary]
path = store/primary" s3="[location.offsite]
type = s3
endpoint = $S3_ENDPOINT
bucket = $3
prefix = collections/$1
s3_region = $S3_REGION"
	[ "${4:-}" = env ] || s3="$s3
credentials = $SCRATCH/creds.ini"
	printf '[policy]\nname = %s\n[copies]\nrequired = 2\n' "$1" >"$SCRATCH/$1.ini"
	if [ "$2" = fs ]; then printf '%s\n%s\n' "$fs" "$s3"; else printf '%s\n%s\n' "$s3" "$fs"; fi >>"$SCRATCH/$1.ini"
}
sum_tree() { (cd "$1" && find . -type f -exec sha256sum {} + | sort); }

# ---- filesystem first, S3 second ----------------------------------------
R=$SCRATCH/repo
policy r1 fs custos-a
check_rc 0 init -- "$CUSTOS" init "$R" --policy "$SCRATCH/r1.ini"
check_rc 0 "ingest" -- "$CUSTOS" ingest -r "$R" --id letters "$EX"
check_grep '^letters v1: 7 files, 1581 bytes, 2 verified copies' "$SCRATCH/out" ingest
keys custos-a collections/r1/ | grep -v '^collections/r1/\.custos-log/' >"$SCRATCH/keys"
check_grep '^collections/r1/letters/v1/data/correspondence/1921-03-19-reply.html$' "$SCRATCH/keys" "bucket mirrors the bag"
check_grep '^collections/r1/letters/v1/\.custos-complete$' "$SCRATCH/keys" "completion marker"
check_grep '^collections/r1/letters/v1/manifest-sha256.txt$' "$SCRATCH/keys" "tag files in the bucket"
check_nogrep 'custos-staging' "$SCRATCH/keys" "no stage record after commit"
[ "$(wc -l <"$SCRATCH/keys")" = 16 ] && ok || bad "bucket holds $(wc -l <"$SCRATCH/keys") keys, want 16"
s3 GET custos-a/collections/r1/letters/v1/data/README.txt -o "$SCRATCH/readme"
cmp -s "$SCRATCH/readme" "$EX/README.txt" && ok || bad "README.txt in the bucket differs from the source"
grep -rq "$S3_SECRET_KEY" "$R/custos.db" "$R/policy.ini" && bad "the secret key is in the repository" || ok

# the S3 copy alone is a complete copy: export falls back to it
rm -rf "$R/store/primary/letters/v1"
check_rc 0 "export from s3" -- "$CUSTOS" export -r "$R" letters "$SCRATCH/exp1"
check_grep "from location 'offsite'" "$SCRATCH/out" "export used the s3 copy"
check_rc 0 "exported bag valid" -- "$CUSTOS" validate "$SCRATCH/exp1"
sum_tree "$EX" >"$SCRATCH/want"
sum_tree "$SCRATCH/exp1/data" >"$SCRATCH/got"
cmp -s "$SCRATCH/want" "$SCRATCH/got" && ok || bad "export from s3: payload differs from the source"

# bit rot underneath the gateway: the RADOS object changes, the gateway
# keeps the old ETag; reading the copy back finds it (export compares
# every byte with the catalog's digests and refuses the damaged copy)
etag() { s3 HEAD "$1" -I | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'; }
KEY=collections/r1/letters/v1/data/README.txt
before=$(etag "custos-a/$KEY")
robj=$(rados -p default.rgw.buckets.data ls | grep -F "_$KEY" | head -1)
if [ -n "$robj" ] && rados -p default.rgw.buckets.data get "$robj" "$SCRATCH/robj"; then
	printf 'X' | dd of="$SCRATCH/robj" bs=1 seek=10 conv=notrunc 2>/dev/null
	rados -p default.rgw.buckets.data put "$robj" "$SCRATCH/robj" && ok || bad "rados put"
	[ "$(etag "custos-a/$KEY")" = "$before" ] && ok || bad "the gateway's ETag changed"
	s3 GET "custos-a/$KEY" -o "$SCRATCH/rotten"
	cmp -s "$SCRATCH/rotten" "$EX/README.txt" && bad "the gateway still serves the old bytes" || ok
	"$CUSTOS" export -r "$R" letters "$SCRATCH/exp2" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	[ $rc -ne 0 ] && ok || bad "export of a copy rotten under the gateway succeeded"
	grep -q 'README.txt' "$SCRATCH/err" && ok || bad "export does not name the rotten file: $(cat "$SCRATCH/err")"
	[ -e "$SCRATCH/exp2/bagit.txt" ] && bad "a partial export was left behind" || ok
else
	bad "no RADOS object for $KEY"
fi

# ---- crashes while replicating to S3 -------------------------------------
R3=$SCRATCH/repo3
policy r3 fs custos-b
"$CUSTOS" init "$R3" --policy "$SCRATCH/r3.ini" >/dev/null || bad "init r3"
# consistent WHAT: catalog, filesystem copy and bucket agree: every
# registered version complete in both, nothing else, no stage records, no
# multipart uploads left
consistent() {
	sqlite3 "$R3/custos.db" "SELECT o.ident || '/v' || v.number FROM versions v JOIN objects o ON o.id = v.object_id ORDER BY 1" >"$SCRATCH/want"
	keys custos-b collections/r3/ | grep -v '^collections/r3/\.custos-log/' >"$SCRATCH/k"
	sed -n 's|^collections/r3/\(.*\)/\.custos-complete$|\1|p' "$SCRATCH/k" | sort >"$SCRATCH/marked"
	sed -n 's|^collections/r3/\([^/]*/v[0-9]*\)/.*|\1|p' "$SCRATCH/k" | sort -u >"$SCRATCH/dirs"
	(cd "$R3/store/primary" && find . -mindepth 2 -maxdepth 2 -type d -not -path './.custos-staging/*' -not -path './.custos-log/*' | sed 's|^\./||' | sort) >"$SCRATCH/fsdirs"
	cmp -s "$SCRATCH/want" "$SCRATCH/marked" && ok || bad "$1: complete in s3: $(tr '\n' ' ' <"$SCRATCH/marked"), catalog: $(tr '\n' ' ' <"$SCRATCH/want")"
	cmp -s "$SCRATCH/want" "$SCRATCH/dirs" && ok || bad "$1: keys in s3 for $(tr '\n' ' ' <"$SCRATCH/dirs")"
	cmp -s "$SCRATCH/want" "$SCRATCH/fsdirs" && ok || bad "$1: filesystem holds $(tr '\n' ' ' <"$SCRATCH/fsdirs")"
	grep -q custos-staging "$SCRATCH/k" && bad "$1: stage record left: $(grep custos-staging "$SCRATCH/k")" || ok
	s3 GET "custos-b?prefix=collections%2Fr3%2F&uploads=" | grep -q '<Upload>' && bad "$1: multipart upload left" || ok
	"$CUSTOS" ls -r "$R3" | grep -v '^ID' | grep -v 'ok *(2/2 copies)' >"$SCRATCH/notok"
	[ ! -s "$SCRATCH/notok" ] && ok || bad "$1: not every object has 2 copies: $(cat "$SCRATCH/notok")"
}
# which crash points an ingest passes: crash at the first and last of each
# kind from the first replication step on
CUSTOS_CRASH_LOG=$SCRATCH/points "$CUSTOS" ingest -r "$R3" --id probe "$EX" >/dev/null || bad "probe ingest"
# (the log's lines are "N name")
awk '{ n = $1; sub(/^[0-9]+ /, "") }
     /^(replicate|s3-)/ && !seen { seen = 1 }
     seen { last[$0] = n; if (!($0 in first)) first[$0] = n }
     END { for (k in first) { print first[k]; print last[k] } }' "$SCRATCH/points" | sort -nu >"$SCRATCH/picked"
grep -q ' s3-object-put$' "$SCRATCH/points" && grep -q ' s3-commit-marker-put$' "$SCRATCH/points" && ok ||
	bad "the ingest passed no s3 crash points"
crashed=0
while read -r n; do
	CUSTOS_CRASH_AT=$n "$CUSTOS" ingest -r "$R3" --id "crash$n" "$EX" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 137 ] || { bad "crash point $n ($(sed -n "${n}p" "$SCRATCH/points")): exit $rc, not a kill"; continue; }
	crashed=$((crashed + 1))
	check_rc 0 "recover after crash point $n" -- "$CUSTOS" recover -r "$R3"
	consistent "killed at $n ($(sed -n "${n}p" "$SCRATCH/points"))"
done <"$SCRATCH/picked"
[ $crashed -ge 5 ] && ok || bad "only $crashed crash points exercised"
echo "killed at $crashed crash points while replicating to s3, each recovered"

# ---- S3 first: ingest streams into the bucket; a multipart upload --------
R6=$SCRATCH/repo6
policy r6 s3 custos-b
check_rc 0 "init s3 first" -- "$CUSTOS" init "$R6" --policy "$SCRATCH/r6.ini"
mkdir -p "$SCRATCH/big"
head -c 40000000 /dev/urandom >"$SCRATCH/big/large.bin"
printf 'small\n' >"$SCRATCH/big/small.txt"
check_rc 0 "ingest into s3 first" -- "$CUSTOS" ingest -r "$R6" --id big "$SCRATCH/big"
check_grep '^big v1: 2 files, 40000006 bytes, 2 verified copies' "$SCRATCH/out" "ingest into s3 first"
check_rc 0 "export s3 first" -- "$CUSTOS" export -r "$R6" big "$SCRATCH/exp6"
check_grep "from location 'offsite'" "$SCRATCH/out" "export reads the first location"
cmp -s "$SCRATCH/exp6/data/large.bin" "$SCRATCH/big/large.bin" && ok || bad "multipart object differs"
SHA=UNSIGNED-PAYLOAD s3 HEAD custos-b/collections/r6/big/v1/data/large.bin -I | tr -d '\r' |
	grep -qi '^etag: ".*-3"' && ok || bad "large.bin was not stored as a 3-part upload"
s3 GET "custos-b?prefix=collections%2Fr6%2F&uploads=" | grep -q '<Upload>' && bad "multipart upload left" || ok

# an object replaced through the S3 API: export refuses the S3 copy and
# falls back to the filesystem one
printf 'replaced\n' >"$SCRATCH/replaced"
SHA=$(sha256sum <"$SCRATCH/replaced" | cut -d' ' -f1) s3 PUT custos-b/collections/r6/big/v1/data/small.txt \
	--data-binary @"$SCRATCH/replaced" -o /dev/null
check_rc 0 "export, s3 object replaced" -- "$CUSTOS" export -r "$R6" big "$SCRATCH/exp6b"
check_grep "from location 'primary'" "$SCRATCH/out" "export fell back to the filesystem copy"
cmp -s "$SCRATCH/exp6b/data/small.txt" "$SCRATCH/big/small.txt" && ok || bad "export after fallback differs"
rm -rf "$SCRATCH/exp6" "$SCRATCH/exp6b"

# killed in the middle of a multipart upload: recover aborts the upload
# (its parts are invisible but stored) and removes the partial version
mkdir -p "$SCRATCH/big2"
head -c 200000000 /dev/urandom >"$SCRATCH/big2/huge.bin"
"$CUSTOS" ingest -r "$R6" --id big2 "$SCRATCH/big2" >/dev/null 2>&1 &
pid=$!
seen=0
for i in $(seq 1 600); do
	if s3 GET "custos-b?prefix=collections%2Fr6%2Fbig2%2F&uploads=" | grep -q '<Upload>'; then
		seen=1
		break
	fi
	kill -0 $pid 2>/dev/null || break
	sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ $seen = 1 ] && ok || bad "never saw the multipart upload of big2 in progress"
check_rc 0 "recover after a killed multipart upload" -- "$CUSTOS" recover -r "$R6"
s3 GET "custos-b?prefix=collections%2Fr6%2F&uploads=" | grep -q '<Upload>' && bad "multipart upload left after recover" || ok
[ -z "$(keys custos-b collections/r6/big2/)" ] && ok || bad "keys of big2 left after recover: $(keys custos-b collections/r6/big2/ | head -3)"
rm -rf "$SCRATCH/big2"

# ---- a missing bucket, refused credentials, a vanished bucket -------------
policy r4 fs custos-none
check_rc 3 "init, missing bucket" -- "$CUSTOS" init "$SCRATCH/repo4" --policy "$SCRATCH/r4.ini"
check_grep "bucket 'custos-none' does not exist" "$SCRATCH/err" "missing bucket message"
policy r5 fs custos-a
printf 'aws_access_key_id = %s\naws_secret_access_key = wrong\n' "$S3_ACCESS_KEY" >"$SCRATCH/bad.ini"
sed -i "s|$SCRATCH/creds.ini|$SCRATCH/bad.ini|" "$SCRATCH/r5.ini"
check_rc 3 "init, refused credentials" -- "$CUSTOS" init "$SCRATCH/repo5" --policy "$SCRATCH/r5.ini"
check_grep "refused the credentials" "$SCRATCH/err" "refused credentials message"
check_nogrep "wrong" "$SCRATCH/err" "the secret is not printed"

# (this repository takes its keys from the environment)
R7=$SCRATCH/repo7
policy r7 fs custos-gone env
check_rc 2 "init, no credentials" -- "$CUSTOS" init "$R7" --policy "$SCRATCH/r7.ini"
check_grep "no S3 credentials for location 'offsite'" "$SCRATCH/err" "no credentials message"
rm -rf "$R7"
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
"$CUSTOS" init "$R7" --policy "$SCRATCH/r7.ini" >/dev/null || bad "init r7"
check_rc 0 "ingest r7" -- "$CUSTOS" ingest -r "$R7" --id gone "$EX"
[ -n "$(keys custos-gone collections/r7/gone/v1/)" ] && ok || bad "keys from the environment: nothing stored"
for k in $(keys custos-gone ''); do s3 DELETE "custos-gone/$k" -o /dev/null; done
[ "$(s3 DELETE custos-gone -o /dev/null -w '%{http_code}')" = 204 ] && ok || bad "bucket not deleted"
rm -rf "$R7/store/primary/gone/v1"
check_rc 3 "export, bucket gone" -- "$CUSTOS" export -r "$R7" gone "$SCRATCH/exp7"
check_grep "bucket 'custos-gone' does not exist" "$SCRATCH/err" "vanished bucket message"
check_rc 3 "ingest, bucket gone" -- "$CUSTOS" ingest -r "$R7" --id more "$EX"
check_grep "bucket 'custos-gone' does not exist" "$SCRATCH/err" "vanished bucket message on ingest"
"$CUSTOS" ls -r "$R7" >"$SCRATCH/ls7"
check_grep '^gone .*ok *(2/2 copies)' "$SCRATCH/ls7" "nothing marked missing"
check_nogrep 'missing' "$SCRATCH/ls7" "nothing marked missing"

# ---- the auditor on an S3 copy ---------------------------------------------
# a clean audit reads both copies; bit rot under the gateway (the ETag is
# unchanged) and damage through the S3 API are each found in the right
# state for the right file, repaired from the filesystem copy, and a last
# audit is clean
R9=$SCRATCH/repo9
policy r9 fs custos-b
check_rc 0 "init r9" -- "$CUSTOS" init "$R9" --policy "$SCRATCH/r9.ini"
check_rc 0 "ingest r9" -- "$CUSTOS" ingest -r "$R9" --id audited "$EX"
check_rc 0 "audit, s3 copy clean" -- "$CUSTOS" audit -r "$R9" --all --json
check_grep '"checked":{"copies":2,"files":14' "$SCRATCH/out" "audit read both copies"
K9=collections/r9/audited/v1/data
robj=$(rados -p default.rgw.buckets.data ls | grep -F "_$K9/README.txt" | head -1)
if [ -n "$robj" ] && rados -p default.rgw.buckets.data get "$robj" "$SCRATCH/robj9"; then
	printf 'X' | dd of="$SCRATCH/robj9" bs=1 seek=10 conv=notrunc 2>/dev/null
	rados -p default.rgw.buckets.data put "$robj" "$SCRATCH/robj9" && ok || bad "rados put (r9)"
	check_rc 1 "audit finds rot under the gateway" -- "$CUSTOS" audit -r "$R9" --all --json
	check_grep '"location":"offsite","path":"data/README.txt","state":"changed"' "$SCRATCH/out" "rot found as changed"
else
	bad "no RADOS object for $K9/README.txt"
fi
s3 DELETE "custos-b/$K9/datasets/loans-1920.csv" -o /dev/null
SHA=UNSIGNED-PAYLOAD s3 PUT "custos-b/$K9/photographs/gradient.png" --data-binary 'not a png' -o /dev/null
SHA=UNSIGNED-PAYLOAD s3 PUT "custos-b/$K9/extra.txt" --data-binary 'extra' -o /dev/null
check_rc 1 "audit finds damage through the S3 API" -- "$CUSTOS" audit -r "$R9" --all --json
check_grep '"location":"offsite","path":"data/datasets/loans-1920.csv","state":"missing"' "$SCRATCH/out" "deleted object is missing"
check_grep '"location":"offsite","path":"data/photographs/gradient.png","state":"changed"' "$SCRATCH/out" "replaced object is changed"
check_grep '"location":"offsite","path":"data/extra.txt","state":"unexpected"' "$SCRATCH/out" "extra object is unexpected"
check_nogrep '"location":"primary"' "$SCRATCH/out" "the filesystem copy is intact"
check_rc 1 "audit --repair (findings, all repaired)" -- "$CUSTOS" audit -r "$R9" --all --repair --json
check_nogrep '"repaired":false' "$SCRATCH/out" "every finding repaired"
check_rc 0 "clean audit after repair" -- "$CUSTOS" audit -r "$R9" --all
s3 GET "custos-b/$K9/README.txt" -o "$SCRATCH/readme9"
cmp -s "$SCRATCH/readme9" "$EX/README.txt" && ok || bad "README.txt in the bucket not repaired"
check_rc 0 "log verify r9" -- "$CUSTOS" log verify -r "$R9"

# ---- the gateway stops ---------------------------------------------------
kill -TERM "$(cat "$CEPH_DIR/pid/rgw")"
for i in $(seq 1 50); do curl -s -o /dev/null "$S3_ENDPOINT/" || break; sleep 0.1; done
check_rc 3 "export, gateway stopped" -- "$CUSTOS" export -r "$R" letters "$SCRATCH/exp8"
check_grep "storage location 'offsite' is unavailable" "$SCRATCH/err" "gateway stopped message"
check_rc 3 "audit, gateway stopped" -- "$CUSTOS" audit -r "$R9" --all --json
check_grep '"location":"offsite","path":"","state":"storage-unavailable"' "$SCRATCH/out" "storage-unavailable, not missing"
check_nogrep '"state":"missing"' "$SCRATCH/out" "nothing marked missing while the gateway is down"
report_done
