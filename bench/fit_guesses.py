#!/usr/bin/env python3
"""Fits the context engine's guess model (server/context/guessModel.ts) by logistic regression.

    node dist/bench/context.js --samples 600 --seed 11 --budgets 2048 --baselines false --dump /tmp/guesses.jsonl
    python3 bench/fit_guesses.py /tmp/guesses.jsonl

Train on a seed other than the one the benchmark reports (7), so the reported numbers are not
measured on the data the weights were fitted to. Prints the weights as a TypeScript object to paste
into GUESS_WEIGHTS, with the fit's log-loss and ranking quality (AUC) on a held-out fifth of the
samples. Needs numpy.
"""
import json
import sys
import zlib

import numpy as np


def load(path):
    rows = [json.loads(line) for line in open(path, encoding="utf8")]
    names = list(rows[0]["features"].keys())
    x = np.array([[r["features"][n] for n in names] for r in rows], dtype=float)
    y = np.array([1.0 if r["used"] else 0.0 for r in rows])
    samples = np.array([zlib.crc32(r["sample"].encode()) % 5 for r in rows])
    return names, x, y, samples


def fit(x, y, l2=1.0, iterations=50):
    """Newton's method (IRLS) with an L2 penalty on everything but the bias."""
    xb = np.hstack([np.ones((x.shape[0], 1)), x])
    w = np.zeros(xb.shape[1])
    penalty = np.eye(xb.shape[1]) * l2
    penalty[0, 0] = 0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + penalty @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def auc(score, y):
    order = np.argsort(score)
    ranks = np.empty(len(score))
    ranks[order] = np.arange(1, len(score) + 1)
    pos = y == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return (ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / max(1, n_pos * n_neg)


def main():
    names, x, y, samples = load(sys.argv[1])
    test = samples == 0
    w = fit(x[~test], y[~test])
    xb = np.hstack([np.ones((x.shape[0], 1)), x])
    p = 1 / (1 + np.exp(-xb @ w))
    eps = 1e-9
    loss = -np.mean(y[test] * np.log(p[test] + eps) + (1 - y[test]) * np.log(1 - p[test] + eps))
    print(f"// {len(y)} candidates, {int(y.sum())} used; held-out log-loss {loss:.4f}, AUC {auc(p[test], y[test]):.3f}", file=sys.stderr)
    w = fit(x, y)
    print("{")
    print(f"  bias: {w[0]:.3f},")
    for n, v in zip(names, w[1:]):
        print(f"  {n}: {v:.3f},")
    print("}")


if __name__ == "__main__":
    main()
