"""A generator of paired hidden states written outside thoughtlens, for checking the split on
data none of its own generators produced (docs/RESULTS.md, "A foreign generator").

It shares no code with agents/synthetic/: numpy + pyarrow only, the run written per
docs/FORMAT.md section 10 and its truth attached with `thoughtlens truth attach`.

Model (per seed):
  thoughts   K = shared + partial + N·private (partial: held by the first two of N > 2 agents). Each is on/off by a two-state Markov chain (mean on-run
             `run` steps, on-probability p_i drawn in [0.06, 0.2]). While on, its value is
             signed (N(0,1)·scale) for half the thoughts and positive (Gamma(2)·scale) for the
             others, redrawn with probability 0.2 per step (otherwise it keeps its value).
  agent a    x_a = M_a z_a + r·V_a tanh(U_a z_a + c_a) + 0.05·noise, where z_a are the
             thoughts agent a holds, M_a, U_a, V_a Gaussian with unit-norm columns, hidden size
             d_a; tanh width 2·d_a; r = --residual (0.4).
             --mixing rnn instead: a random tanh recurrent network per agent,
             h_t = tanh(ρ·R_a h_{t−1} + 1.5·U_a z_a,t + c_a) (R_a random orthogonal, ρ = --memory,
             h_0 = 0 at each episode's start), x_a = h_t + 0.02·noise: bounded, saturating, and
             dependent on the thoughts' history (added in the eighth session as a family no split
             rule was developed on).
             --dense (twelfth session): every thought always on, a Gaussian AR(1) process instead of
             sparse runs — the shared/private factor model CCA is made for, outside what a sparse
             dictionary can identify (a stress case, docs/SPLIT.md "Known limits").
conflicts  with --conflicts F, that fraction of episodes carries one: from an onset step (uniform in
             [40, steps − lag − 20]) one agent's copy of 2 shared thoughts drifts by +0.05 per
             step; `lag` steps later behaviour diverges (event column `diverged` true from then on,
             the drifting agent's `action` flipped). `action` is otherwise 1 when the common
             thoughts 0 + 1 exceed 0.3, the same for both agents.

Usage:
  python3 bench/sae/foreign_generator.py --out DIR --seed S [--episodes 48] [--steps 200]
      [--shared 8] [--private 4] [--dims 40,72] [--agents A,B] [--partial 0] [--residual 0.4]
      [--conflicts 0.5 --lag 10] [--mixing rnn --memory 0.5]
Writes DIR (the run, truth not yet attached), DIR.structure.json, DIR.latents.arrows (and
DIR.conflicts.json with --conflicts); then
  thoughtlens truth attach DIR --structure DIR.structure.json --latents DIR.latents.arrows
      [--conflicts DIR.conflicts.json]
"""

import argparse

import numpy as np

from external_run import RunWriter, agent_actions, plant_conflicts


def thoughts(rng, K, episodes, steps, run):
    p_on = rng.uniform(0.06, 0.2, size=K)
    signed = np.arange(K) % 2 == 0
    rng.shuffle(signed)
    scale = rng.uniform(0.7, 1.5, size=K)
    z = np.zeros((episodes, steps, K), np.float32)
    for e in range(episodes):
        on = rng.random(K) < p_on
        val = np.zeros(K)
        for t in range(steps):
            # Markov chain with stationary probability p_on and mean on-run `run`.
            leave = 1.0 / run
            enter = leave * p_on / (1 - p_on)
            flip = rng.random(K)
            on = np.where(on, flip >= leave, flip < enter)
            redraw = (rng.random(K) < 0.2) | (val == 0)
            fresh = np.where(signed, rng.normal(size=K), rng.gamma(2.0, 0.5, size=K)) * scale
            val = np.where(redraw, fresh, val)
            val = np.where(on, val, 0.0)
            z[e, t] = val
    return z, signed


def dense_thoughts(rng, K, episodes, steps, run):
    """--dense: every thought always on, an AR(1) Gaussian process (lag-1 correlation 1 − 1/run, unit
    variance): the classic shared/private factor model, with no sparse structure to find."""
    rho = 1 - 1.0 / run
    z = np.zeros((episodes, steps, K), np.float32)
    for e in range(episodes):
        v = rng.normal(size=K)
        for t in range(steps):
            v = rho * v + np.sqrt(1 - rho * rho) * rng.normal(size=K)
            z[e, t] = v
    return z, np.ones(K, bool)


def unit_columns(rng, rows, cols):
    W = rng.normal(size=(rows, cols))
    return W / np.linalg.norm(W, axis=0, keepdims=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--episodes", type=int, default=48)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--shared", type=int, default=8)
    ap.add_argument("--private", type=int, default=4)
    ap.add_argument("--dims", default="40,72", help="hidden size per agent")
    ap.add_argument("--agents", default="A,B", help="agent ids (2 or more)")
    ap.add_argument("--partial", type=int, default=0, help="thoughts held by the first two agents only (N > 2)")
    ap.add_argument("--run", type=float, default=6.0)
    ap.add_argument("--residual", type=float, default=0.4, help="weight of the tanh residual")
    ap.add_argument("--conflicts", type=float, default=0.0, help="fraction of episodes with a planted conflict")
    ap.add_argument("--lag", type=int, default=10, help="steps from the drift's onset to behaviour diverging")
    ap.add_argument("--mixing", choices=["tanh-residual", "rnn"], default="tanh-residual", help="how thoughts become hidden states")
    ap.add_argument("--memory", type=float, default=0.5, help="--mixing rnn: spectral radius of the recurrence")
    ap.add_argument("--dense", action="store_true", help="always-on Gaussian AR(1) thoughts instead of sparse on/off runs")
    a = ap.parse_args()
    rng = np.random.default_rng(10_000 + a.seed)
    dims = [int(x) for x in a.dims.split(",")]
    ids = a.agents.split(",")
    if len(dims) != len(ids):
        raise SystemExit(f"--dims lists {len(dims)} sizes for {len(ids)} agents")
    owners = [ids[:] for _ in range(a.shared)] + [ids[:2] for _ in range(a.partial if len(ids) > 2 else 0)]
    for agent in ids:
        owners += [[agent]] * a.private
    K = len(owners)
    z, signed = (dense_thoughts if a.dense else thoughts)(rng, K, a.episodes, a.steps, a.run)
    writer = RunWriter(a.out, a.episodes, a.steps, chunk=1000)
    flat = z.reshape(-1, K)
    copies, diverged, drifting, conflicts = plant_conflicts(z, ids, a.shared, a.conflicts, a.lag, np.random.default_rng(20_000 + a.seed))
    common_action = ((z[:, :, 0] + z[:, :, 1]) > 0.3).astype(np.int32)
    for agent, d in zip(ids, dims):
        held = [i for i, ow in enumerate(owners) if agent in ow]
        za = copies[agent].reshape(-1, K)[:, held]
        M = unit_columns(rng, d, len(held))
        U = unit_columns(rng, 2 * d, len(held))
        V = unit_columns(rng, d, 2 * d)
        c = rng.normal(scale=0.3, size=2 * d)
        if a.mixing == "rnn":
            R = np.linalg.qr(rng.normal(size=(d, d)))[0] * a.memory
            Uin = 1.5 * unit_columns(rng, d, len(held))
            bias = rng.normal(scale=0.3, size=d)
            drive = (za @ Uin.T + bias).reshape(a.episodes, a.steps, d)
            h = np.zeros((a.episodes, d))
            out = np.empty_like(drive)
            for t in range(a.steps):
                h = np.tanh(h @ R.T + drive[:, t])
                out[:, t] = h
            x = out.reshape(-1, d) + 0.02 * rng.normal(size=(za.shape[0], d))
        else:
            x = za @ M.T + a.residual * np.tanh(za @ U.T + c) @ V.T + 0.05 * rng.normal(size=(za.shape[0], d))
        writer.agent(agent, x, agent_actions(common_action, drifting, diverged, ids.index(agent)), diverged)
    writer.finish(ids, dims, f"foreign-{a.mixing}", {"generator": "bench/sae/foreign_generator.py", **vars(a)},
                  owners, signed, flat, copies, conflicts)


if __name__ == "__main__":
    main()
