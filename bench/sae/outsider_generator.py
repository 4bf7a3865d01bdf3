"""A fourth generator of paired hidden states (nineteenth session), written from docs/FORMAT.md
alone the way a user converting another tool's output might, and held out from every rule:

  thoughts   K = shared + N·private, each on at a step with its own probability (uniform in
             0.03–0.15, independent steps, no persistence) with a Gamma(2, 0.6) magnitude.
  agent a    x = tanh(W_a z_a + b_a) + 0.02·noise, W_a's columns unit-norm ×2; hidden sizes differ.
  behaviour  `move` (role action) = whether the agent's own copy of the shared thoughts sums over
             1, so a planted drift already moves it now and then before the planted divergence,
             where the drifter's move flips for the rest of the episode: the rule 'actions
             differ' fires far more often than truth plants conflicts (detect scores truth's).
  conflicts  with --conflicts F, in the second half of the episodes only (the reference half of
             `detect` holds none): from the onset two shared thoughts of one agent ramp by 0.06
             per step; divergence `lag` steps later.
  format     episode ids non-contiguous (100–999), steps from 1, episodes of 150–319 steps,
             `hidden` as List<Float64> (pyarrow, batches of 777 rows) or LargeList<Float64>
             (polars), Int64 keys; run.json with no timestamps, source, status or counts; truth
             written straight into truth/ (no `truth attach`): structure.json with `thoughts`
             only, latents.arrows with one Float64 column per thought (z0, z1, …),
             conflicts.json a bare list.

Usage:
  python3 bench/sae/outsider_generator.py --out DIR --seed S [--agents alice,bob] [--dims 96,64]
      (lists may be joined with + instead of ,) [--shared 6] [--private 4] [--episodes 40] [--writer pyarrow|polars] [--conflicts 0.3] [--lag 15]
"""
import argparse, json, os, math
import numpy as np, pyarrow as pa, pyarrow.ipc as ipc

ap = argparse.ArgumentParser()
ap.add_argument('--out', required=True); ap.add_argument('--seed', type=int, default=0)
ap.add_argument('--agents', default='alice,bob'); ap.add_argument('--dims', default='96,64')
ap.add_argument('--shared', type=int, default=6); ap.add_argument('--private', type=int, default=4)
ap.add_argument('--episodes', type=int, default=40); ap.add_argument('--writer', default='pyarrow')
ap.add_argument('--conflicts', type=float, default=0.3); ap.add_argument('--lag', type=int, default=15)
a = ap.parse_args()
rng = np.random.default_rng(a.seed)
agents = a.agents.replace('+', ',').split(','); dims = [int(x) for x in a.dims.replace('+', ',').split(',')]
N = len(agents); K = a.shared + N * a.private
owners = [agents[:] for _ in range(a.shared)] + [[agents[i]] for i in range(N) for _ in range(a.private)]
p = rng.uniform(0.03, 0.15, K)
mix = []
for i, d in enumerate(dims):
    held = [j for j in range(K) if agents[i] in owners[j]]
    W = rng.normal(size=(d, len(held))); W /= np.linalg.norm(W, axis=0)
    mix.append((held, W * 2.0, rng.normal(size=d) * 0.1))
eps = sorted(rng.choice(np.arange(100, 1000), a.episodes, replace=False))
rows = {ag: [] for ag in agents}; truth_rows = []; conflicts = []
n_conf = int(round(a.conflicts * a.episodes)); conf_eps = set(rng.choice(eps[len(eps)//2:], n_conf, replace=False)) if n_conf else set()
for e in eps:
    T = int(rng.integers(150, 320))
    z = (rng.random((T, K)) < p) * rng.gamma(2.0, 0.6, (T, K))
    z = z.astype(np.float64)
    copies = {ag: z.copy() for ag in agents}
    onset = None
    if e in conf_eps:
        drifter = agents[int(rng.integers(N))]; th = sorted(rng.choice(a.shared, 2, replace=False).tolist())
        onset = int(rng.integers(40, T - a.lag - 20))
        for t in range(onset, T):
            copies[drifter][t, th] += 0.06 * (t - onset + 1)
        conflicts.append({'episode': int(e), 'agent': drifter, 'thoughts': th, 'onsetStep': onset + 1, 'divergenceStep': onset + 1 + a.lag})
    for i, ag in enumerate(agents):
        held, W, b = mix[i]
        x = np.tanh(copies[ag][:, held] @ W.T + b) + 0.02 * rng.normal(size=(T, dims[i]))
        shared_sum = copies[ag][:, :a.shared].sum(1)
        act = (shared_sum > 1.0).astype(np.int64)
        if onset is not None and ag == drifter:
            act[onset + a.lag:] = 1 - act[onset + a.lag:]
        for t in range(T):
            rows[ag].append((int(e), t + 1, x[t], int(act[t])))
    for t in range(T):
        truth_rows.append((int(e), t + 1, z[t]))
run = a.out; os.makedirs(run + '/agents', exist_ok=True); os.makedirs(run + '/truth', exist_ok=True)
for i, ag in enumerate(agents):
    R = rows[ag]
    if a.writer == 'polars':
        import polars as pl
        df = pl.DataFrame({'episode': [r[0] for r in R], 'step': [r[1] for r in R], 'hidden': [r[2].tolist() for r in R], 'move': [r[3] for r in R]})
        with open(f'{run}/agents/{ag}.arrows', 'wb') as f:
            df.write_ipc_stream(f)
    else:
        t = pa.table({'episode': pa.array([r[0] for r in R], pa.int64()), 'step': pa.array([r[1] for r in R], pa.int64()),
                      'hidden': pa.array([r[2] for r in R], pa.list_(pa.float64())), 'move': pa.array([r[3] for r in R], pa.int64())})
        with ipc.new_stream(f'{run}/agents/{ag}.arrows', t.schema) as w:
            for b in t.to_batches(max_chunksize=777): w.write_batch(b)
json.dump({'format': 'thoughtlens-run', 'version': 1, 'id': os.path.basename(run),
           'agents': [{'id': ag, 'hiddenSize': dims[i], 'columns': [{'name': 'move', 'type': 'int32', 'role': 'action'}]} for i, ag in enumerate(agents)],
           'truth': ['truth/structure.json', 'truth/latents.arrows', 'truth/conflicts.json']}, open(run + '/run.json', 'w'), indent=1)
json.dump({'thoughts': [{'id': j, 'agents': owners[j]} for j in range(K)]}, open(run + '/truth/structure.json', 'w'))
cols = {'episode': pa.array([r[0] for r in truth_rows], pa.int64()), 'step': pa.array([r[1] for r in truth_rows], pa.int64())}
Z = np.stack([r[2] for r in truth_rows])
for j in range(K): cols[f'z{j}'] = pa.array(Z[:, j])
t = pa.table(cols)
with ipc.new_stream(run + '/truth/latents.arrows', t.schema) as w: w.write_table(t)
json.dump(conflicts, open(run + '/truth/conflicts.json', 'w'))
print(run, 'K', K, 'episodes', len(eps), 'conflicts', len(conflicts))
