#!/usr/bin/env python3
"""The sentiment tutorial's many-to-one RNN in numpy, as the article writes it (its code, its names), with
the fixes charrnn makes (marked "fix:", listed in examples/README.md). The reference for charrnn's
`example sentiment`.

usage: bench/tutorial_sentiment.py                      the tutorial's run on charrnn's default phrases
       bench/tutorial_sentiment.py --fixture OUT.json   reference values for the parity test: weights from
                                                        a sin formula (fixture A's), no shuffling, H = 16
"""
import argparse
import json
import math
import os
import random

import numpy as np
from numpy.random import randn

here = os.path.dirname(os.path.abspath(__file__))
data_dir = os.path.join(here, '..', 'src', 'main', 'resources', 'charrnn', 'examples')


def read_tsv(name):
    rows = []
    with open(os.path.join(data_dir, name), encoding='utf-8') as f:
        for line in f:
            if line.strip():
                text, label = line.rstrip('\n').rsplit('\t', 1)
                rows.append((text.strip(), label.strip()))
    return rows


train_rows = read_tsv('sentiment-train.tsv')
test_rows = read_tsv('sentiment-test.tsv')
# fix: the article's data are dicts text -> True/False; here the classes are the sorted labels
classes = sorted({label for _, label in train_rows})
train_data = [(text, classes.index(label)) for text, label in train_rows]
test_data = [(text, classes.index(label)) for text, label in test_rows]

# fix: list(set(...)) orders the words differently in every Python process; sorted, runs repeat
vocab = sorted(set([w for text, _ in train_data for w in text.split(' ')]))
vocab_size = len(vocab)
word_to_idx = {w: i for i, w in enumerate(vocab)}


def createInputs(text):
    inputs = []
    for w in text.split(' '):
        v = np.zeros((vocab_size, 1))
        v[word_to_idx[w]] = 1
        inputs.append(v)
    return inputs


def softmax(xs):
    return np.exp(xs) / sum(np.exp(xs))


def sin_matrix(rows, cols, offset, scale=0.01):
    return np.array([[scale * math.sin(offset + i * cols + j) for j in range(cols)] for i in range(rows)])


class RNN:
    def __init__(self, input_size, output_size, hidden_size=64, init='randn'):
        if init == 'sin':
            self.Wxh = sin_matrix(hidden_size, input_size, 1)
            self.Whh = sin_matrix(hidden_size, hidden_size, 2)
            self.Why = sin_matrix(output_size, hidden_size, 3)
        else:
            self.Whh = randn(hidden_size, hidden_size) / 1000
            self.Wxh = randn(hidden_size, input_size) / 1000
            self.Why = randn(output_size, hidden_size) / 1000
        self.bh = np.zeros((hidden_size, 1))
        self.by = np.zeros((output_size, 1))

    def forward(self, inputs):
        h = np.zeros((self.Whh.shape[0], 1))
        self.last_inputs = inputs
        self.last_hs = {0: h}
        for i, x in enumerate(inputs):
            h = np.tanh(self.Wxh @ x + self.Whh @ h + self.bh)
            self.last_hs[i + 1] = h
        y = self.Why @ h + self.by
        return y, h

    def backprop(self, d_y, learn_rate=2e-2):
        n = len(self.last_inputs)
        d_Why = d_y @ self.last_hs[n].T
        d_by = d_y
        d_Whh = np.zeros(self.Whh.shape)
        d_Wxh = np.zeros(self.Wxh.shape)
        d_bh = np.zeros(self.bh.shape)
        d_h = self.Why.T @ d_y
        for t in reversed(range(n)):
            temp = ((1 - self.last_hs[t + 1] ** 2) * d_h)
            d_bh += temp
            d_Whh += temp @ self.last_hs[t].T
            d_Wxh += temp @ self.last_inputs[t].T
            # fix: the article has d_h = self.Whh @ temp; dL/dh_{t-1} is Whh transposed times temp
            d_h = self.Whh.T @ temp
        self.last_grads = [g.copy() for g in (d_Wxh, d_Whh, d_Why, d_bh, d_by)]   # before clipping
        for d in [d_Wxh, d_Whh, d_Why, d_bh, d_by]:
            np.clip(d, -1, 1, out=d)
        self.Whh -= learn_rate * d_Whh
        self.Wxh -= learn_rate * d_Wxh
        self.Why -= learn_rate * d_Why
        self.bh -= learn_rate * d_bh
        self.by -= learn_rate * d_by


def processData(rnn, data, backprop=True, shuffle=True):
    items = list(data)
    if shuffle:
        random.shuffle(items)
    loss = 0
    num_correct = 0
    for x, y in items:
        inputs = createInputs(x)
        target = int(y)
        out, _ = rnn.forward(inputs)
        probs = softmax(out)
        loss -= np.log(probs[target])
        num_correct += int(np.argmax(probs) == target)
        # fix: the article dedents this block out of the loop, so only the last phrase would train
        if backprop:
            d_L_d_y = probs
            d_L_d_y[target] -= 1
            rnn.backprop(d_L_d_y)
    return float(loss[0]) / len(data), num_correct / len(data)


def params(rnn):
    return {'Wxh': rnn.Wxh.tolist(), 'Whh': rnn.Whh.tolist(), 'Why': rnn.Why.tolist(),
            'bh': rnn.bh[:, 0].tolist(), 'by': rnn.by[:, 0].tolist()}


def fixture(path):
    hidden = 16
    rnn = RNN(vocab_size, len(classes), hidden, init='sin')
    out = {'hyper': {'hidden_size': hidden, 'learning_rate': 2e-2, 'clip': 1.0},
           'vocab': vocab, 'classes': classes, 'init': params(rnn)}
    names = ['Wxh', 'Whh', 'Why', 'bh', 'by']
    for key, (text, target) in (('first_example', train_data[0]), ('long_example', train_data[-1])):
        y, _ = rnn.forward(createInputs(text))
        probs = softmax(y)
        d_y = probs.copy()
        d_y[target] -= 1
        rnn.backprop(d_y, learn_rate=0.0)   # the gradients only: a step of 0 leaves the weights as they are
        grads = {n: (g[:, 0].tolist() if n in ('bh', 'by') else g.tolist()) for n, g in zip(names, rnn.last_grads)}
        out[key] = {'text': text, 'target': target, 'loss': float(-np.log(probs[target])[0]), 'grads': grads}
    epochs = []
    for epoch in range(1, 6):
        train_loss, train_acc = processData(rnn, train_data, shuffle=False)
        test_loss, test_acc = processData(rnn, test_data, backprop=False, shuffle=False)
        epochs.append({'epoch': epoch, 'train_loss': train_loss, 'train_accuracy': train_acc,
                       'test_loss': test_loss, 'test_accuracy': test_acc})
        if epoch in (1, 5):
            out['params_after_%d_epochs' % epoch] = params(rnn)
    out['epochs'] = epochs
    with open(path, 'w') as f:
        json.dump(out, f)
    print('wrote', path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--fixture')
    parser.add_argument('--epochs', type=int, default=1000)
    args = parser.parse_args()
    if args.fixture:
        fixture(args.fixture)
        return
    print('%d unique words found' % vocab_size)
    rnn = RNN(vocab_size, len(classes))
    for epoch in range(args.epochs):
        train_loss, train_acc = processData(rnn, train_data)
        if epoch % 100 == 99:
            print('--- Epoch %d' % (epoch + 1))
            print('Train:\tLoss %.3f | Accuracy: %.3f' % (train_loss, train_acc))
            test_loss, test_acc = processData(rnn, test_data, backprop=False)
            print('Test:\tLoss %.3f | Accuracy: %.3f' % (test_loss, test_acc))


if __name__ == '__main__':
    main()
