#!/usr/bin/env python3
"""tests/resources/bagit-rules/make.py - writes the bag fixtures of the BagIt
rules and lint warnings beyond the LoC suite (issue 18), one per case:
CASE/bag/ is the bag, CASE/expected its one expected finding as
"SEVERITY CODE PATH". Run from anywhere; it rewrites every case."""
import hashlib
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))


def digest(alg, data):
    return hashlib.new(alg, data).hexdigest()


def make(case, expected, payload, version="1.0", algs=("sha256",),
         info=None, tagalgs=("sha256",), tag_skip=None, tag_extra=None,
         listing=None, bag_info_raw=None):
    """payload: {disk name: bytes}; listing: {alg: [(listed name, disk name)]}
    overrides what a payload manifest lists; tag_skip: {alg: [names]} a tag
    manifest leaves out; tag_extra: {alg: [names]} it lists besides."""
    root = os.path.join(HERE, case)
    shutil.rmtree(root, ignore_errors=True)
    bag = os.path.join(root, "bag")
    os.makedirs(os.path.join(bag, "data"))
    files = {}
    for name, data in payload.items():
        with open(os.path.join(bag, "data", name), "wb") as f:
            f.write(data)
    files["bagit.txt"] = ("BagIt-Version: %s\nTag-File-Character-Encoding: UTF-8\n"
                          % version).encode()
    if bag_info_raw is not None:
        files["bag-info.txt"] = bag_info_raw
    else:
        octets = sum(len(d) for d in payload.values())
        lines = info if info is not None else [
            "Payload-Oxum: %d.%d" % (octets, len(payload))]
        files["bag-info.txt"] = "".join(l + "\n" for l in lines).encode()
    for alg in algs:
        pairs = (listing or {}).get(alg) or [(n, n) for n in payload]
        files["manifest-%s.txt" % alg] = "".join(
            "%s  data/%s\n" % (digest(alg, payload[disk]), listed)
            for listed, disk in pairs).encode()
    for name, data in files.items():
        with open(os.path.join(bag, name), "wb") as f:
            f.write(data)
    tagmans = {}
    for alg in tagalgs:
        names = [n for n in sorted(files)
                 if n not in (tag_skip or {}).get(alg, [])]
        tagmans[alg] = names
    for alg in tagalgs:
        body = "".join("%s  %s\n" % (digest(alg, files[n]), n)
                       for n in tagmans[alg])
        for other in (tag_extra or {}).get(alg, []):
            pass  # written below, once the other tag manifests exist
        with open(os.path.join(bag, "tagmanifest-%s.txt" % alg), "w") as f:
            f.write(body)
    for alg, others in (tag_extra or {}).items():
        with open(os.path.join(bag, "tagmanifest-%s.txt" % alg), "a") as f:
            for other in others:
                with open(os.path.join(bag, other), "rb") as g:
                    f.write("%s  %s\n" % (digest(alg, g.read()), other))
    with open(os.path.join(root, "expected"), "w") as f:
        f.write(expected + "\n")


A = {"a.txt": b"hello\n"}
AB = {"a.txt": b"hello\n", "b.txt": b"world\n"}

# RFC 8493 rules (errors in 1.0)
make("manifest-not-tagged", "error manifest-not-tagged manifest-sha256.txt", A,
     tag_skip={"sha256": ["manifest-sha256.txt"]})
make("tagmanifest-listed", "error tagmanifest-listed tagmanifest-sha512.txt", A,
     tagalgs=("sha256", "sha512"), tag_extra={"sha256": ["tagmanifest-sha512.txt"]})
make("repeated-oxum", "error repeated-oxum bag-info.txt", A,
     info=["Payload-Oxum: 6.1", "Payload-Oxum: 6.1"])
make("label-whitespace", "error label-whitespace bag-info.txt", A,
     info=["Payload-Oxum: 6.1", "Source-Organization : Example"])
make("byte-order-mark", "error byte-order-mark bag-info.txt", A,
     bag_info_raw=b"\xef\xbb\xbfPayload-Oxum: 6.1\n")
# 0.97: a payload file needs one payload manifest only
make("partial-manifest-0.97", "warning partial-manifest data/b.txt", AB,
     version="0.97", algs=("md5", "sha256"),
     listing={"sha256": [("a.txt", "a.txt")]}, tagalgs=("md5",))
# lint
make("weak-algorithm", "warning weak-algorithm -", A, algs=("md5",), tagalgs=("md5",))
make("no-oxum", "warning no-oxum bag-info.txt", A, info=["Source-Organization: Example"])
make("untagged-file", "warning untagged-file bag-info.txt", A,
     tag_skip={"sha256": ["bag-info.txt"]})
make("tagmanifests-differ", "warning tagmanifests-differ bag-info.txt", A,
     tagalgs=("sha256", "sha512"), tag_skip={"sha512": ["bag-info.txt"]})
make("unencoded-percent", "warning unencoded-percent data/50%off.txt",
     {"50%off.txt": b"half\n"})
make("unencoded-percent-escape", "warning unencoded-percent data/a%25b.txt",
     {"a%25b.txt": b"literal\n"})
