"""Recording overhead of thoughtlens.hooks + Recorder on a GPT-2-sized causal LM (CPU).

    PYTHONPATH=python python3 bench/python/record_overhead.py [--layers 6] [--width 768] [--context 64] [--steps 40]

Builds the model from a config (random weights, no download; distilgpt2's shape by
default), then times the same greedy decoding step — one forward pass over the last
`context` tokens — three ways, interleaved (median step time): plain; with a forward hook on one block that keeps the last
token's state as numpy (`HiddenStates.last()`); and hooks plus `Recorder.append` into a run
folder (two agents, outside the repository). Then times what recording adds per step
directly (hook callback, .last(), Recorder.append), which the machine's load hardly blurs.
Prints steps/s for each variant, the overheads and the added microseconds, as JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import tempfile
import statistics
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

from thoughtlens import Recorder
from thoughtlens.hooks import HiddenStates


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--layers", type=int, default=6)
    p.add_argument("--width", type=int, default=768)
    p.add_argument("--context", type=int, default=32)
    p.add_argument("--steps", type=int, default=25, help="rounds (one step of each variant per round)")
    p.add_argument("--vocab", type=int, default=8192)
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(n_layer=args.layers, n_embd=args.width, n_head=12, vocab_size=args.vocab, n_positions=1024)).eval()
    ids = torch.randint(0, args.vocab, (1, args.context))
    out_dir = tempfile.mkdtemp(prefix="tl-overhead-")

    def step():
        return model(input_ids=ids, logits_to_keep=1).logits[0, -1].argmax()

    # The variants run interleaved, one step each per round, and each is summarised by its
    # median step time: a machine whose load drifts during the run slows all three alike.
    times = {"plain": [], "hooks": [], "hooks+recorder": []}
    hs = HiddenStates(model, layers=[args.layers // 2])
    hs.remove()  # registered again for the hooked variants only
    with torch.no_grad(), Recorder(os.path.join(out_dir, "overhead"), agents={"A": args.width, "B": args.width}, columns={"action": "int32"}) as rec:
        def plain(t: int) -> None:
            step()

        def hooked(t: int) -> None:
            step()
            hs.last()

        def recorded(t: int) -> None:
            a = int(step())
            rec.append("A" if t % 2 == 0 else "B", 0, t // 2, hs.last(), action=a)

        variants = {"plain": (plain, False), "hooks": (hooked, True), "hooks+recorder": (recorded, True)}
        keys = itertools.count()
        for r in range(-2, args.steps):  # two warm-up rounds
            for name, (fn, with_hooks) in variants.items():
                if with_hooks:
                    hs.attach()
                t0 = time.perf_counter()
                fn(next(keys))
                dt = time.perf_counter() - t0
                hs.remove()
                if r >= 0:
                    times[name].append(dt)
    res = {k: 1 / statistics.median(v) for k, v in times.items()}

    # What recording adds per step, timed directly (robust to the machine's load): the hook
    # callback on a block output, .last() to numpy, and Recorder.append.
    n = 2000
    out = (torch.randn(1, args.context, args.width),)
    hook = hs._hook(hs.names[0])
    added = {}
    t0 = time.perf_counter()
    for _ in range(n):
        hook(None, None, out)
    added["hook_callback"] = (time.perf_counter() - t0) / n
    t0 = time.perf_counter()
    for _ in range(n):
        h = hs.last()
    added["last_to_numpy"] = (time.perf_counter() - t0) / n
    with Recorder(os.path.join(out_dir, "append"), agents={"A": args.width}, columns={"action": "int32"}) as rec2:
        t0 = time.perf_counter()
        for t in range(n):
            rec2.append("A", 0, t, h, action=t)
        added["append"] = (time.perf_counter() - t0) / n
    shutil.rmtree(out_dir, ignore_errors=True)
    print(json.dumps({
        "model": f"GPT-2 config, {args.layers} layers x {args.width}, vocab {args.vocab}, context {args.context}, batch 1, torch {torch.__version__}, {torch.get_num_threads()} threads",
        "steps_per_s": {k: round(v, 2) for k, v in res.items()},
        "overhead_pct": {k: round(100 * (res["plain"] / v - 1), 2) for k, v in res.items() if k != "plain"},
        "added_us_per_step": {k: round(v * 1e6, 1) for k, v in added.items()},
        "added_pct_of_plain_step": round(100 * sum(added.values()) * res["plain"], 3),
    }, indent=1))


if __name__ == "__main__":
    main()
