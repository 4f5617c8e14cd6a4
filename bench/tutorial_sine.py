#!/usr/bin/env python3
"""The sine tutorial's RNN in numpy, as the article writes it (its code, its names), with the fixes charrnn
makes (marked "fix:", listed in examples/README.md). The reference for charrnn's `example sine`.

usage: bench/tutorial_sine.py                      the tutorial's run (np.random.seed(0)), its printout and
                                                   the validation RMSE
       bench/tutorial_sine.py --fixture OUT.json   reference values for the parity test: weights from a sin
                                                   formula (U, W: 0.1 sin, V: 10 sin), hidden size 24,
                                                   three epochs
"""
import argparse
import json
import math

import numpy as np

sin_wave = np.array([math.sin(x) for x in np.arange(200)])
X = []
Y = []
seq_len = 50
num_records = len(sin_wave) - seq_len
for i in range(num_records - 50):
    X.append(sin_wave[i:i + seq_len])
    Y.append(sin_wave[i + seq_len])
X = np.expand_dims(np.array(X), axis=2)
Y = np.expand_dims(np.array(Y), axis=1)
X_val = []
Y_val = []
for i in range(num_records - 50, num_records):
    X_val.append(sin_wave[i:i + seq_len])
    Y_val.append(sin_wave[i + seq_len])
X_val = np.expand_dims(np.array(X_val), axis=2)
Y_val = np.expand_dims(np.array(Y_val), axis=1)

learning_rate = 0.0001
T = 50
output_dim = 1
bptt_truncate = 5
min_clip_value = -10
max_clip_value = 10


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def forward(U, W, V, x, hidden_dim, keep=None):
    prev_s = np.zeros((hidden_dim, 1))
    for t in range(T):
        new_input = np.zeros(x.shape)
        new_input[t] = x[t]
        mulu = np.dot(U, new_input)
        mulw = np.dot(W, prev_s)
        add = mulw + mulu
        s = sigmoid(add)
        mulv = np.dot(V, s)
        if keep is not None:
            keep.append({'s': s, 'prev_s': prev_s})
        prev_s = s
    return mulv


def loss_of(U, W, V, xs, ys, hidden_dim):
    loss = 0.0
    for i in range(ys.shape[0]):
        x, y = xs[i], ys[i]
        mulv = forward(U, W, V, x, hidden_dim)
        loss_per_record = (y - mulv) ** 2 / 2
        loss += loss_per_record
    return (loss / float(y.shape[0])).item()


def gradients(U, W, V, x, y, hidden_dim):
    """dU, dW, dV of (y - mulv)^2/2, truncated to bptt_truncate steps before the last."""
    layers = []
    mulv = forward(U, W, V, x, hidden_dim, layers)
    dU = np.zeros(U.shape)
    dW = np.zeros(W.shape)
    dmulv = (mulv - y)
    # fix: the article loops over every t as if each step had its own output, with the last step's error,
    # the derivative of the sigmoid taken at its input (add) instead of its output, and dW, dU computed as
    # W prev_s and U new_input; the output is the last step's only, so the error starts there
    dV = np.dot(dmulv, np.transpose(layers[T - 1]['s']))
    ds = np.dot(np.transpose(V), dmulv)
    for t in range(T - 1, max(-1, T - 1 - bptt_truncate - 1), -1):
        s = layers[t]['s']
        dadd = s * (1 - s) * ds
        dW += np.dot(dadd, np.transpose(layers[t]['prev_s']))
        new_input = np.zeros(x.shape)
        new_input[t] = x[t]
        dU += np.dot(dadd, np.transpose(new_input))
        ds = np.dot(np.transpose(W), dadd)
    return dU, dW, dV, float(mulv[0, 0])


def clip(d):
    if d.max() > max_clip_value:
        d[d > max_clip_value] = max_clip_value
    if d.min() < min_clip_value:
        d[d < min_clip_value] = min_clip_value


def train(U, W, V, nepoch, hidden_dim, log):
    epochs = []
    for epoch in range(nepoch):
        loss = loss_of(U, W, V, X, Y, hidden_dim)
        val_loss = loss_of(U, W, V, X_val, Y_val, hidden_dim)
        log('Epoch: ', epoch + 1, ', Loss: ', loss, ', Val Loss: ', val_loss)
        epochs.append({'epoch': epoch + 1, 'loss': loss, 'val_loss': val_loss})
        for i in range(Y.shape[0]):
            dU, dW, dV, _ = gradients(U, W, V, X[i], Y[i], hidden_dim)
            for d in (dU, dV, dW):
                clip(d)
            U -= learning_rate * dU
            V -= learning_rate * dV
            W -= learning_rate * dW
    return epochs


def rmse(U, W, V, hidden_dim):
    # fix: the article predicts with np.dot(U, x), the whole window at every step (not what it trained), and
    # scales by max_val, which it never defines (the data were not scaled)
    preds = np.array([forward(U, W, V, X_val[i], hidden_dim)[0, 0] for i in range(Y_val.shape[0])])
    return math.sqrt(np.mean((Y_val[:, 0] - preds) ** 2))


def sin_init(rows, cols, offset, scale):
    return np.array([[scale * math.sin(offset + i * cols + j) for j in range(cols)] for i in range(rows)])


def fixture(path):
    hidden_dim = 24
    # small U and W keep the sigmoid units away from saturation, so that every gradient is far from zero;
    # a large V makes the error, and so most gradients, large enough to be clipped
    U = sin_init(hidden_dim, T, 1, 0.1)
    W = sin_init(hidden_dim, hidden_dim, 2, 0.1)
    V = sin_init(output_dim, hidden_dim, 3, 10.0)
    out = {'hyper': {'hidden_size': hidden_dim, 'T': T, 'truncate': bptt_truncate, 'learning_rate': learning_rate,
                     'clip': max_clip_value},
           'init': {'U': U.tolist(), 'W': W.tolist(), 'V': V.tolist()}}
    dU, dW, dV, pred = gradients(U, W, V, X[0], Y[0], hidden_dim)
    out['first_record'] = {'prediction': pred, 'loss': float((Y[0, 0] - pred) ** 2 / 2),
                           'grads': {'U': dU.tolist(), 'W': dW.tolist(), 'V': dV.tolist()}}
    out['first_record_clipped_entries'] = int(sum((abs(g) > max_clip_value).sum() for g in (dU, dW, dV)))
    out['epochs'] = train(U, W, V, 1, hidden_dim, lambda *a: None)
    out['params_after_1_epoch'] = {'U': U.tolist(), 'W': W.tolist(), 'V': V.tolist()}
    out['epochs'] += train(U, W, V, 2, hidden_dim, lambda *a: None)
    out['params_after_3_epochs'] = {'U': U.tolist(), 'W': W.tolist(), 'V': V.tolist()}
    out['rmse_after_3_epochs'] = rmse(U, W, V, hidden_dim)
    with open(path, 'w') as f:
        json.dump(out, f)
    print('wrote', path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--fixture')
    parser.add_argument('--epochs', type=int, default=25)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    if args.fixture:
        fixture(args.fixture)
        return
    hidden_dim = 100
    np.random.seed(args.seed)
    U = np.random.uniform(0, 1, (hidden_dim, T))
    W = np.random.uniform(0, 1, (hidden_dim, hidden_dim))
    V = np.random.uniform(0, 1, (output_dim, hidden_dim))
    train(U, W, V, args.epochs, hidden_dim, print)
    print('validation RMSE: %.6f' % rmse(U, W, V, hidden_dim))


if __name__ == '__main__':
    main()
