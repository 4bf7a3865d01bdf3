# Sparse PyTorch reference of the paired dictionary step (2 agents × d → m, BatchTopK k, Adam),
# with the CPU tricks of EleutherAI's sparsify: the encoder forward is dense (MKL), the
# BatchTopK threshold comes from per-row candidates (each row's top 4k), the decoder is an
# embedding_bag over the active latents, and the encoder gradient is a sparse matmul over the
# active (row, latent) pairs only. Same data file, arguments, initialisation and output line
# as torch_ref.py (the dense reference). Prints one JSON line.
import json, sys, time
import numpy as np
import torch
import torch.nn.functional as F

def main():
    a = json.loads(sys.argv[1])
    torch.set_num_threads(a['threads'])
    torch.manual_seed(0)
    d, m, k, B, n = a['d'], a['m'], a['k'], a['batch'], a['rows']
    raw = np.fromfile(a['data'], dtype=np.float32).reshape(2, n, d)
    X = [torch.from_numpy(raw[i].copy()) for i in range(2)]
    # Same initialisation as torch_ref.py: unit-norm decoder rows, encoder = decoderᵀ / agents,
    # kept as [m, d] (latent-major) so a latent's encoder gradient is one row.
    dec0 = [torch.randn(m, d) for _ in range(2)]
    dec0 = [w / w.norm(dim=1, keepdim=True) for w in dec0]
    Wdec = [torch.nn.Parameter(w.clone()) for w in dec0]
    WencT = [torch.nn.Parameter(w.clone() / 2) for w in dec0]
    benc = torch.nn.Parameter(torch.zeros(m))
    bdec = [torch.nn.Parameter(torch.zeros(d)) for _ in range(2)]
    params = WencT + Wdec + [benc] + bdec
    opt = torch.optim.Adam(params, lr=a['lr'])
    c = min(m, 4 * k)
    rows = torch.arange(B).repeat_interleave(c)

    def encode(xs):
        with torch.no_grad():
            pre = torch.addmm(benc, xs[0], WencT[0].t())
            pre.addmm_(xs[1], WencT[1].t())
            vals, idx = pre.relu_().topk(c, dim=1, sorted=False)
            thr = vals.flatten().topk(k * xs[0].shape[0], sorted=False).values.min()
            keep = (vals >= thr) & (vals > 0)
        return vals * keep, idx, keep

    def step(idx_rows):
        xs = [X[i][idx_rows] for i in range(2)]
        vals, idx, keep = encode(xs)
        z = vals.requires_grad_(True)
        loss = 0
        for i in range(2):
            xh = F.embedding_bag(idx, Wdec[i], per_sample_weights=z, mode='sum') + bdec[i]
            loss = loss + ((xh - xs[i]) ** 2).sum(1).mean() / d
        opt.zero_grad(set_to_none=True)
        loss.backward()
        # Encoder gradient over the active pairs only: ∂Wᵀ_a = Sᵀ·x_a with S [B, m] sparse.
        dz = (z.grad * keep).flatten()
        nz = dz != 0
        S = torch.sparse_coo_tensor(torch.stack([idx.flatten()[nz], rows[nz]]), dz[nz], (m, B), check_invariants=False).coalesce()
        for i in range(2):
            WencT[i].grad = torch.sparse.mm(S, xs[i])
        benc.grad = torch.zeros(m).index_add_(0, idx.flatten()[nz], dz[nz])
        opt.step()
        return loss.item()

    g = torch.Generator().manual_seed(1)
    for _ in range(a['warmup']):
        step(torch.randint(0, n, (B,), generator=g))
    t0 = time.perf_counter(); steps = 0
    while time.perf_counter() - t0 < a['seconds']:
        step(torch.randint(0, n, (B,), generator=g)); steps += 1
    el = time.perf_counter() - t0
    with torch.no_grad():
        xs = [X[i][: min(n, 4096)] for i in range(2)]
        pre = xs[0] @ WencT[0].t() + xs[1] @ WencT[1].t() + benc
        act = torch.relu(pre); thr = torch.topk(act.flatten(), k * xs[0].shape[0], sorted=False).values.min()
        z = act * (act >= thr)
        fvu = [float(((z @ Wdec[i] + bdec[i] - xs[i]) ** 2).sum() / ((xs[i] - xs[i].mean(0)) ** 2).sum()) for i in range(2)]
    print(json.dumps({'pairsPerSec': steps * B / el, 'steps': steps, 'seconds': el, 'fvu': fvu, 'peakGflops': None, 'torch': torch.__version__, 'threads': torch.get_num_threads()}))

main()
