"""A third generator of paired hidden states written outside thoughtlens (sixteenth session), held
out from every rule: no default was chosen while looking at its runs. It is meant to look more like
a model's hidden states at a realistic scale than the other two:

  thoughts   K = shared + N·private. Firing probabilities follow a Zipf law over the thoughts
             (p_i ∝ 1/(i+1)^zipf, scaled so the most frequent fires on `pmax` of steps; the ranks are
             shuffled between shared and private), so a few thoughts are common and many are rare.
             Each is on/off by a two-state Markov chain (mean on-run `run` steps); while on its
             magnitude is exponential (mean 1), redrawn with probability 0.3 per step. No signed
             thoughts.
  agent a    u = M_a z_a with M_a's columns unit-norm and pairwise overlapping (columns drawn around
             a few shared "topic" directions, mean |cos| ≈ 0.2), plus a constant offset o_a (‖o_a‖ = 3:
             hidden states are not centred) and a GELU MLP residual, then a LayerNorm without gain:
             x = LN(o_a + u + 0.3·W2 gelu(W1 u)) + 0.03·noise. The LayerNorm couples every
             coordinate to every active thought.
  conflicts  with --conflicts F, as foreign_generator.py: from an onset one agent's copy of two shared
             thoughts ramps by +0.05 per step; `lag` steps later the `action` column of that agent
             flips and `diverged` turns true.

Usage:
  python3 bench/sae/zipf_generator.py --out DIR --seed S [--episodes 64] [--steps 256]
      [--shared 24] [--private 12] [--dims 256,192] [--agents A,B] [--zipf 1.0] [--pmax 0.25]
      [--conflicts 0.25 --lag 10]
Writes DIR (the run), DIR.structure.json, DIR.latents.arrows (and DIR.conflicts.json); then
  thoughtlens truth attach DIR --structure DIR.structure.json --latents DIR.latents.arrows [--conflicts DIR.conflicts.json]
"""

import argparse
import datetime
import json
import math
import os

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc


def gelu(v):
    return 0.5 * v * (1 + np.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v ** 3)))


def zipf_thoughts(rng, K, episodes, steps, run, zipf, pmax):
    ranks = rng.permutation(K)
    p_on = pmax / (ranks + 1.0) ** zipf
    z = np.zeros((episodes, steps, K), np.float32)
    leave = 1.0 / run
    enter = leave * p_on / (1 - p_on)
    for e in range(episodes):
        on = rng.random(K) < p_on
        val = rng.exponential(size=K)
        for t in range(steps):
            flip = rng.random(K)
            on = np.where(on, flip >= leave, flip < enter)
            redraw = rng.random(K) < 0.3
            val = np.where(redraw, rng.exponential(size=K), val)
            z[e, t] = np.where(on, val, 0.0)
    return z


def overlapping_columns(rng, d, n, topics=4, spread=0.45):
    T = rng.normal(size=(d, topics))
    T /= np.linalg.norm(T, axis=0, keepdims=True)
    W = rng.normal(size=(d, n)) / math.sqrt(d)
    W = W / np.linalg.norm(W, axis=0, keepdims=True) + spread * T[:, rng.integers(topics, size=n)]
    return W / np.linalg.norm(W, axis=0, keepdims=True)


def layer_norm(x):
    m = x.mean(axis=1, keepdims=True)
    s = x.std(axis=1, keepdims=True)
    return (x - m) / (s + 1e-5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--episodes", type=int, default=64)
    ap.add_argument("--steps", type=int, default=256)
    ap.add_argument("--shared", type=int, default=24)
    ap.add_argument("--private", type=int, default=12)
    ap.add_argument("--dims", default="256,192")
    ap.add_argument("--agents", default="A,B")
    ap.add_argument("--run", type=float, default=5.0)
    ap.add_argument("--zipf", type=float, default=1.0)
    ap.add_argument("--pmax", type=float, default=0.25)
    ap.add_argument("--conflicts", type=float, default=0.0)
    ap.add_argument("--lag", type=int, default=10)
    a = ap.parse_args()
    rng = np.random.default_rng(30_000 + a.seed)
    dims = [int(x) for x in a.dims.split(",")]
    ids = a.agents.split(",")
    if len(dims) != len(ids):
        raise SystemExit(f"--dims lists {len(dims)} sizes for {len(ids)} agents")
    owners = [ids[:] for _ in range(a.shared)]
    for agent in ids:
        owners += [[agent]] * a.private
    K = len(owners)
    z = zipf_thoughts(rng, K, a.episodes, a.steps, a.run, a.zipf, a.pmax)
    os.makedirs(os.path.join(a.out, "agents"), exist_ok=False)
    now = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    flat = z.reshape(-1, K)
    ep = np.repeat(np.arange(a.episodes, dtype=np.int32), a.steps)
    st = np.tile(np.arange(a.steps, dtype=np.int32), a.episodes)
    copies = {agent: z.copy() for agent in ids}
    diverged = np.zeros((a.episodes, a.steps), bool)
    drifting = np.full(a.episodes, -1)
    conflicts = []
    crng = np.random.default_rng(40_000 + a.seed)
    for e in range(a.episodes):
        if crng.random() >= a.conflicts:
            continue
        onset = int(crng.integers(40, a.steps - a.lag - 20 + 1))
        who = int(crng.integers(len(ids)))
        th = sorted(int(t) for t in crng.choice(a.shared, size=2, replace=False))
        ramp = 0.05 * np.maximum(0, np.arange(a.steps) - onset + 1) * (np.arange(a.steps) >= onset)
        for t in th:
            copies[ids[who]][e, :, t] += ramp.astype(np.float32)
        diverged[e, onset + a.lag:] = True
        drifting[e] = who
        conflicts.append({"episode": e, "agent": ids[who], "thoughts": th, "onsetStep": onset, "divergenceStep": onset + a.lag,
                          "counterparties": [x for x in ids if x != ids[who]]})
    # behaviour: both act on the two most frequent shared thoughts
    common = np.argsort([-(flat[:, i] > 0).mean() for i in range(a.shared)])[:2]
    common_action = ((z[:, :, common[0]] + z[:, :, common[1]]) > 0.5).astype(np.int32)
    counts = {}
    for agent, d in zip(ids, dims):
        held = [i for i, ow in enumerate(owners) if agent in ow]
        za = copies[agent].reshape(-1, K)[:, held]
        M = overlapping_columns(rng, d, len(held))
        offset = rng.normal(size=d)
        offset *= 3.0 / np.linalg.norm(offset)
        W1 = rng.normal(size=(2 * d, d)) / math.sqrt(d)
        W2 = rng.normal(size=(d, 2 * d)) / math.sqrt(2 * d)
        u = za @ M.T
        x = layer_norm(offset + u + 0.3 * gelu(u @ W1.T) @ W2.T) + 0.03 * rng.normal(size=(za.shape[0], d))
        x = x.astype(np.float32)
        hidden = pa.FixedSizeListArray.from_arrays(pa.array(x.ravel(), pa.float32()), d)
        act = common_action.copy()
        mine = drifting == ids.index(agent)
        act[mine] = np.where(diverged[mine], 1 - act[mine], act[mine])
        table = pa.table({"episode": pa.array(ep), "step": pa.array(st), "hidden": hidden,
                          "action": pa.array(act.ravel(), pa.int32()), "diverged": pa.array(diverged.ravel(), pa.bool_())})
        path = os.path.join(a.out, "agents", f"{agent}.arrows")
        with ipc.new_stream(path, table.schema) as w:
            for b in table.to_batches(max_chunksize=1024):
                w.write_batch(b)
        counts[agent] = {"rows": int(x.shape[0]), "batches": 0, "bytes": 0}
    manifest = {
        "format": "thoughtlens-run",
        "version": 1,
        "id": os.path.basename(os.path.normpath(a.out)),
        "createdAt": now,
        "updatedAt": now,
        "source": {"kind": "external", "params": {"generator": "bench/sae/zipf_generator.py", **vars(a)}},
        "agents": [{"id": i, "hiddenSize": d, "model": "zipf-layernorm", "columns": [
            {"name": "action", "type": "int32", "role": "action"},
            {"name": "diverged", "type": "bool", "role": "event", "description": "behaviour diverged from the partner"}]} for i, d in zip(ids, dims)],
        "status": "complete",
        "counts": counts,
    }
    with open(os.path.join(a.out, "run.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    structure = {"thoughts": [{"id": i, "agents": ow} for i, ow in enumerate(owners)], "signed": [False] * K}
    with open(a.out.rstrip("/") + ".structure.json", "w") as f:
        json.dump(structure, f)
    fsl = lambda v: pa.FixedSizeListArray.from_arrays(pa.array(v.ravel(), pa.float32()), K)
    cols = {"episode": pa.array(ep), "step": pa.array(st), "thoughts": fsl(flat)}
    if conflicts:
        for agent in ids:
            cols[f"thoughts_{agent}"] = fsl(copies[agent])
        with open(a.out.rstrip("/") + ".conflicts.json", "w") as f:
            json.dump({"conflicts": conflicts}, f)
    t = pa.table(cols)
    with ipc.new_stream(a.out.rstrip("/") + ".latents.arrows", t.schema) as w:
        for b in t.to_batches(max_chunksize=4096):
            w.write_batch(b)


if __name__ == "__main__":
    main()
