"""Writes numpy-v1.npz: a charrnn checkpoint (format version 1) made with numpy alone, the way a
Python user would, for the test that such a file loads. Regenerate with: python3 make_numpy_checkpoint.py

H=3, vocabulary "\\n", " ", "a", "b" (V=4); meta.json without "corpus" and "rng" (both optional);
bh, by and hprev saved as 1-D vectors and Why in Fortran order, both of which numpy users produce.
"""
import io
import json
import zipfile

import numpy as np

H, V = 3, 4
Wxh = np.arange(H * V, dtype=np.float64).reshape(H, V) / 100.0
Whh = np.arange(H * H, dtype=np.float64).reshape(H, H) / 50.0 - 0.05
Why = np.asfortranarray(np.arange(V * H, dtype=np.float64).reshape(V, H) / -80.0)
bh = np.array([0.1, -0.2, 0.3])
by = np.array([0.01, 0.02, -0.03, 0.04])
arrays = {"Wxh": Wxh, "Whh": Whh, "Why": Why, "bh": bh, "by": by}
for name, a in list(arrays.items()):
    arrays["m" + name] = np.full(a.shape, 0.5, order="F" if a.flags.f_contiguous and a.ndim == 2 else "C")
arrays["hprev"] = np.array([0.25, -0.5, 0.75])

meta = {
    "format": "charrnn-checkpoint",
    "version": 1,
    "vocab": ["\n", " ", "a", "b"],
    "hiddenSize": H,
    "seqLength": 4,
    "learningRate": 0.1,
    "clip": 5.0,
    "dtype": "float64",
    "iteration": 7,
    "smoothLoss": 5.25,
}

np.savez("numpy-v1.npz", **arrays)
with zipfile.ZipFile("numpy-v1.npz", "a") as z:
    z.writestr("meta.json", json.dumps(meta))
