"""Transformer agents that play the iterated prisoner's dilemma in text, recorded by thoughtlens.

    # train two small GPT-2s (built from a GPT2Config, no download) on teacher transcripts
    python transformer_agents.py train --out agents/lm-a --seed 1 --layers 3 --d-model 96
    python transformer_agents.py train --out agents/lm-b --seed 2 --layers 2 --d-model 64
    # make them play each other and every pool style; record their residual streams
    python transformer_agents.py play --agents agents/lm-a agents/lm-b --out runs/lm-ipd

``train``: deals co-player styles from the pool (training styles only, by weight; the Python
reimplementation in ipd_pool.py of docs/POOL.md), plays every strategy of teachers.py
against each episode's co-player with the same random numbers, keeps the transcript of the
one that earned most (reward-filtered imitation of a best response) and trains a causal LM
on windows of it (``--window`` rounds of history plus the query), with the loss on the
agent's own moves only. Seeded, one thread, deterministic: the same flags give the same
weights. Writes the model and tokenizer (``save_pretrained``) and ``train.json``.

``play``: episodes of A against B and of A and B each against every pool style (the two
play separate matches against copies of the style with the same random numbers), all
episodes in lockstep. Each round each agent reads its prompt, the forward hook on block
``--layer`` keeps the residual stream at the prompt's last token, and the move is drawn
from the model's P(C) vs P(D) (``--temperature 0``: the likelier move). The run holds
per agent: action (0 = C, 1 = D), reward, co_player_action, co_player, p_cooperate,
text, and the events of ``thoughtlens record ipd``: defect_after_coop (a defection after
>= 5 rounds of mutual cooperation) and exploited (cooperating against a defection for
the 2nd round in a row or more). Prints, and writes to ``--summary``, each agent's payoff
per round by co-player next to the plain tit-for-tat baseline on the same random numbers.

Needs torch and transformers (and thoughtlens: ``pip install ./python``); without them it
stops with exit status 2 and a message. It never records substitute states.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Dict, List

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the sibling modules, when run from anywhere

from ipd_pool import PAYOFF, PoolError, StylePlayer, deal, load_pool, training_styles  # noqa: E402
from ipd_text import MAX_ROUNDS, MOVE_IDS, TOKENS_PER_ROUND, VOCAB, episode_ids, make_tokenizer, prompt_ids, round_text  # noqa: E402
from teachers import BASELINE, best_transcript, play_strategy  # noqa: E402

PROG = "transformer_agents.py"


class UsageError(Exception):
    pass


def _thoughtlens():
    try:
        import thoughtlens
    except ImportError as err:
        raise UsageError(f"the thoughtlens recorder package cannot be imported ({err}); install it: pip install ./python (from the repository root)") from err
    return thoughtlens


def _torch(why: str):
    from thoughtlens._deps import require

    torch = require("torch", why)
    require("transformers", why)
    require("tokenizers", why)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    import transformers

    transformers.utils.logging.disable_progress_bar()
    return torch


# ---------------------------------------------------------------- train


def teacher_data(seed: int, episodes: int, rounds: int, pool_file) -> Dict[str, object]:
    rng = np.random.default_rng(seed)
    styles = deal(training_styles(load_pool(pool_file)), episodes, rng)
    seeds = rng.integers(0, 2**31 - 1, size=episodes)
    ids = np.empty((episodes, rounds * TOKENS_PER_ROUND), dtype=np.int64)
    chosen: Dict[str, int] = {}
    payoff = 0.0
    for e, (style, s) in enumerate(zip(styles, seeds)):
        name, mine, theirs, total = best_transcript(style, int(s), rounds)
        ids[e] = episode_ids(mine, theirs)
        chosen[name] = chosen.get(name, 0) + 1
        payoff += total
    return {"ids": ids, "chosen": chosen, "payoff_per_round": payoff / (episodes * rounds)}


def windows(ids, batch: int, rounds: int, window: int, gen, torch):
    """A batch of transcript windows of ``window + 1`` rounds and labels on the own moves only."""
    n = ids.shape[0]
    ep = torch.randint(0, n, (batch,), generator=gen)
    start = torch.randint(0, rounds - window, (batch,), generator=gen)  # 0-based first round
    span = (window + 1) * TOKENS_PER_ROUND
    offs = start[:, None] * TOKENS_PER_ROUND + torch.arange(span)[None, :]
    x = ids[ep[:, None], offs]
    labels = torch.full_like(x, -100)
    pos = torch.arange(window + 1) * TOKENS_PER_ROUND + 5
    labels[:, pos] = x[:, pos]
    return x, labels


def train(args) -> dict:
    torch = _torch(f"{PROG} train")
    from transformers import GPT2Config, GPT2LMHeadModel

    if args.rounds > MAX_ROUNDS:
        raise UsageError(f"--rounds {args.rounds}: the tokenizer knows rounds 1..{MAX_ROUNDS}")
    if args.window + 1 > args.rounds:
        raise UsageError(f"--window {args.window} needs episodes of more than {args.window} rounds (--rounds {args.rounds})")
    t0 = time.time()
    data = teacher_data(args.seed, args.episodes, args.rounds, args.pool)
    ids = torch.from_numpy(data["ids"])
    torch.manual_seed(args.seed)
    cfg = GPT2Config(
        vocab_size=len(VOCAB), n_positions=(args.window + 1) * TOKENS_PER_ROUND, n_embd=args.d_model, n_layer=args.layers,
        n_head=args.heads, embd_pdrop=0.0, resid_pdrop=0.0, attn_pdrop=0.0, bos_token_id=0, eos_token_id=0, pad_token_id=0,
    )
    model = GPT2LMHeadModel(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 50) * max(0.05, 1 - s / args.steps))
    gen = torch.Generator().manual_seed(args.seed)
    losses: List[float] = []
    model.train()
    for step in range(args.steps):
        x, labels = windows(ids, args.batch, args.rounds, args.window, gen, torch)
        loss = model(input_ids=x, labels=labels).loss
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(float(loss.detach()))
        if args.log_every and (step + 1) % args.log_every == 0:
            print(f"step {step + 1}/{args.steps} loss {np.mean(losses[-args.log_every:]):.4f}", file=sys.stderr, flush=True)
    model.eval()
    # Accuracy of the likelier move against the teacher's, on fresh teacher episodes.
    held = torch.from_numpy(teacher_data(args.seed + 10_000, 64, args.rounds, args.pool)["ids"])
    with torch.no_grad():
        x, labels = windows(held, 512, args.rounds, args.window, torch.Generator().manual_seed(1), torch)
        logits = model(input_ids=x).logits[:, :-1]
        mask = labels[:, 1:] != -100
        pred = logits[..., list(MOVE_IDS)].argmax(-1)
        target = (labels[:, 1:] == MOVE_IDS[1]).long()
        acc = float((pred[mask] == target[mask]).float().mean())
    out = Path(args.out)
    model.save_pretrained(out)
    make_tokenizer().save_pretrained(out)
    digest = hashlib.sha256(b"".join(p.detach().numpy().tobytes() for p in model.parameters())).hexdigest()[:16]
    info = {
        "out": str(out), "seed": args.seed, "layers": args.layers, "d_model": args.d_model, "heads": args.heads,
        "window": args.window, "rounds": args.rounds, "episodes": args.episodes, "steps": args.steps, "batch": args.batch,
        "lr": args.lr, "teacher": data["chosen"], "teacher_payoff_per_round": round(data["payoff_per_round"], 4),
        "first_loss": round(losses[0], 4), "final_loss": round(float(np.mean(losses[-20:])), 4),
        "heldout_move_accuracy": round(acc, 4), "weights_sha256": digest, "seconds": round(time.time() - t0, 1),
    }
    (out / "train.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


# ---------------------------------------------------------------- play


class LmAgent:
    def __init__(self, folder: str, layer: int, torch) -> None:
        from transformers import AutoModelForCausalLM
        from thoughtlens.hooks import HiddenStates, load_causal_lm

        self.torch = torch
        self.folder = folder
        try:
            self.model = AutoModelForCausalLM.from_pretrained(folder).eval()
        except (OSError, ValueError):
            self.model, _ = load_causal_lm(folder)  # raises MissingDependencyError naming the folder
        info_file = Path(folder) / "train.json"
        self.info = json.loads(info_file.read_text()) if info_file.exists() else {}
        self.window = int(self.info.get("window", (self.model.config.n_positions // TOKENS_PER_ROUND) - 1))
        self.hooks = HiddenStates(self.model, layers=[layer])
        self.layer_name = self.hooks.names[0]
        self.d = self.model.config.n_embd

    def step(self, prompts: List[List[int]]):
        """(P(C) per prompt, hidden states (rows, d)) for prompts of equal length."""
        torch = self.torch
        with torch.no_grad():
            logits = self.model(input_ids=torch.tensor(prompts)).logits[:, -1, list(MOVE_IDS)]
            hidden = self.hooks.tensor().float().numpy().copy()
        return torch.softmax(logits.double(), -1)[:, 0].numpy(), hidden


class Events:
    """defect_after_coop and exploited, as ``thoughtlens record ipd`` computes them (k = 5, m = 2)."""

    def __init__(self, n: int, k: int = 5, m: int = 2) -> None:
        self.mutual = np.zeros(n, dtype=int)
        self.suckered = np.zeros(n, dtype=int)
        self.k, self.m = k, m

    def push(self, own: np.ndarray, other: np.ndarray):
        dac = (own == 1) & (self.mutual >= self.k)
        self.mutual = np.where((own == 0) & (other == 0), self.mutual + 1, 0)
        self.suckered = np.where((own == 0) & (other == 1), self.suckered + 1, 0)
        return dac, self.suckered >= self.m


def play(args) -> dict:
    torch = _torch(f"{PROG} play")
    tl = _thoughtlens()
    if len(args.agents) != 2:
        raise UsageError("--agents takes two trained model folders (A and B)")
    if args.rounds > MAX_ROUNDS:
        raise UsageError(f"--rounds {args.rounds}: the tokenizer knows rounds 1..{MAX_ROUNDS}")
    pool = load_pool(args.pool)
    agents = [LmAgent(f, args.layer, torch) for f in args.agents]
    window = min(a.window for a in agents)
    # Episode plan: per block, --self-play episodes of A vs B, then one of each pool style.
    plan: List[str] = []
    for _ in range(args.blocks):
        plan += ["self"] * args.self_play + [s["name"] for s in pool]
    styles = {s["name"]: s for s in pool}
    n, R = len(plan), args.rounds
    rng = np.random.default_rng(args.seed)
    style_seeds = rng.integers(0, 2**31 - 1, size=n)
    move_rng = np.random.default_rng(args.seed + 1)
    co = {e: [StylePlayer(styles[c], np.random.default_rng(int(style_seeds[e]))) for _ in range(2)] for e, c in enumerate(plan) if c != "self"}
    mine = [[[] for _ in range(n)] for _ in range(2)]  # per agent, per episode: own moves
    theirs = [[[] for _ in range(n)] for _ in range(2)]
    events = [Events(n), Events(n)]
    ids = ("A", "B")
    columns = [
        {"name": "action", "type": "int32", "role": "action", "description": "move: 0 = cooperate, 1 = defect"},
        {"name": "reward", "type": "float32", "role": "reward", "description": "payoff of the round"},
        {"name": "co_player_action", "type": "int32", "role": "other", "description": "the co-player's move this round"},
        {"name": "co_player", "type": "utf8", "role": "text", "description": "co-player: the other agent's id or a pool style"},
        {"name": "p_cooperate", "type": "float32", "role": "other", "description": "the model's P(C) / (P(C) + P(D)) at the move"},
        {"name": "text", "type": "utf8", "role": "text", "description": "the round as the agent's transcript reads it"},
        {"name": "defect_after_coop", "type": "bool", "role": "event", "description": "defects after >= 5 rounds of mutual cooperation"},
        {"name": "exploited", "type": "bool", "role": "event", "description": "cooperates while the co-player defects, for the 2nd consecutive round or more"},
    ]
    spec = {
        aid: {"hiddenSize": a.d, "model": f"gpt2 {a.model.config.n_layer}x{a.d} ({Path(a.folder).name}, seed {a.info.get('seed')})",
              "layer": a.layer_name, "columns": columns}
        for aid, a in zip(ids, agents)
    }
    source = {"kind": "external", "params": {"recorder": f"examples/transformer-agents/{PROG} play", "agents": args.agents,
              "layer": args.layer, "rounds": R, "blocks": args.blocks, "selfPlay": args.self_play, "temperature": args.temperature,
              "seed": args.seed, "window": window}}
    t0 = time.time()
    rewards = np.zeros((2, n))
    with tl.Recorder(args.out, spec, source=source) as rec:
        for t in range(1, R + 1):
            prompts = [[prompt_ids(mine[i][e], theirs[i][e], t, window) for e in range(n)] for i in range(2)]
            pc, hidden = zip(*(a.step(p) for a, p in zip(agents, prompts)))
            moves = []
            for i in range(2):
                if args.temperature == 0:
                    m = (pc[i] < 0.5).astype(int)
                else:
                    lc, ld = np.log(np.maximum(pc[i], 1e-12)), np.log(np.maximum(1 - pc[i], 1e-12))
                    p = 1 / (1 + np.exp((ld - lc) / args.temperature))
                    m = (move_rng.uniform(size=n) >= p).astype(int)
                moves.append(m)
            other = [np.empty(n, dtype=int), np.empty(n, dtype=int)]
            for e, c in enumerate(plan):
                if c == "self":
                    other[0][e], other[1][e] = moves[1][e], moves[0][e]
                else:
                    for i in range(2):
                        b = co[e][i].move()
                        co[e][i].observe(b, int(moves[i][e]))
                        other[i][e] = b
            for i, aid in enumerate(ids):
                r = np.array([PAYOFF[(int(a), int(b))] for a, b in zip(moves[i], other[i])])
                rewards[i] += r
                dac, exp = events[i].push(moves[i], other[i])
                for e in range(n):
                    mine[i][e].append(int(moves[i][e]))
                    theirs[i][e].append(int(other[i][e]))
                rec.append(
                    aid, episode=np.arange(n), step=np.full(n, t - 1), hidden=hidden[i],
                    action=moves[i].tolist(), reward=r.tolist(), co_player_action=other[i].tolist(),
                    co_player=[ids[1 - i] if c == "self" else c for c in plan], p_cooperate=pc[i].tolist(),
                    text=[round_text(t, int(a), int(b)) for a, b in zip(moves[i], other[i])],
                    defect_after_coop=dac.tolist(), exploited=exp.tolist(),
                )
    summary = {"run": rec.run, "path": str(rec.path), "rows": rec.rows(), "status": rec.status, "episodes": n, "rounds": R,
               "temperature": args.temperature, "seconds": round(time.time() - t0, 1), "payoff_per_round": payoff_table(plan, rewards, styles, style_seeds, R)}
    if args.summary:
        Path(args.summary).write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def payoff_table(plan, rewards, styles, style_seeds, R) -> dict:
    """Per co-player: A's and B's mean payoff per round, and plain tit-for-tat's on the same random numbers."""
    table: Dict[str, dict] = {}
    for c in dict.fromkeys(plan):
        eps = [e for e, x in enumerate(plan) if x == c]
        row = {"episodes": len(eps), "A": round(float(rewards[0, eps].mean() / R), 4), "B": round(float(rewards[1, eps].mean() / R), 4)}
        if c == "self":
            row["tit_for_tat"] = 1.0  # tit-for-tat against itself cooperates every round
        else:
            row["tit_for_tat"] = round(float(np.mean([play_strategy(BASELINE, styles[c], int(style_seeds[e]), R)[2] for e in eps]) / R), 4)
            row["teacher"] = round(float(np.mean([best_transcript(styles[c], int(style_seeds[e]), R)[3] for e in eps]) / R), 4)
            row["heldOut"] = styles[c]["heldOut"]
        table[c] = row
    return table


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train one agent on teacher transcripts")
    t.add_argument("--out", required=True, help="folder for the model, tokenizer and train.json")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--layers", type=int, default=3)
    t.add_argument("--d-model", type=int, default=96)
    t.add_argument("--heads", type=int, default=4)
    t.add_argument("--window", type=int, default=8, help="rounds of history in a prompt")
    t.add_argument("--rounds", type=int, default=100, help="rounds per teacher episode")
    t.add_argument("--episodes", type=int, default=2000, help="teacher episodes")
    t.add_argument("--steps", type=int, default=600)
    t.add_argument("--batch", type=int, default=32, help="windows per step")
    t.add_argument("--lr", type=float, default=3e-3)
    t.add_argument("--pool", default=None, help="pool file (default agents/pool/defaultPool.json)")
    t.add_argument("--log-every", type=int, default=50)
    g = sub.add_parser("play", help="play A vs B and both vs every pool style; record the residual streams")
    g.add_argument("--agents", nargs="+", required=True, help="two trained model folders: A and B")
    g.add_argument("--out", required=True, help="run folder to create")
    g.add_argument("--layer", type=int, default=-1, help="decoder block whose output is recorded (default: the last)")
    g.add_argument("--rounds", type=int, default=100)
    g.add_argument("--blocks", type=int, default=8, help="repetitions of the episode plan")
    g.add_argument("--self-play", type=int, default=8, help="A-vs-B episodes per block")
    g.add_argument("--temperature", type=float, default=1.0, help="0: the likelier move; 1: sample the model's P(C)")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--pool", default=None)
    g.add_argument("--summary", default=None, help="also write the summary JSON here")
    args = p.parse_args(argv)
    tl_errors = ()
    try:
        tl_errors = (_thoughtlens().ThoughtlensError,)
        result = train(args) if args.command == "train" else play(args)
    except (UsageError, PoolError, *tl_errors) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
