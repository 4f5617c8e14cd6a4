"""Loads a charrnn checkpoint of format version 2 (lstm or gru) into PyTorch's nn.LSTM / nn.GRU and a
Linear decoder (after an nn.Embedding when the checkpoint has one), exactly as README's "Use the weights in PyTorch" snippet does, then scores the held-out
tail of the corpus as charrnn does (the last valFraction of the text cut into B streams, windows of T+1
characters, state carried from zero, forward only) and prints the loss per character, to compare with
the `val loss` that `charrnn train` printed for that checkpoint.

usage: python3 bench/torch_load_check.py CHECKPOINT CORPUS
"""
import json
import math
import sys

import numpy as np
import torch

checkpoint, corpus = sys.argv[1], sys.argv[2]

# --- README snippet: begin
z = np.load(checkpoint)
meta = json.loads(z["meta.json"])
L, H, V = meta["layers"], meta["hiddenSize"], len(meta["vocab"])
E = meta.get("embeddingSize", 0)                     # 0: layer 0 reads one-hot characters
embedding = torch.nn.Embedding(V, E) if E else None  # input: indices, (T, B)
rnn = (torch.nn.LSTM if meta["cell"] == "lstm" else torch.nn.GRU)(E or V, H, L)   # (T, B, E or V)
decoder = torch.nn.Linear(H, V)
with torch.no_grad():
    if embedding is not None:
        embedding.weight.copy_(torch.from_numpy(z["emb"]))
    for k in range(L):
        getattr(rnn, f"weight_ih_l{k}").copy_(torch.from_numpy(z[f"l{k}.Wx"]))
        getattr(rnn, f"weight_hh_l{k}").copy_(torch.from_numpy(z[f"l{k}.Wh"]))
        getattr(rnn, f"bias_ih_l{k}").copy_(torch.from_numpy(z[f"l{k}.b"]))
        bias_hh = getattr(rnn, f"bias_hh_l{k}")
        bias_hh.zero_()
        if meta["cell"] == "gru":
            bias_hh[2 * H:].copy_(torch.from_numpy(z[f"l{k}.bn"]))   # b_hn, inside r * (W_hn h + b_hn)
    decoder.weight.copy_(torch.from_numpy(z["Why"]))
    decoder.bias.copy_(torch.from_numpy(z["by"]))
# --- README snippet: end

rnn = rnn.to(torch.float64 if meta["dtype"] == "float64" else torch.float32)
decoder = decoder.to(rnn.weight_ih_l0.dtype)
if embedding is not None:
    embedding = embedding.to(rnn.weight_ih_l0.dtype)
index = {c: i for i, c in enumerate(meta["vocab"])}
with open(corpus, encoding="utf-8") as f:
    text = f.read()
data = torch.tensor([index[c] for c in text])
held = int(math.floor(meta.get("valFraction", 0) * len(data)))
if held == 0:
    sys.exit("the checkpoint holds nothing out (valFraction 0)")
tail = data[len(data) - held:]
T = meta["seqLength"]
streams = max(1, min(meta["batchSize"], held // (T + 1)))
part = held // streams
columns = tail[: part * streams].view(streams, part).t()
state, total, count = None, 0.0, 0
with torch.no_grad():
    for p in range(0, part - T, T):
        x = (embedding(columns[p:p + T]) if embedding is not None
             else torch.nn.functional.one_hot(columns[p:p + T], V).to(decoder.weight.dtype))
        out, state = rnn(x, state)
        logits = decoder(out)
        total += torch.nn.functional.cross_entropy(logits.reshape(-1, V), columns[p + 1:p + T + 1].reshape(-1),
                                                   reduction="sum").item()
        count += T * streams
print("val loss %.6f nats/char (%d characters in %d streams, PyTorch %s)" % (total / count, count, streams,
                                                                             torch.__version__))
