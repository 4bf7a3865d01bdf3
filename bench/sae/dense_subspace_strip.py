"""Offline test of a dense-subspace step before the dictionary (eleventh session; not part of
thoughtlens): per agent, the principal components above 1 % of the variance are unmixed by
FastICA (tanh, symmetric, fixed seed); components whose excess kurtosis is within ±1 (Gaussian
activity: a dense background, not a sparse thought) are projected out of the states, and the
result is written as a copy of the run (truth copied along). Training the copy with `train` at
its defaults and scoring it with `eval-truth` measures what setting those directions aside would
do (docs/RESULTS.md, "Setting aside a dense subspace").

Usage: python3 bench/sae/dense_subspace_strip.py RUN OUT   (prints per agent: components,
their excess kurtosis, how many were set aside and their share of the variance)
"""
import os
import shutil
import sys

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc


def fastica(Z, seed=0, iters=200):
    r = Z.shape[1]
    W = np.linalg.qr(np.random.default_rng(seed).normal(size=(r, r)))[0]
    for _ in range(iters):
        G = np.tanh(Z @ W.T)
        Wn = (G.T @ Z) / len(Z) - np.diag((1 - G ** 2).mean(0)) @ W
        u, _, vt = np.linalg.svd(Wn)
        Wn = u @ vt
        done = np.max(np.abs(np.abs(np.diag(Wn @ W.T)) - 1)) < 1e-6
        W = Wn
        if done:
            break
    return W


def strip(X):
    n, d = X.shape
    mu = X.mean(0)
    Xc = X - mu
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    share = S ** 2 / (S ** 2).sum()
    r = int((share > 0.01).sum())
    sd = S[:r] / np.sqrt(n)
    Z = Xc @ Vt[:r].T / sd
    W = fastica(Z)
    Y = Z @ W.T
    kurt = (Y ** 4).mean(0) / (Y ** 2).mean(0) ** 2 - 3
    gauss = np.abs(kurt) < 1.0
    if not gauss.any():
        return X, r, kurt, 0, 0.0
    A = (Vt[:r].T * sd) @ W.T
    Q, _ = np.linalg.qr(A[:, gauss])
    P = Xc @ Q
    removed = float((P ** 2).sum() / (Xc ** 2).sum())
    return X - P @ Q.T, r, kurt, int(gauss.sum()), removed


def main():
    src, dst = sys.argv[1], sys.argv[2]
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    for f in sorted(os.listdir(os.path.join(src, "agents"))):
        t = ipc.open_stream(os.path.join(src, "agents", f)).read_all()
        d = t.schema.field("hidden").type.list_size
        X = np.asarray(t.column("hidden").combine_chunks().flatten()).reshape(-1, d).astype(np.float64)
        Xs, r, kurt, k, removed = strip(X)
        print(f"{f[:-7]}: {r} components, excess kurtosis {np.round(np.sort(kurt), 2).tolist()}, set aside {k} ({100 * removed:.0f}% of the variance)")
        cols = {c: t.column(c) for c in t.column_names}
        cols["hidden"] = pa.FixedSizeListArray.from_arrays(pa.array(Xs.astype(np.float32).ravel()), d)
        nt = pa.table(cols)
        with ipc.new_stream(os.path.join(dst, "agents", f), nt.schema) as w:
            for b in nt.to_batches(max_chunksize=1000):
                w.write_batch(b)


if __name__ == "__main__":
    main()
