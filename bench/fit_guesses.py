#!/usr/bin/env python3
"""Fits the context engine's guess model (server/context/guessModel.ts): gradient-boosted trees
over the named features of each guessed definition, predicting whether the body uses it.

    node dist/bench/context.js --samples 2600 --seed 11 --budgets 2048 --baselines false --auto 0 --dump /tmp/guesses.jsonl
    python3 bench/fit_guesses.py /tmp/guesses.jsonl [server/context/guessTrees.generated.ts]

A dump never holds the functions that the reported runs (seeds 7, 13 and 17) score, so those
numbers are not measured on the data the model was fitted to. 2,600 samples take every eligible
TypeScript function left (474) and 1,300 Python ones. Prints the held-out (one fifth of the samples)
log-loss and AUC of the trees and, for comparison, of a logistic regression on the same features;
with an output path, writes the trees as a TypeScript module. Needs numpy only.

The loss is the log-loss plus RANK_WEIGHT times a pairwise (RankNet) loss between the used and
unused guesses of each function, on what the packer ranks them by (server/context/pack.ts
guessWorth: log probability + log min(1, COST_UNIT / characters)): the log-loss keeps the
probabilities calibrated for the worth floor, the pairs put the used ones first where the budget
cuts. Fitting the log-loss alone had twice lowered the held-out loss without lifting recall at 512
tokens (the top of each function's ranking decides it, not the fit over all candidates).
"""
import json
import sys
import zlib

import numpy as np

# Held-out log-loss / AUC on the seed-11 dump (219,774 candidates): depth 3 x 150 trees 0.0685 / 0.922,
# depth 5 x 200 0.0659 / 0.927 (0.0660 / 0.928 with MIN_HESSIAN 10, 0.0664 / 0.926 with 20), depth 6 x
# 300 0.0654 / 0.929, depth 5 x 400 0.0653 / 0.930. Depth 5 x 200 was where bench:context gains
# stopped paying for the fit's time (~11 minutes on a 2-core machine) and the trees' size; on the
# dump with the file's own typed values, depth 6 (0.0584 / 0.939; 157 KB of trees instead of 99)
# recalls more at 512 on every seed, below.
TREES = 200
DEPTH = 6
LEARNING_RATE = 0.1
L2 = 1.0
MIN_HESSIAN = 5.0
# bench:context recall at 512 / 2,048 tokens, seeds 7 / 13 / 17, with the folderMembers feature:
# log-loss alone 0.878 / 0.872 / 0.870 and 0.973 / 0.943 / 0.958; RANK_WEIGHT 0.15 0.889 / 0.876 /
# 0.877; 0.3 (committed then) 0.893 / 0.877 / 0.879 and 0.975 / 0.941 / 0.957; 0.6 0.889 / 0.874 / 0.876; 0.3 with the
# pairs weighted towards those straddling the budget's cut 0.889 / 0.872 / 0.873. Without
# folderMembers, 0.3 gave 0.886 / 0.874 / 0.869 (log-loss alone 0.883 / 0.870 / 0.869). Held-out
# log-loss / AUC with both: 0.0658 / 0.928. Not kept: pairs weighted by how far apart their ranks'
# 1 / log2(2 + rank) discounts lie (LambdaRank's top-heavy weighting), 0.882 / 0.871 / 0.872 at 0.3;
# 300 trees 0.891 / 0.870 / 0.877; depth 6 0.895 / 0.877 / 0.877 but 0.970 / 0.941 / 0.953 at 2,048.
# Import paths no longer counted as uses (`from './timeoutProvider'`), values imported for the body
# alone offering their type's members, and the secondHop members (dump of 221,294 candidates):
# held-out 0.0644 / 0.930; 512 0.890 / 0.880 / 0.873, 2,048 0.975 / 0.945 / 0.962 (the committed fit).
# A namesakes feature (how many guesses share the name; 0.0652 / 0.930) took 512 to 0.890 / 0.872 /
# 0.873 and was dropped; rank weights 0.15 and 0.5 on the path-fixed dump recalled the same at 512.
# With TypeScript's generic call signatures parsed (server/syntax/separatorRepair.ts) and the file's
# own typed values as receivers (239,767 candidates): held-out 0.0589 / 0.937; 512 0.898 / 0.884 /
# 0.885, 2,048 0.977 / 0.962 / 0.969; depth 6 (the committed fit) 512 0.899 / 0.885 / 0.888, 2,048
# 0.977 / 0.958 / 0.969; rank weight 0.5 at depth 5 0.899 / 0.881 / 0.882. Not kept: the same with four more npm
# packages in the dump (msw, @reduxjs/toolkit, @trpc/server, @tanstack/table-core, via --packages;
# 818 TypeScript functions instead of 474): 512 0.887 / 0.877 / 0.875 before the typed values, better
# at 2,048 only; refitted on the repaired dump without the typed values, 0.889 / 0.882 / 0.870.
RANK_WEIGHT = 0.3
COST_UNIT = 90  # as server/context/pack.ts prices a guess


def load(path):
    rows = [json.loads(line) for line in open(path, encoding="utf8")]
    names = list(rows[0]["features"].keys())
    x = np.array([[r["features"][n] for n in names] for r in rows], dtype=float)
    y = np.array([1.0 if r["used"] else 0.0 for r in rows])
    folds = np.array([zlib.crc32(r["sample"].encode()) % 5 for r in rows])
    samples = {s: i for i, s in enumerate(dict.fromkeys(r["sample"] for r in rows))}
    sample = np.array([samples[r["sample"]] for r in rows])
    log_cost = np.log(np.minimum(1.0, COST_UNIT / np.array([float(r["chars"]) for r in rows])))
    return names, x, y, folds, sample, log_cost


# ---- gradient-boosted trees (logistic loss, second-order splits) --------------------------------

def candidate_thresholds(col, bins=16):
    values = np.unique(col)
    if len(values) <= bins:
        return (values[:-1] + values[1:]) / 2
    return np.unique(np.quantile(col, np.linspace(0, 1, bins + 1)[1:-1]))


def grow(x, g, h, depth, thresholds):
    big_g, big_h = g.sum(), h.sum()
    leaf = float(-big_g / (big_h + L2))
    if depth == 0 or big_h < 2 * MIN_HESSIAN:
        return leaf
    best = None
    parent = big_g * big_g / (big_h + L2)
    for j in range(x.shape[1]):
        col = x[:, j]
        for t in thresholds[j]:
            left = col <= t
            gl, hl = g[left].sum(), h[left].sum()
            gr, hr = big_g - gl, big_h - hl
            if hl < MIN_HESSIAN or hr < MIN_HESSIAN:
                continue
            gain = gl * gl / (hl + L2) + gr * gr / (hr + L2) - parent
            if best is None or gain > best[0]:
                best = (gain, j, float(t), left)
    if best is None or best[0] <= 1e-6:
        return leaf
    _, j, t, left = best
    return [j, t, grow(x[left], g[left], h[left], depth - 1, thresholds), grow(x[~left], g[~left], h[~left], depth - 1, thresholds)]


def tree_value(node, x):
    if not isinstance(node, list):
        return np.full(x.shape[0], node)
    j, t, left_node, right_node = node
    left = x[:, j] <= t
    out = np.empty(x.shape[0])
    out[left] = tree_value(left_node, x[left])
    out[~left] = tree_value(right_node, x[~left])
    return out


def used_unused_pairs(y, sample):
    """Every (used, unused) pair of guesses of the same function, as two index arrays."""
    used, unused = [], []
    for s in np.unique(sample):
        rows = np.flatnonzero(sample == s)
        pos, neg = rows[y[rows] == 1], rows[y[rows] == 0]
        if len(pos) and len(neg):
            a, b = np.meshgrid(pos, neg, indexing="ij")
            used.append(a.ravel())
            unused.append(b.ravel())
    return (np.concatenate(used), np.concatenate(unused)) if used else (np.zeros(0, int), np.zeros(0, int))


def rank_gradients(p, log_cost, pairs):
    """Gradient and hessian, per candidate margin, of the RankNet loss log(1 + exp(-(w_i - w_j)))
    over the pairs, with w = log p + log cost (the packer's order)."""
    i, j = pairs
    n = len(p)
    w = np.log(p + 1e-12) + log_cost
    rho = 1 / (1 + np.exp(w[i] - w[j]))
    # d log p / d margin = 1 - p
    g = np.bincount(i, -rho * (1 - p[i]), n) + np.bincount(j, rho * (1 - p[j]), n)
    curvature = rho * (1 - rho)
    h = np.bincount(i, curvature * (1 - p[i]) ** 2, n) + np.bincount(j, curvature * (1 - p[j]) ** 2, n)
    return g, h


def fit_trees(x, y, sample, log_cost):
    thresholds = [candidate_thresholds(x[:, j]) for j in range(x.shape[1])]
    pairs = used_unused_pairs(y, sample)
    mean = y.mean()
    base = float(np.log(mean / (1 - mean)))
    margin = np.full(len(y), base)
    trees = []
    for _ in range(TREES):
        p = 1 / (1 + np.exp(-margin))
        g, h = p - y, p * (1 - p)
        if RANK_WEIGHT > 0 and len(pairs[0]):
            rg, rh = rank_gradients(p, log_cost, pairs)
            # The pairwise term is scaled to the log-loss's total curvature, so RANK_WEIGHT is a share.
            scale = RANK_WEIGHT * h.sum() / max(rh.sum(), 1e-9)
            g, h = g + scale * rg, h + scale * rh
        tree = grow(x, g, h, DEPTH, thresholds)
        margin += LEARNING_RATE * tree_value(tree, x)
        trees.append(tree)
    return base, trees


def predict_trees(model, x):
    base, trees = model
    margin = np.full(x.shape[0], base)
    for tree in trees:
        margin += LEARNING_RATE * tree_value(tree, x)
    return 1 / (1 + np.exp(-margin))


# ---- logistic regression, for comparison ---------------------------------------------------------

def fit_logistic(x, y, iterations=50):
    xb = np.hstack([np.ones((x.shape[0], 1)), x])
    w = np.zeros(xb.shape[1])
    penalty = np.eye(xb.shape[1]) * L2
    penalty[0, 0] = 0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-xb @ w))
        step = np.linalg.solve((xb * (p * (1 - p))[:, None]).T @ xb + penalty, xb.T @ (p - y) + penalty @ w)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return lambda z: 1 / (1 + np.exp(-np.hstack([np.ones((z.shape[0], 1)), z]) @ w))


# ---- evaluation and output -----------------------------------------------------------------------

def auc(score, y):
    ranks = np.empty(len(score))
    ranks[np.argsort(score)] = np.arange(1, len(score) + 1)
    pos = y == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return (ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / max(1, n_pos * n_neg)


def log_loss(p, y):
    return -np.mean(y * np.log(p + 1e-9) + (1 - y) * np.log(1 - p + 1e-9))


def print_calibration(names, x, y, p):
    """Used / predicted on the held-out candidates, per piece of evidence that is 0 or 1, apart for
    languages with and without declared types: a group far from 1 is one the trees misjudge."""
    typed = x[:, names.index("staticTypes")] > 0.5 if "staticTypes" in names else np.zeros(len(y), dtype=bool)
    print("held-out used / predicted (candidates), typed languages | others:")
    for j, name in enumerate(names):
        if name == "staticTypes" or not np.isin(x[:, j], [0.0, 1.0]).all():
            continue
        cells = []
        for lang in (typed, ~typed):
            group = lang & (x[:, j] == 1)
            cells.append(f"{y[group].sum() / max(p[group].sum(), 1e-9):5.2f} ({int(group.sum()):6d})" if group.sum() >= 100 else " " * 14)
        print(f"  {name:<17} {cells[0]} | {cells[1]}")


def round_tree(node):
    return [node[0], round(node[1], 6), round_tree(node[2]), round_tree(node[3])] if isinstance(node, list) else round(node, 5)


def main():
    names, x, y, folds, sample, log_cost = load(sys.argv[1])
    test = folds == 0
    trees = predict_trees(fit_trees(x[~test], y[~test], sample[~test], log_cost[~test]), x[test])
    logistic = fit_logistic(x[~test], y[~test])(x[test])
    print(f"{len(y)} candidates, {int(y.sum())} used; held-out: trees log-loss {log_loss(trees, y[test]):.4f} AUC {auc(trees, y[test]):.3f}, "
          f"logistic log-loss {log_loss(logistic, y[test]):.4f} AUC {auc(logistic, y[test]):.3f}")
    print_calibration(names, x[test], y[test], trees)
    if len(sys.argv) < 3:
        return
    base, all_trees = fit_trees(x, y, sample, log_cost)
    with open(sys.argv[2], "w", encoding="utf8") as out:
        out.write("// Generated by bench/fit_guesses.py from the context benchmark's labelled guesses; do not edit.\n")
        out.write(f"// {len(y)} candidates ({int(y.sum())} used), {TREES} trees of depth {DEPTH}, learning rate {LEARNING_RATE}, rank weight {RANK_WEIGHT}.\n")
        out.write("// A tree is a leaf value or [feature index, threshold, subtree if <= threshold, subtree if >].\n")
        out.write("export type GuessTree = number | [number, number, GuessTree, GuessTree];\n")
        out.write(f"export const FEATURE_ORDER = {json.dumps(names)} as const;\n")
        out.write(f"export const LEARNING_RATE = {LEARNING_RATE};\n")
        out.write(f"export const BASE_MARGIN = {round(base, 6)};\n")
        out.write("export const TREES: GuessTree[] = [\n")
        for tree in all_trees:
            out.write(f"  {json.dumps(round_tree(tree))},\n")
        out.write("];\n")
    print(f"wrote {sys.argv[2]}")


if __name__ == "__main__":
    main()
