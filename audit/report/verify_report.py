#!/usr/bin/env python3
"""Check a custos evidence report without custos (python3 standard library
and the openssl command). Usage: verify_report.py REPORT_DIR [KEY.pub]

1. With KEY.pub, the Ed25519 signature over MANIFEST-sha256.txt (openssl).
2. Every file listed in the manifest has its SHA-256; no file is unlisted.
3. From events.jsonl (each event's exact record, one a line) the hash chain
   h_i = SHA-256(0x02 || h_i-1 || SHA-256(record_i)), the RFC 9162 Merkle
   tree head, and the headline figures resting on events: the event count,
   findings (outcome fai or war in the period), repairs, findings per day.
Prints each figure that does not follow; exit 0 when all do, 1 otherwise.
"""
import hashlib
import json
import os
import subprocess
import sys

problems = []


def sha256(data):
    return hashlib.sha256(data).digest()


def merkle_root(leaves):
    """RFC 9162 section 2.1.1: MTH over leaf hashes."""
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return sha256(b"\x01" + merkle_root(leaves[:k]) + merkle_root(leaves[k:]))


def check_files(folder, pubkey):
    manifest = os.path.join(folder, "MANIFEST-sha256.txt")
    if pubkey:
        sig = manifest + ".sig"
        run = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pubkey,
                              "-rawin", "-in", manifest, "-sigfile", sig],
                             capture_output=True)
        if run.returncode != 0:
            problems.append("MANIFEST-sha256.txt: the signature does not verify")
    listed = set()
    with open(manifest, encoding="utf-8") as f:
        for line in f:
            digest, name = line.rstrip("\n").split("  ", 1)
            listed.add(name)
            with open(os.path.join(folder, name), "rb") as g:
                if hashlib.sha256(g.read()).hexdigest() != digest:
                    problems.append(f"{name}: its SHA-256 is not the manifest's")
    for name in os.listdir(folder):
        if name not in listed and not name.startswith("MANIFEST-sha256.txt"):
            problems.append(f"{name}: not listed in the manifest")


def code(uri):
    return (uri or "").rsplit("/", 1)[-1]


def recompute(folder, report):
    since = (report.get("period") or {}).get("since") or ""
    head = bytes(32)
    leaves, findings, repairs, days = [], [], [], []
    with open(os.path.join(folder, "events.jsonl"), "rb") as f:
        for line in f:
            record = line.rstrip(b"\n")
            head = sha256(b"\x02" + head + sha256(record))
            leaves.append(sha256(b"\x00" + record))
            event = json.loads(record)
            if (event.get("datetime") or "") < since:
                continue
            if code(event.get("outcome")) in ("fai", "war"):
                findings.append(event["identifier"])
                day = event["datetime"][:10]
                if days and days[-1]["day"] == day:
                    days[-1]["findings"] += 1
                else:
                    days.append({"day": day, "findings": 1})
            if code(event.get("type")) in ("rep", "rec") and "related_event" in event:
                repairs.append(event["identifier"])
    log = report.get("log", {})
    return [
        ("log.events", log.get("events"), len(leaves)),
        ("log.merkle.tree_size", log.get("merkle", {}).get("tree_size"), len(leaves)),
        ("log.merkle.root", log.get("merkle", {}).get("root"), merkle_root(leaves).hex()),
        ("log.head_hash", log.get("head_hash"), head.hex() if leaves else None),
        ("findings", [e["event"] for e in report.get("findings", [])], findings),
        ("repairs", [e["event"] for e in report.get("repairs", [])], repairs),
        ("findings_by_day", report.get("findings_by_day"), days),
    ]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    folder = sys.argv[1]
    check_files(folder, sys.argv[2] if len(sys.argv) == 3 else None)
    with open(os.path.join(folder, "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    for figure, stated, derived in recompute(folder, report):
        if stated != derived:
            problems.append(f"report.json: figure '{figure}' does not follow from"
                            f" events.jsonl: it states {stated}, the events give {derived}")
    for p in problems:
        print(p)
    if problems:
        print(f"{folder}: FAILED, {len(problems)} problem(s)")
        sys.exit(1)
    cov = report.get("coverage", {})
    print(f"{folder}: verified; {len(report.get('findings', []))} findings,"
          f" {report['log']['events']} events, Merkle root {report['log']['merkle']['root']};"
          f" coverage {cov.get('percent')}% as stated (from the catalog)")


main()
