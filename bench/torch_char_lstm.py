"""The character model of `charrnn train --cell lstm|gru` written in PyTorch the way its users write it:
nn.LSTM / nn.GRU over an nn.Embedding (or one-hot) input, a Linear decoder, cross-entropy, Adam,
clip_grad_value_, the hidden state carried from window to window and detached, torch.set_num_threads(1)
by default: on the 2-core machines here Debian's PyTorch runs fastest with one intra-op thread beside
OpenBLAS's own threads (one per core; OPENBLAS_NUM_THREADS sets them); with two intra-op threads the two
pools oversubscribe the cores and it runs 3-4x slower (bench/compare.sh's THREADS rows).

The data are cut as charrnn cuts them: vocabulary = the sorted distinct characters; the last
--val-fraction of the text is held out; the rest is split into B contiguous streams that are read side
by side in windows of T characters (state carried, all streams wrapping together when the next window
would not fit). The loss of a window is PyTorch users' usual mean over the B·T predictions.

Prints, like charrnn, `iter N, loss: X | ... | R chars/s` every --log-every iterations (R = training
characters per second over the interval, held-out scoring not counted) and `val loss X nats/char at
M minutes, iteration N` (N iterations done) every --eval-every iterations and at the end, scored like charrnn's held-out text (forward
only, B streams, carried state from zero). Stops after --max-iterations or --max-minutes of training.

usage: python3 bench/torch_char_lstm.py TEXT [--cell lstm] [--layers 2] [--hidden-size 256]
       [--batch-size 50] [--seq-length 50] [--input embed|onehot] [--learning-rate 0.002] [--clip 5]
       [--val-fraction 0.1] [--eval-every 200] [--log-every 20] [--max-iterations N] [--max-minutes M]
       [--threads 1] [--seed 42]
Needs PyTorch (Debian: apt-get install python3-torch); without it, says so and exits 0.
"""
import argparse
import math
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    print("torch_char_lstm.py: PyTorch is not installed (apt-get install python3-torch); skipped")
    sys.exit(0)


class CharModel(nn.Module):
    def __init__(self, cell, vocab, hidden, layers, embed, dropout=0.0):
        super().__init__()
        self.vocab = vocab
        self.embed = nn.Embedding(vocab, hidden) if embed else None
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        # dropout on the input of every layer above the first (nn.LSTM's own) and on the decoder's input
        self.rnn = rnn(hidden if embed else vocab, hidden, layers, dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, x, state):
        # x: (T, B) indices
        inputs = self.embed(x) if self.embed is not None else nn.functional.one_hot(x, self.vocab).float()
        out, state = self.rnn(inputs, state)
        return self.decoder(self.drop(out)), state


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def windows(data, streams, seq_length):
    """Yields (restart, inputs (T, B), targets (T, B)) forever, charrnn's stream rule."""
    part = len(data) // streams
    columns = data[: part * streams].view(streams, part).t()   # (part, B): column s is stream s
    p = None
    while True:
        restart = p is None or p + seq_length + 1 >= part
        if restart:
            p = 0
        yield restart, columns[p : p + seq_length], columns[p + 1 : p + seq_length + 1]
        p += seq_length


@torch.no_grad()
def score(model, data, streams, seq_length):
    streams = max(1, min(streams, len(data) // (seq_length + 1)))
    part = len(data) // streams
    columns = data[: part * streams].view(streams, part).t()
    state, total, count = None, 0.0, 0
    model.eval()
    for p in range(0, part - seq_length, seq_length):
        logits, state = model(columns[p : p + seq_length], state)
        total += nn.functional.cross_entropy(logits.reshape(-1, model.vocab),
                                             columns[p + 1 : p + seq_length + 1].reshape(-1),
                                             reduction="sum").item()
        count += seq_length * streams
    model.train()
    return total / count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("text")
    ap.add_argument("--cell", default="lstm", choices=["lstm", "gru"])
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--hidden-size", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=50)
    ap.add_argument("--seq-length", type=int, default=50)
    ap.add_argument("--input", default="embed", choices=["embed", "onehot"])
    ap.add_argument("--learning-rate", type=float, default=0.002)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--val-fraction", type=float, default=0.1)
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--max-iterations", type=int, default=None)
    ap.add_argument("--max-minutes", type=float, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--lr-decay", type=float, default=0.0,
                    help="over the last F of the run (--max-minutes, else --max-iterations) the learning rate "
                         "falls linearly to 0, as charrnn's --lr-decay")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    with open(args.text, encoding="utf-8") as f:
        text = f.read()
    vocab = sorted(set(text))
    index = {c: i for i, c in enumerate(vocab)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    held = int(math.floor(args.val_fraction * len(data)))
    train, val = data[: len(data) - held], data[len(data) - held :]
    print("data has %d characters, %d unique; torch %s, %d threads, %s input"
          % (len(data), len(vocab), torch.__version__, torch.get_num_threads(), args.input), flush=True)

    model = CharModel(args.cell, len(vocab), args.hidden_size, args.layers, args.input == "embed", args.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    criterion = nn.CrossEntropyLoss()
    batches = windows(train, args.batch_size, args.seq_length)
    state = None
    trained = 0.0          # seconds of training, scoring not counted
    interval_start, interval_iter = time.perf_counter(), 0
    smooth = -math.log(1.0 / len(vocab))
    n = 0
    while True:
        if args.max_iterations is not None and n >= args.max_iterations:
            break
        if args.max_minutes is not None and trained >= args.max_minutes * 60:
            break
        start = time.perf_counter()
        if args.lr_decay > 0:
            # the share of the run done: by its clock (minutes of training), else by iterations
            done = trained / (args.max_minutes * 60) if args.max_minutes is not None else n / args.max_iterations
            scale = min(1.0, max(0.0, (1.0 - done) / args.lr_decay))
            for group in optimizer.param_groups:
                group["lr"] = args.learning_rate * scale
        restart, x, y = next(batches)
        if restart:
            state = None
        logits, state = model(x, state)
        state = detach(state)
        loss = criterion(logits.reshape(-1, len(vocab)), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_value_(model.parameters(), args.clip)
        optimizer.step()
        trained += time.perf_counter() - start
        smooth = 0.999 * smooth + 0.001 * loss.item()
        n += 1
        if n % args.log_every == 0:
            now = time.perf_counter()
            rate = (n - interval_iter) * args.batch_size * args.seq_length / (now - interval_start)
            print("iter %d, loss: %f | %.4f nats/char | %d chars/s" % (n - 1, smooth * args.seq_length, smooth,
                                                                       rate), flush=True)
        if held and (n % args.eval_every == 0):
            print("val loss %.4f nats/char at %.2f minutes, iteration %d"
                  % (score(model, val, args.batch_size, args.seq_length), trained / 60, n), flush=True)
        if n % args.log_every == 0:
            interval_start, interval_iter = time.perf_counter(), n
    if held and n % args.eval_every != 0:
        print("val loss %.4f nats/char at %.2f minutes, iteration %d"
              % (score(model, val, args.batch_size, args.seq_length), trained / 60, n), flush=True)


if __name__ == "__main__":
    main()
