"""Stream the hidden states of your own model into a running thoughtlens workbench.

Two "agents" (here: two Hugging Face causal LMs, or one model playing both roles) take
turns in a conversation. A PyTorch forward hook on one layer of each captures the hidden
state of the last token at every turn; the states, the agents' actions (the token they
chose) and an event flag stream over HTTP as an Arrow IPC stream, one chunked POST per
agent, while the conversation runs. Open the workbench to watch the run grow.

    thoughtlens serve                     # in another terminal
    pip install pyarrow torch transformers
    python record_hf.py --model distilgpt2 --layer 3 --turns 200

Without torch or transformers, or when the model cannot be loaded, it stops with a message
and exit status 2: it never records substitute states. `--fake` streams random states
(the manifest says model "fake") to try the pipe end to end with pyarrow only.
The installable package (`pip install ./python`, docs/RECORDING.md) does the same with a
`Recorder` and `thoughtlens.hooks`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import sys
import threading
import time
import urllib.parse
import urllib.request

import pyarrow as pa

ARROW = "application/vnd.apache.arrow.stream"


def agent_schema(hidden_size: int) -> pa.Schema:
    """episode, step, hidden (FixedSizeList<float32>[d]) and the behaviour columns."""
    return pa.schema(
        [
            pa.field("episode", pa.int32(), nullable=False),
            pa.field("step", pa.int32(), nullable=False),
            pa.field("hidden", pa.list_(pa.field("item", pa.float32(), nullable=False), hidden_size), nullable=False),
            pa.field("action", pa.int32()),
            pa.field("reward", pa.float32()),
            pa.field("repeated", pa.bool_()),
        ]
    )


def agent_spec(agent_id: str, hidden_size: int, model: str, layer: str) -> dict:
    return {
        "id": agent_id,
        "hiddenSize": hidden_size,
        "model": model,
        "layer": layer,
        "columns": [
            {"name": "action", "type": "int32", "role": "action"},
            {"name": "reward", "type": "float32", "role": "reward"},
            {"name": "repeated", "type": "bool", "role": "event"},
        ],
    }


class _Chunks:
    """A file-like sink for pyarrow's stream writer that hands each write to a queue."""

    def __init__(self) -> None:
        self.q: "queue.Queue[bytes | None]" = queue.Queue()
        self.closed = False

    def write(self, data) -> int:
        b = bytes(data)
        if b:
            self.q.put(b)
        return len(b)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True
        self.q.put(None)

    def __iter__(self):
        while True:
            b = self.q.get()
            if b is None:
                return
            yield b


class StepStream:
    """One long chunked POST of an agent's steps: every write() is one record batch."""

    def __init__(self, base_url: str, run_id: str, agent_id: str, hidden_size: int, token: str | None) -> None:
        self.schema = agent_schema(hidden_size)
        self.sink = _Chunks()
        self.writer = pa.ipc.new_stream(self.sink, self.schema)
        url = urllib.parse.urlparse(base_url)
        self.conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=600)
        headers = {"Content-Type": ARROW, "Transfer-Encoding": "chunked"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        path = f"/api/runs/{run_id}/agents/{agent_id}/steps"
        self.result: dict = {}
        self.thread = threading.Thread(target=self._send, args=(path, headers), daemon=True)
        self.thread.start()

    def _send(self, path: str, headers: dict) -> None:
        self.conn.request("POST", path, body=iter(self.sink), headers=headers, encode_chunked=True)
        res = self.conn.getresponse()
        body = json.loads(res.read() or b"{}")
        if res.status >= 400:
            raise RuntimeError(f"workbench refused the steps ({res.status}): {body.get('error', {}).get('message')}")
        self.result = body

    def write(self, episode: int, step: int, hidden, action: int, reward: float, repeated: bool) -> None:
        batch = pa.record_batch(
            [
                pa.array([episode], pa.int32()),
                pa.array([step], pa.int32()),
                pa.FixedSizeListArray.from_arrays(pa.array(hidden, pa.float32()), len(hidden)),
                pa.array([action], pa.int32()),
                pa.array([reward], pa.float32()),
                pa.array([repeated], pa.bool_()),
            ],
            schema=self.schema,
        )
        self.writer.write_batch(batch)

    def close(self) -> dict:
        self.writer.close()
        self.sink.close()
        self.thread.join()
        return self.result


def _post_json(base_url: str, path: str, payload: dict, token: str | None) -> dict:
    req = urllib.request.Request(base_url + path, data=json.dumps(payload).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as res:
        return json.loads(res.read())


def create_run(base_url: str, run_id: str, agents: list[dict], token: str | None) -> str:
    return _post_json(base_url, "/api/runs", {"id": run_id, "agents": agents, "source": {"kind": "external", "params": {"recorder": "record_hf.py"}}}, token)["id"]


def finish_run(base_url: str, run_id: str, token: str | None) -> dict:
    return _post_json(base_url, f"/api/runs/{run_id}/finish", {"status": "complete"}, token)


class HiddenStateHook:
    """A forward hook that keeps the last token's hidden state of one module's output."""

    def __init__(self, module) -> None:
        self.last = None
        self.handle = module.register_forward_hook(self._hook)

    def _hook(self, _module, _inputs, output) -> None:
        h = output[0] if isinstance(output, tuple) else output
        self.last = h[0, -1].detach().float().cpu().numpy()

    def remove(self) -> None:
        self.handle.remove()


def run_hf(args) -> None:
    import torch  # noqa: F401  (imported here so --fake needs no torch)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(args.model)
        models = [AutoModelForCausalLM.from_pretrained(args.model).eval() for _ in range(2)]
    except (OSError, ValueError) as err:
        fail(f"the model '{args.model}' cannot be loaded ({str(err).splitlines()[0]}); give a local folder or a model id in the Hugging Face cache")
    blocks = [m.transformer.h if hasattr(m, "transformer") else m.model.layers for m in models]
    hooks = [HiddenStateHook(b[args.layer]) for b in blocks]
    d = models[0].config.hidden_size
    ids = ["A", "B"]
    run_id = create_run(args.url, args.run, [agent_spec(a, d, args.model, f"layer {args.layer}") for a in ids], args.token)
    streams = [StepStream(args.url, run_id, a, d, args.token) for a in ids]
    text = args.prompt
    last = [None, None]
    with torch.no_grad():
        for t in range(args.turns):
            for a in range(2):
                enc = tok(text[-2000:], return_tensors="pt")
                out = models[a](**enc)
                token_id = int(out.logits[0, -1].argmax())
                text += tok.decode([token_id])
                streams[a].write(t // args.episode_len, t % args.episode_len, hooks[a].last, token_id, 0.0, token_id == last[a])
                last[a] = token_id
    for h in hooks:
        h.remove()
    print([s.close() for s in streams], finish_run(args.url, run_id, args.token))


def run_fake(args) -> None:
    import random

    rnd = random.Random(0)
    d = args.hidden
    ids = ["A", "B"]
    run_id = create_run(args.url, args.run, [agent_spec(a, d, "fake", "none") for a in ids], args.token)
    streams = [StepStream(args.url, run_id, a, d, args.token) for a in ids]
    state = [[0.0] * d, [0.0] * d]
    for t in range(args.turns):
        for a in range(2):
            state[a] = [0.9 * x + 0.1 * rnd.gauss(0, 1) for x in state[a]]
            act = int(state[a][0] > 0)
            streams[a].write(t // args.episode_len, t % args.episode_len, state[a], act, float(act), False)
        if args.delay:
            time.sleep(args.delay)
    results = [s.close() for s in streams]
    print(json.dumps({"run": run_id, "rows": [r.get("rows") for r in results], "finish": finish_run(args.url, run_id, args.token)["status"]}))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://127.0.0.1:4173")
    p.add_argument("--token", default=None)
    p.add_argument("--run", default=f"hf-{int(time.time())}")
    p.add_argument("--model", default="distilgpt2")
    p.add_argument("--layer", type=int, default=3)
    p.add_argument("--turns", type=int, default=200)
    p.add_argument("--episode-len", type=int, default=50)
    p.add_argument("--prompt", default="Two agents take turns. Agent A says:")
    p.add_argument("--fake", action="store_true", help="random hidden states, no torch needed")
    p.add_argument("--hidden", type=int, default=32, help="hidden size for --fake")
    p.add_argument("--delay", type=float, default=0.0, help="seconds between --fake steps")
    args = p.parse_args()
    if args.fake:
        run_fake(args)
        return
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as err:
        fail(f"recording --model {args.model} needs torch and transformers, which cannot be imported ({err}). "
             "Install them (pip install torch transformers), or pass --fake to stream random states on purpose.")
    run_hf(args)


def fail(message: str) -> None:
    """Stops with a message and exit status 2: nothing is recorded in place of the real states."""
    print(f"record_hf.py: error: {message}", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
