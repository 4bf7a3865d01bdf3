"""A second generator of paired hidden states written outside thoughtlens (eleventh session), held
out from every rule: it was written after the split and detector defaults were last changed and
measured once (docs/RESULTS.md, "A second foreign generator: residual-stream-like states").

It shares no code with agents/synthetic/ or foreign_generator.py: numpy + pyarrow only, the run
written per docs/FORMAT.md section 10 and its truth attached with `thoughtlens truth attach`.
What it imitates is what real residual streams have and the other generators do not:

  thoughts   K = shared + N·private, each on with probability p_i in [0.04, 0.15] per step,
             persisting with probability 0.8, magnitude lognormal(0, 0.5) redrawn each time it
             turns on (positive, right-skewed).
  agent a    x_a = s_a ⊙ (F_a z_a + b·G_a g_t + 0.05·ε) + o_a, where F_a holds one unit
             direction per thought (directions pairwise non-orthogonal: cosine up to ~0.3),
             g_t a dense 4-d Gaussian background private to the agent (slowly varying, AR(1)
             0.9; not a thought, not in the truth) along unit directions G_a, b = --background
             (0.3: its variance is about a fifth of the thoughts'), s_a per-dimension scales
             lognormal(0, --scales) (σ 1: some dimensions 5-10× others), and o_a offsets with two
             "massive" dimensions at +25 and −15 (the rest N(0, 0.5)).
             The first version (commit 949ebc0) drew G_a with N(0, 1/d) entries scaled by √d/2, so
             each dimension got background variance 0.09 and the background carried about five
             times the thoughts' variance; --background 1.5 comes close to it.
  conflicts  with --conflicts F, that fraction of episodes: from an onset step in
             [40, steps − lag − 20] one agent's copy of 2 shared thoughts drifts by +0.05 per
             step (added whether the thought is on or off); `lag` steps later the event column
             `diverged` turns true and the drifting agent's `action` flips. `action` is otherwise
             1 when shared thoughts 0 + 1 exceed 0.5, the same for both agents.

Usage:
  python3 bench/sae/foreign_massive_generator.py --out DIR --seed S [--episodes 48] [--steps 200]
      [--shared 8] [--private 4] [--dims 96,48] [--conflicts 0.25 --lag 10]
  thoughtlens truth attach DIR --structure DIR.structure.json --latents DIR.latents.arrows [--conflicts DIR.conflicts.json]
"""

import argparse
import datetime
import json
import os

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc


def draw_thoughts(rng, K, episodes, steps):
    p_on = rng.uniform(0.04, 0.15, size=K)
    stay = 0.8
    enter = p_on * (1 - stay) / (1 - p_on)  # stationary P(on) = p_on
    z = np.zeros((episodes, steps, K), np.float32)
    for e in range(episodes):
        on = rng.random(K) < p_on
        mag = rng.lognormal(0.0, 0.5, size=K)
        for t in range(steps):
            u = rng.random(K)
            nxt = np.where(on, u < stay, u < enter)
            fresh = nxt & ~on
            mag = np.where(fresh, rng.lognormal(0.0, 0.5, size=K), mag)
            on = nxt
            z[e, t] = np.where(on, mag, 0.0)
    return z


def directions(rng, d, n):
    """n unit directions in R^d with pairwise cosines kept under ~0.3 (redrawn otherwise)."""
    out = []
    while len(out) < n:
        v = rng.normal(size=d)
        v /= np.linalg.norm(v)
        if all(abs(v @ w) < 0.3 for w in out):
            out.append(v)
    return np.stack(out, axis=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--episodes", type=int, default=48)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--shared", type=int, default=8)
    ap.add_argument("--private", type=int, default=4)
    ap.add_argument("--dims", default="96,48")
    ap.add_argument("--conflicts", type=float, default=0.0)
    ap.add_argument("--lag", type=int, default=10)
    ap.add_argument("--background", type=float, default=0.3, help="std of each of the 4 dense background coordinates")
    ap.add_argument("--scales", type=float, default=1.0, help="sigma of the lognormal per-dimension scales (0: all 1)")
    a = ap.parse_args()
    rng = np.random.default_rng(70_000 + a.seed)
    ids = ["A", "B"]
    dims = [int(x) for x in a.dims.split(",")]
    if len(dims) != 2:
        raise SystemExit("--dims needs two sizes")
    owners = [ids[:] for _ in range(a.shared)] + [["A"]] * a.private + [["B"]] * a.private
    K = len(owners)
    z = draw_thoughts(rng, K, a.episodes, a.steps)
    E, T = a.episodes, a.steps
    copies = {i: z.copy() for i in ids}
    diverged = np.zeros((E, T), bool)
    drifter = np.full(E, -1)
    conflicts = []
    crng = np.random.default_rng(80_000 + a.seed)
    for e in range(E):
        if crng.random() >= a.conflicts:
            continue
        onset = int(crng.integers(40, T - a.lag - 20 + 1))
        who = int(crng.integers(2))
        th = sorted(int(t) for t in crng.choice(a.shared, size=2, replace=False))
        ramp = (0.05 * np.maximum(0, np.arange(T) - onset + 1)).astype(np.float32)
        for t in th:
            copies[ids[who]][e, :, t] += ramp
        diverged[e, onset + a.lag:] = True
        drifter[e] = who
        conflicts.append({"episode": e, "agent": ids[who], "thoughts": th, "onsetStep": onset,
                          "divergenceStep": onset + a.lag, "counterparties": [ids[1 - who]]})
    common = ((z[:, :, 0] + z[:, :, 1]) > 0.5).astype(np.int32)
    os.makedirs(os.path.join(a.out, "agents"), exist_ok=False)
    ep = np.repeat(np.arange(E, dtype=np.int32), T)
    st = np.tile(np.arange(T, dtype=np.int32), E)
    counts = {}
    for ai, (agent, d) in enumerate(zip(ids, dims)):
        held = [i for i, ow in enumerate(owners) if agent in ow]
        za = copies[agent][:, :, held]
        F = directions(rng, d, len(held))
        G = rng.normal(size=(d, 4))
        G /= np.linalg.norm(G, axis=0, keepdims=True)
        g = np.zeros((E, T, 4))
        for t in range(T):
            prev = g[:, t - 1] if t > 0 else rng.normal(size=(E, 4))
            g[:, t] = 0.9 * prev + np.sqrt(1 - 0.81) * rng.normal(size=(E, 4))
        scale = rng.lognormal(0.0, a.scales, size=d)
        offset = rng.normal(scale=0.5, size=d)
        offset[rng.choice(d, size=2, replace=False)] = [25.0, -15.0]
        x = za @ F.T + a.background * (g @ G.T) + 0.05 * rng.normal(size=(E, T, d))
        x = (x * scale + offset).astype(np.float32).reshape(-1, d)
        act = common.copy()
        mine = drifter == ai
        act[mine] = np.where(diverged[mine], 1 - act[mine], act[mine])
        table = pa.table({"episode": pa.array(ep), "step": pa.array(st),
                          "hidden": pa.FixedSizeListArray.from_arrays(pa.array(x.ravel(), pa.float32()), d),
                          "action": pa.array(act.ravel(), pa.int32()), "diverged": pa.array(diverged.ravel(), pa.bool_())})
        with ipc.new_stream(os.path.join(a.out, "agents", f"{agent}.arrows"), table.schema) as w:
            for b in table.to_batches(max_chunksize=1000):
                w.write_batch(b)
        counts[agent] = {"rows": int(x.shape[0]), "batches": 0, "bytes": 0}
    now = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    manifest = {
        "format": "thoughtlens-run", "version": 1, "id": os.path.basename(os.path.normpath(a.out)),
        "createdAt": now, "updatedAt": now,
        "source": {"kind": "external", "params": {"generator": "bench/sae/foreign_massive_generator.py", **vars(a)}},
        "agents": [{"id": i, "hiddenSize": d, "model": "foreign-massive", "columns": [
            {"name": "action", "type": "int32", "role": "action"},
            {"name": "diverged", "type": "bool", "role": "event", "description": "behaviour diverged from the partner"}]}
            for i, d in zip(ids, dims)],
        "status": "complete", "counts": counts,
    }
    with open(os.path.join(a.out, "run.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    with open(a.out.rstrip("/") + ".structure.json", "w") as f:
        json.dump({"thoughts": [{"id": i, "agents": ow} for i, ow in enumerate(owners)]}, f)
    fsl = lambda v: pa.FixedSizeListArray.from_arrays(pa.array(v.ravel(), pa.float32()), K)
    cols = {"episode": pa.array(ep), "step": pa.array(st), "thoughts": fsl(z.reshape(-1, K))}
    if conflicts:
        for agent in ids:
            cols[f"thoughts_{agent}"] = fsl(copies[agent])
        with open(a.out.rstrip("/") + ".conflicts.json", "w") as f:
            json.dump({"conflicts": conflicts}, f)
    lt = pa.table(cols)
    with ipc.new_stream(a.out.rstrip("/") + ".latents.arrows", lt.schema) as w:
        w.write_table(lt)


if __name__ == "__main__":
    main()
