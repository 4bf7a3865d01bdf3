"""How nonlinear is the synthetic mixing? Linear R² between an agent's hidden states and its
own thoughts (held-out second half), for runs recorded with different --scale.

  for s in 0.5 1 2; do npx tsx cli/main.ts -w /tmp/tl-lin record synthetic --scale $s --out s$s -q; done
  python3 bench/agents/syntheticLinearity.py /tmp/tl-lin/runs/s0.5 /tmp/tl-lin/runs/s1 /tmp/tl-lin/runs/s2
"""
import json
import sys

import numpy as np
import pyarrow.ipc as ipc


def main(run: str, agent: str = "A") -> None:
    s = json.load(open(f"{run}/truth/structure.json"))
    k_ids = next(a for a in s["agents"] if a["id"] == agent)["thoughts"]
    lat = ipc.open_stream(f"{run}/truth/latents.arrows").read_all()
    st = ipc.open_stream(f"{run}/agents/{agent}.arrows").read_all()
    K = s["thoughtCount"]
    Z = lat[f"thoughts_{agent}"].combine_chunks().flatten().to_numpy().reshape(-1, K)[:, k_ids]
    d = st.schema.field("hidden").type.list_size
    H = st["hidden"].combine_chunks().flatten().to_numpy().reshape(-1, d)
    n = len(Z)
    tr, te = slice(0, n // 2), slice(n // 2, n)
    X = np.c_[Z, np.ones(n)]
    W, *_ = np.linalg.lstsq(X[tr], H[tr], rcond=None)
    fwd = 1 - ((H[te] - X[te] @ W) ** 2).sum() / ((H[te] - H[te].mean(0)) ** 2).sum()
    Y = np.c_[H, np.ones(n)]
    V, *_ = np.linalg.lstsq(Y[tr], Z[tr], rcond=None)
    inv = 1 - ((Z[te] - Y[te] @ V) ** 2).sum(0) / ((Z[te] - Z[te].mean(0)) ** 2).sum(0)
    print(json.dumps({"run": run, "scale": s["config"]["mixing"]["scale"], "linearR2HiddenFromThoughts": round(float(fwd), 3),
                      "linearR2ThoughtsFromHiddenMin": round(float(inv.min()), 3), "linearR2ThoughtsFromHiddenMean": round(float(inv.mean()), 3)}))


if __name__ == "__main__":
    for r in sys.argv[1:]:
        main(r)
