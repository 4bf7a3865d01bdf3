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
import math

import numpy as np

from external_run import RunWriter, agent_actions, plant_conflicts


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
    writer = RunWriter(a.out, a.episodes, a.steps, chunk=1024)
    flat = z.reshape(-1, K)
    copies, diverged, drifting, conflicts = plant_conflicts(z, ids, a.shared, a.conflicts, a.lag, np.random.default_rng(40_000 + a.seed))
    # behaviour: both act on the two most frequent shared thoughts
    common = np.argsort([-(flat[:, i] > 0).mean() for i in range(a.shared)])[:2]
    common_action = ((z[:, :, common[0]] + z[:, :, common[1]]) > 0.5).astype(np.int32)
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
        writer.agent(agent, x, agent_actions(common_action, drifting, diverged, ids.index(agent)), diverged)
    writer.finish(ids, dims, "zipf-layernorm", {"generator": "bench/sae/zipf_generator.py", **vars(a)},
                  owners, [False] * K, flat, copies, conflicts)


if __name__ == "__main__":
    main()
