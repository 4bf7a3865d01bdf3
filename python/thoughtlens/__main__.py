"""``python -m thoughtlens record --model NAME --out RUN``: two copies of a causal LM (or two
models) take turns writing one token each; the hidden state of the last token at the hooked
layer, the token (action) and its text are recorded per turn. Missing torch/transformers or
a model that cannot be loaded: a message on stderr and exit status 2, nothing recorded."""

from __future__ import annotations

import argparse
import json
import sys

from .errors import ThoughtlensError


def record(args: argparse.Namespace) -> dict:
    from ._deps import require
    from .hooks import HiddenStates, hidden_size, load_causal_lm
    from .recorder import Recorder

    torch = require("torch", "python -m thoughtlens record")
    names = [args.model, args.model_b or args.model]
    loaded = [load_causal_lm(n) for n in names]  # before anything is written
    agents = {
        aid: {"hiddenSize": hidden_size(m), "model": n, "layer": f"block {args.layer}"}
        for aid, n, (m, _) in zip(("A", "B"), names, loaded)
    }
    hooks = [HiddenStates(m, layers=[args.layer]) for m, _ in loaded]
    text = args.prompt
    with Recorder(args.out, agents, {"action": "int32", "token": "utf8"}, url=args.url, token=args.token,
                  source={"kind": "external", "params": {"recorder": "python -m thoughtlens record", "models": names, "layer": args.layer}}) as rec:
        with torch.no_grad():
            for t in range(args.turns):
                for aid, (model, tok), hs in zip(("A", "B"), loaded, hooks):
                    enc = tok(text, return_tensors="pt")
                    ids = enc["input_ids"][:, -args.context:]
                    logits = model(input_ids=ids).logits
                    token_id = int(logits[0, -1].argmax())
                    piece = tok.decode([token_id])
                    text += piece
                    rec.append(aid, t // args.episode_len, t % args.episode_len, hs.last(), action=token_id, token=piece)
    for hs in hooks:
        hs.remove()
    return {"run": rec.run, "rows": rec.rows(), "status": rec.status}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m thoughtlens", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("record", help="record two causal LMs taking turns")
    r.add_argument("--model", required=True, help="model id in the Hugging Face cache, or a local folder")
    r.add_argument("--model-b", default=None, help="agent B's model (default: the same as A)")
    r.add_argument("--layer", type=int, default=-1, help="decoder block whose output is recorded (default: the last)")
    r.add_argument("--out", required=True, help="run folder to create (with --url: the run id on the workbench)")
    r.add_argument("--url", default=None, help="stream to a running workbench instead of writing files")
    r.add_argument("--token", default=None)
    r.add_argument("--turns", type=int, default=100)
    r.add_argument("--episode-len", type=int, default=50)
    r.add_argument("--context", type=int, default=256, help="tokens of the conversation each model sees")
    r.add_argument("--prompt", default="Two agents take turns. A:")
    args = p.parse_args(argv)
    try:
        print(json.dumps(record(args)))
    except ThoughtlensError as err:
        print(f"thoughtlens: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
