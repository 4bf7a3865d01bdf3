"""What the outside generators (foreign_generator.py, zipf_generator.py) share: planting conflicts
the way docs/FORMAT.md's truth describes them, and writing a run in the documented format with
its truth files beside it (to attach with `thoughtlens truth attach`). numpy + pyarrow only; no
thoughtlens code. How hidden states are made from thoughts stays in each generator.
"""

import datetime
import json
import os

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc


def plant_conflicts(z, ids, shared, fraction, lag, crng):
    """In `fraction` of the episodes one agent's copy of 2 shared thoughts drifts by +0.05 per step
    from an onset uniform in [40, steps − lag − 20]; behaviour diverges `lag` steps later.
    Returns (copies per agent, diverged[E, T], drifting agent index per episode or −1, conflicts)."""
    episodes, steps, _ = z.shape
    copies = {agent: z.copy() for agent in ids}
    diverged = np.zeros((episodes, steps), bool)
    drifting = np.full(episodes, -1)
    conflicts = []
    for e in range(episodes):
        if crng.random() >= fraction:
            continue
        onset = int(crng.integers(40, steps - lag - 20 + 1))
        who = int(crng.integers(len(ids)))
        th = sorted(int(t) for t in crng.choice(shared, size=2, replace=False))
        ramp = 0.05 * np.maximum(0, np.arange(steps) - onset + 1) * (np.arange(steps) >= onset)
        for t in th:
            copies[ids[who]][e, :, t] += ramp.astype(np.float32)
        diverged[e, onset + lag:] = True
        drifting[e] = who
        conflicts.append({"episode": e, "agent": ids[who], "thoughts": th, "onsetStep": onset, "divergenceStep": onset + lag,
                          "counterparties": [x for x in ids if x != ids[who]]})
    return copies, diverged, drifting, conflicts


def agent_actions(common_action, drifting, diverged, agent_index):
    """The common action, flipped for the drifting agent once its episode's behaviour diverged."""
    act = common_action.copy()
    mine = drifting == agent_index
    act[mine] = np.where(diverged[mine], 1 - act[mine], act[mine])
    return act


class RunWriter:
    """Writes DIR/agents/<id>.arrows one agent at a time, then DIR/run.json and the truth files
    DIR.structure.json, DIR.latents.arrows (and DIR.conflicts.json when there are conflicts)."""

    def __init__(self, out, episodes, steps, chunk):
        os.makedirs(os.path.join(out, "agents"), exist_ok=False)
        self.out = out
        self.chunk = chunk
        self.ep = np.repeat(np.arange(episodes, dtype=np.int32), steps)
        self.st = np.tile(np.arange(steps, dtype=np.int32), episodes)
        self.counts = {}
        self.now = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")

    def agent(self, agent, x, action, diverged):
        d = x.shape[1]
        hidden = pa.FixedSizeListArray.from_arrays(pa.array(x.astype(np.float32).ravel(), pa.float32()), d)
        table = pa.table({"episode": pa.array(self.ep), "step": pa.array(self.st), "hidden": hidden,
                          "action": pa.array(action.ravel(), pa.int32()), "diverged": pa.array(diverged.ravel(), pa.bool_())})
        with ipc.new_stream(os.path.join(self.out, "agents", f"{agent}.arrows"), table.schema) as w:
            for b in table.to_batches(max_chunksize=self.chunk):
                w.write_batch(b)
        self.counts[agent] = {"rows": int(x.shape[0]), "batches": 0, "bytes": 0}

    def finish(self, ids, dims, model, params, owners, signed, flat, copies, conflicts):
        manifest = {
            "format": "thoughtlens-run",
            "version": 1,
            "id": os.path.basename(os.path.normpath(self.out)),
            "createdAt": self.now,
            "updatedAt": self.now,
            "source": {"kind": "external", "params": params},
            "agents": [{"id": i, "hiddenSize": d, "model": model, "columns": [
                {"name": "action", "type": "int32", "role": "action"},
                {"name": "diverged", "type": "bool", "role": "event", "description": "behaviour diverged from the partner"}]} for i, d in zip(ids, dims)],
            "status": "complete",
            "counts": self.counts,
        }
        with open(os.path.join(self.out, "run.json"), "w") as f:
            json.dump(manifest, f, indent=1)
        base = self.out.rstrip("/")
        structure = {"thoughts": [{"id": i, "agents": ow} for i, ow in enumerate(owners)], "signed": [bool(s) for s in signed]}
        with open(base + ".structure.json", "w") as f:
            json.dump(structure, f)
        K = flat.shape[1]
        fsl = lambda v: pa.FixedSizeListArray.from_arrays(pa.array(v.ravel(), pa.float32()), K)
        cols = {"episode": pa.array(self.ep), "step": pa.array(self.st), "thoughts": fsl(flat)}
        if conflicts:
            for agent in ids:
                cols[f"thoughts_{agent}"] = fsl(copies[agent])
            with open(base + ".conflicts.json", "w") as f:
                json.dump({"conflicts": conflicts}, f)
        lt = pa.table(cols)
        with ipc.new_stream(base + ".latents.arrows", lt.schema) as w:
            w.write_table(lt)
