"""How much of one agent's recorded state is linearly predictable from the other's, and from the game.

    python shared_variance.py thoughtlens-workspace/runs/lm-ipd

Reads the run with pyarrow only (agents A and B, joined on episode and step). Ridge maps are
fitted on even episodes and scored on odd ones, as R^2 summed over dimensions (1 - residual
energy / energy about the mean): A from B, B from A, and each agent from the visible game
alone (its own and the co-player's moves in the last 8 rounds, one-hot, and the round
number in 10 bins). Split by co-player: the other agent (self-play) or a pool style.
A check beside the dictionary's split, not part of thoughtlens.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pyarrow.ipc as ipc


def read(run: Path, agent: str):
    with open(run / "agents" / f"{agent}.arrows", "rb") as f:
        t = ipc.open_stream(f).read_all()
    t = t.sort_by([("episode", "ascending"), ("step", "ascending")])
    d = len(t.column("hidden")[0])
    h = t.column("hidden").combine_chunks().flatten().to_numpy().reshape(-1, d).astype(np.float64)
    return t, h


def game_features(t) -> np.ndarray:
    ep = t.column("episode").to_numpy()
    st = t.column("step").to_numpy()
    own = t.column("action").to_numpy()
    other = t.column("co_player_action").to_numpy()
    n, lags = len(ep), 8
    x = np.zeros((n, lags * 4 + 10))
    for k in range(1, lags + 1):  # round t-k's outcome, when it exists in the episode
        ok = (st >= k) & (np.roll(ep, k) == ep)
        idx = np.nonzero(ok)[0]
        x[idx, (k - 1) * 4 + 2 * own[idx - k] + other[idx - k]] = 1
    x[np.arange(n), lags * 4 + np.minimum(st // 10, 9)] = 1
    return x


def ridge_r2(x: np.ndarray, y: np.ndarray, fit: np.ndarray, lam: float = 1e-3) -> float:
    test = ~fit
    mx, my = x[fit].mean(0), y[fit].mean(0)
    xf, yf = x[fit] - mx, y[fit] - my
    w = np.linalg.solve(xf.T @ xf + lam * len(xf) * np.eye(x.shape[1]), xf.T @ yf)
    pred = (x[test] - mx) @ w + my
    resid = ((y[test] - pred) ** 2).sum()
    total = ((y[test] - y[test].mean(0)) ** 2).sum()
    return float(1 - resid / total)


def main(run_dir: str) -> dict:
    run = Path(run_dir)
    ta, ha = read(run, "A")
    tb, hb = read(run, "B")
    if not (np.array_equal(ta.column("episode").to_numpy(), tb.column("episode").to_numpy())
            and np.array_equal(ta.column("step").to_numpy(), tb.column("step").to_numpy())):
        raise SystemExit("shared_variance.py: agents A and B do not hold the same (episode, step) keys")
    ep = ta.column("episode").to_numpy()
    fit = ep % 2 == 0
    selfplay = np.array([c == "B" for c in ta.column("co_player").to_pylist()])
    ga, gb = game_features(ta), game_features(tb)
    out = {}
    for name, rows in (("self-play", selfplay), ("pool styles", ~selfplay), ("all", np.ones_like(selfplay))):
        f = fit[rows]
        out[name] = {
            "rows": int(rows.sum()),
            "A_from_B": round(ridge_r2(hb[rows], ha[rows], f), 3),
            "B_from_A": round(ridge_r2(ha[rows], hb[rows], f), 3),
            "A_from_game": round(ridge_r2(ga[rows], ha[rows], f), 3),
            "B_from_game": round(ridge_r2(gb[rows], hb[rows], f), 3),
        }
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(json.dumps(main(sys.argv[1]), indent=1))
