"""Writes numpy-v2-<case>.npz: charrnn checkpoints (format version 2) made with numpy alone from the
initial weights of each case of ../fixtures/deep_fixture_C.json, with the smallest meta.json version 2
allows (no corpus, rng, optimizer state or carried state: all start at zero), so that
`charrnn train TEXT --resume numpy-v2-<case>.npz --max-iterations n` must reproduce the fixture's
snapshot after n iterations. Regenerate with: python3 make_numpy_v2.py
"""
import json
import zipfile

import numpy as np

with open("../fixtures/deep_fixture_C.json", encoding="utf-8") as f:
    fixture = json.load(f)

for name, case in fixture["cases"].items():
    hyper = case["hyper"]
    arrays = {p: np.array(case["init"][p], dtype=np.float64) for p in case["param_names"]}
    meta = {
        "format": "charrnn-checkpoint",
        "version": 2,
        "vocab": fixture["vocab"],
        "cell": hyper["cell"],
        "layers": hyper["L"],
        "hiddenSize": hyper["H"],
        "seqLength": hyper["T"],
        "batchSize": hyper["B"],
        "optimizer": {"name": hyper["optimizer"], "learningRate": hyper["lr"]},
        "clip": hyper["clip"],
        "dtype": "float64",
        "dropout": 0.0,
        "iteration": 0,
        "smoothLoss": hyper["smooth_loss_init"],
    }
    out = "numpy-v2-" + name + ".npz"
    np.savez(out, **arrays)
    with zipfile.ZipFile(out, "a") as z:
        z.writestr("meta.json", json.dumps(meta))
