"""Writes crafted checkpoint files into a folder, one per attack, from a valid checkpoint (python3 stdlib
only). Then try each with charrnn:

    python3 bench/hostile_checkpoints.py checkpoints/latest.npz /tmp/hostile
    for f in /tmp/hostile/*.npz; do ./charrnn generate "$f" --length 10; echo "exit $?"; done

Every file must end in one line on stderr and exit code 1, never a stack trace or an out-of-memory error.
"""
import io
import json
import struct
import sys
import zipfile
from pathlib import Path

valid, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(valid) as z:
    entries = {n: z.read(n) for n in z.namelist()}
meta = json.loads(entries["meta.json"])


def npy(descr, shape, payload=b""):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload


def write(name, changes, compress=zipfile.ZIP_STORED, raw=None):
    path = out / (name + ".npz")
    if raw is not None:
        path.write_bytes(raw)
        return
    with zipfile.ZipFile(path, "w", compress) as z:
        for n, data in {**entries, **changes}.items():
            if data is not None:
                z.writestr(n, data)


first = "Whh.npy" if "Whh.npy" in entries else sorted(n for n in entries if n.endswith(".npy"))[0]
write("zip-bomb-meta", {"meta.json": b" " * (2 << 30)}, zipfile.ZIP_DEFLATED)        # 2 GiB inflated
write("shape-2e40", {first: npy("<f8", "(1099511627776, 1099511627776)")})
write("pickle", {first: npy("|O", "(4, 4)", b"cos\nsystem\n(S'echo pwned'\ntR.")})
write("int64", {first: npy("<i8", "(2, 2)", b"\0" * 32)})
write("nan", {first: entries[first][:-8] + struct.pack("<d", float("nan"))})
write("huge-model", {"meta.json": json.dumps({**meta, "hiddenSize": 1 << 30}).encode()})
write("deep-json", {"meta.json": b"[" * 100000 + b"]" * 100000})
write("long-string", {"meta.json": json.dumps({**meta, "format": "x" * 10_000_000}).encode()})
write("negative-iteration", {"meta.json": json.dumps({**meta, "iteration": -5}).encode()})
write("wrong-vocab", {"meta.json": json.dumps({**meta, "vocab": meta["vocab"][:-1]}).encode()})
write("missing-array", {first: None})
write("truncated", {}, raw=valid.read_bytes()[: len(valid.read_bytes()) // 2])
write("not-a-zip", {}, raw=b"just some text\n" * 100)
print("\n".join(sorted(p.name for p in out.glob("*.npz"))))
