#!/bin/bash
# tests/cli/btr.sh - the Beyond the Repository BagIt profile and its
# sample bags (serialized tars): good ones pass, each bad one fails for the
# reason its README documents.
. "$(dirname "$0")/lib.sh"
BTR=$CORPORA/bagit-profiles/btr
PROFILE=$BTR/btr-bagit-profile.json
S=$BTR/sample_bags

for good in btr_good_sha256 btr_good_sha512; do
	check_rc 0 "$good" -- "$CUSTOS" validate --profile "$PROFILE" "$S/$good.tar"
	check_grep 'valid (BagIt 0.97, 6 files, 18242 bytes' "$SCRATCH/out" "$good"
done
for d in "$S"/dspace/*.tar; do
	check_rc 0 "$(basename "$d")" -- "$CUSTOS" validate --profile "$PROFILE" "$d"
done

check_rc 1 bad_checksums -- "$CUSTOS" validate --profile "$PROFILE" --json "$S/btr_bad_checksums.tar"
# the README says listen_test.go, but the manifest line it zeroed is listen.go
check_grep '"code":"digest-mismatch","path":"data/netutil/listen.go","message":"[^"]*","expected":"0000' "$SCRATCH/out" bad_checksums
check_grep '"code":"digest-mismatch","path":"manifest-sha512.txt"' "$SCRATCH/out" bad_checksums

check_rc 1 bad_extraneous -- "$CUSTOS" validate --profile "$PROFILE" "$S/btr_bad_extraneous_file.tar"
check_grep "'data/nsqd.dat' is in the payload but not listed in manifest-sha512.txt" "$SCRATCH/out" bad_extraneous
check_grep 'Payload-Oxum says 18242 bytes in 6 files, but the payload holds 18273 bytes in 7 files' "$SCRATCH/out" bad_extraneous

check_rc 1 bad_missing -- "$CUSTOS" validate --profile "$PROFILE" "$S/btr_bad_missing_payload_file.tar"
check_grep "'data/netutil/listen.go' is listed in manifest-sha512.txt but is not in the bag" "$SCRATCH/out" bad_missing
check_grep 'holds 17083 bytes in 5 files' "$SCRATCH/out" bad_missing

check_rc 1 bad_tags -- "$CUSTOS" validate --profile "$PROFILE" "$S/btr_bad_missing_required_tags.tar"
for tag in Bagging-Date Payload-Oxum Source-Organization; do
	check_grep "lacks the tag '$tag'.*\[profile-violation\]" "$SCRATCH/out" "bad_tags $tag"
done
# without the profile the same bag is a valid bag
check_rc 0 bad_tags-no-profile -- "$CUSTOS" validate "$S/btr_bad_missing_required_tags.tar"

# the profile refuses what it does not accept
check_rc 1 version -- "$CUSTOS" validate --profile "$PROFILE" "$CORPORA/bagit-conformance/v0.96/valid/basic-bag"
check_grep 'profile-violation' "$SCRATCH/out" "0.96 not accepted"
check_rc 2 bad-profile-file -- "$CUSTOS" validate --profile "$SCRATCH/none.json" "$S/btr_good_sha256.tar"
report_done
