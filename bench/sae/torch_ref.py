# PyTorch reference of the paired dictionary step (2 agents × d → m, BatchTopK k, Adam),
# dense encoder and decoder as SAELens-style trainers do. Reads the same data file as the
# thoughtlens side. Prints one JSON line.
import json, sys, time
import numpy as np
import torch

def main():
    a = json.loads(sys.argv[1])
    torch.set_num_threads(a['threads'])
    torch.manual_seed(0)
    d, m, k, B, n = a['d'], a['m'], a['k'], a['batch'], a['rows']
    raw = np.fromfile(a['data'], dtype=np.float32).reshape(2, n, d)
    X = [torch.from_numpy(raw[i].copy()) for i in range(2)]
    if a.get('peak'):
        x = torch.randn(B, d); w = torch.randn(d, m)
        peak = 0
        for _ in range(5):
            t = time.perf_counter(); x @ w
            peak = max(peak, 2 * B * d * m / (time.perf_counter() - t) / 1e9)
    else:
        peak = None
    # Same initialisation as thoughtlens: unit-norm decoder rows, encoder = decoderᵀ / agents.
    dec0 = [torch.randn(m, d) for _ in range(2)]
    dec0 = [w / w.norm(dim=1, keepdim=True) for w in dec0]
    Wdec = [torch.nn.Parameter(w.clone()) for w in dec0]
    Wenc = [torch.nn.Parameter(w.t().clone() / 2) for w in dec0]
    benc = torch.nn.Parameter(torch.zeros(m))
    bdec = [torch.nn.Parameter(torch.zeros(d)) for _ in range(2)]
    params = Wenc + Wdec + [benc] + bdec
    opt = torch.optim.Adam(params, lr=a['lr'])
    g = torch.Generator().manual_seed(1)
    def step(idx):
        xs = [X[i][idx] for i in range(2)]
        pre = xs[0] @ Wenc[0] + xs[1] @ Wenc[1] + benc
        act = torch.relu(pre)
        flat = act.flatten()
        thr = torch.topk(flat, k * B, sorted=False).values.min()
        z = act * (act >= thr)
        loss = sum(((z @ Wdec[i] + bdec[i] - xs[i]) ** 2).sum(1).mean() / d for i in range(2))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()
    for _ in range(a['warmup']):
        step(torch.randint(0, n, (B,), generator=g))
    t0 = time.perf_counter(); steps = 0
    while time.perf_counter() - t0 < a['seconds']:
        step(torch.randint(0, n, (B,), generator=g)); steps += 1
    el = time.perf_counter() - t0
    with torch.no_grad():
        xs = [X[i][: min(n, 4096)] for i in range(2)]
        pre = xs[0] @ Wenc[0] + xs[1] @ Wenc[1] + benc
        act = torch.relu(pre); thr = torch.topk(act.flatten(), k * xs[0].shape[0], sorted=False).values.min()
        z = act * (act >= thr)
        fvu = [float(((z @ Wdec[i] + bdec[i] - xs[i]) ** 2).sum() / ((xs[i] - xs[i].mean(0)) ** 2).sum()) for i in range(2)]
    print(json.dumps({'pairsPerSec': steps * B / el, 'steps': steps, 'seconds': el, 'fvu': fvu, 'peakGflops': peak, 'torch': torch.__version__, 'threads': torch.get_num_threads()}))

main()
