"""Recorder: rows per agent → record batches → a run folder or a running workbench.

    with Recorder("runs/my-run", agents={"A": 768, "B": 768}, columns={"action": "int32"}) as rec:
        rec.append("A", episode=0, step=t, hidden=h_a, action=a)

Rows are collected per agent and written as one Arrow record batch when about 4 MiB of
hidden state is pending (64 … 8192 rows), on ``flush()``, every ``flush_interval`` seconds
(checked on append) and on ``close()``. Leaving the ``with`` block by an exception marks
the run ``aborted`` with the exception as the reason; otherwise it is ``complete``.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Mapping, Optional

import numpy as np
import pyarrow as pa

from .errors import BadValueError, FormatError, ThoughtlensError
from .spec import ARROW_TYPES, ColumnsSpec, agent_schema, normalise_agents

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
_NUMPY = {"int32": np.int32, "float32": np.float32, "float64": np.float64, "bool": np.bool_}


def default_batch_rows(d: int) -> int:
    """About 4 MiB of hidden state per batch, 64 … 8192 rows (as the TypeScript writer)."""
    return int(min(8192, max(64, (4 << 20) // (4 * d))))


class _AgentBuffer:
    def __init__(self, agent: Mapping[str, Any], batch_rows: int) -> None:
        self.agent = agent
        self.schema = agent_schema(agent)
        self.d = agent["hiddenSize"]
        self.batch_rows = batch_rows
        self.columns = {c["name"]: c for c in agent["columns"]}
        self.keys: set = set()
        self.rows = 0  # rows appended (buffered or written)
        self._clear()

    def _clear(self) -> None:
        self.episode: List[np.ndarray] = []
        self.step: List[np.ndarray] = []
        self.hidden: List[np.ndarray] = []
        self.values: Dict[str, list] = {n: [] for n in self.columns}
        self.pending = 0

    def add(self, episode, step, hidden, values: Mapping[str, Any]) -> None:
        aid = self.agent["id"]
        h = np.asarray(hidden, dtype=np.float32)
        if h.ndim == 1:
            h = h.reshape(1, -1)
        if h.ndim != 2 or h.shape[1] != self.d:
            raise FormatError(f"agent '{aid}': hidden must have shape ({self.d},) or (rows, {self.d}), got {tuple(np.shape(hidden))}")
        n = h.shape[0]
        ep = self._keys(episode, n, "episode")
        st = self._keys(step, n, "step")
        bad = ~np.isfinite(h)
        if bad.any():
            r, i = np.argwhere(bad)[0]
            raise BadValueError(f"agent '{aid}': hidden state is {h[r, i]} at element {i} (episode {ep[r]}, step {st[r]}); hidden values must be finite")
        for name in values:
            if name not in self.columns:
                known = ", ".join(self.columns) or "none"
                raise FormatError(f"agent '{aid}': no column '{name}' was declared (declared: {known})")
        cols = {name: self._column(name, values.get(name), n) for name in self.columns}
        for r in range(n):
            key = (int(ep[r]), int(st[r]))
            if key in self.keys:
                raise BadValueError(f"agent '{aid}': (episode {key[0]}, step {key[1]}) was recorded already; each key appears at most once per agent")
            self.keys.add(key)
        self.episode.append(ep)
        self.step.append(st)
        self.hidden.append(h.copy())
        for name, v in cols.items():
            self.values[name].extend(v)
        self.pending += n
        self.rows += n

    def _keys(self, v, n: int, what: str) -> np.ndarray:
        a = np.asarray(v)
        if a.ndim == 0:
            a = np.full(n, a)
        if a.shape != (n,) or not (np.issubdtype(a.dtype, np.integer) or (a.size and np.all(np.mod(a, 1) == 0))):
            raise FormatError(f"agent '{self.agent['id']}': {what} must be an integer or {n} integers, got {v!r}")
        a = a.astype(np.int64)
        if a.size and (a.min() < INT32_MIN or a.max() > INT32_MAX):
            raise FormatError(f"agent '{self.agent['id']}': {what} must fit in int32")
        return a.astype(np.int32)

    def _column(self, name: str, v, n: int) -> list:
        if v is None:
            return [None] * n
        if isinstance(v, (str, bytes)) or np.ndim(v) == 0:
            return [v.item() if isinstance(v, np.generic) else v] * n
        lst = list(v)
        if len(lst) != n:
            raise FormatError(f"agent '{self.agent['id']}': column '{name}' has {len(lst)} values for {n} rows")
        return [x.item() if isinstance(x, np.generic) else x for x in lst]

    def take_batch(self) -> Optional[pa.RecordBatch]:
        if self.pending == 0:
            return None
        h = np.concatenate(self.hidden)
        arrays = [
            pa.array(np.concatenate(self.episode), pa.int32()),
            pa.array(np.concatenate(self.step), pa.int32()),
            pa.FixedSizeListArray.from_arrays(pa.array(h.ravel(), pa.float32()), self.d),
        ]
        for name, c in self.columns.items():
            try:
                arrays.append(pa.array(self.values[name], ARROW_TYPES[c["type"]]))
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError) as err:
                raise FormatError(f"agent '{self.agent['id']}': column '{name}' ({c['type']}): {err}") from err
        self._clear()
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)


class Recorder:
    """Records agents' steps into a run.

    ``run``: the run folder (written directly, docs/FORMAT.md), or with ``url`` the run id on a
    running workbench (``thoughtlens serve``) that the steps stream to over HTTP.
    ``agents``: ``{"A": 768, …}`` or manifest entries (see ``spec.normalise_agents``);
    ``columns``: behaviour columns shared by agents that do not list their own.
    """

    def __init__(
        self,
        run: str,
        agents: Any,
        columns: ColumnsSpec = None,
        *,
        source: Optional[Mapping[str, Any]] = None,
        url: Optional[str] = None,
        token: Optional[str] = None,
        batch_rows: Optional[int] = None,
        flush_interval: float = 1.0,
    ) -> None:
        self.agents = normalise_agents(agents, columns)
        self.source = dict(source) if source is not None else {"kind": "external", "params": {"recorder": "thoughtlens (python)"}}
        self._buffers = {a["id"]: _AgentBuffer(a, batch_rows or default_batch_rows(a["hiddenSize"])) for a in self.agents}
        self.flush_interval = flush_interval
        self._last_flush = time.monotonic()
        self.status: Optional[str] = None
        self._result: Dict[str, Any] = {}
        if url is None:
            from .files import FileSink

            self._sink = FileSink(run, self.agents, self.source)
        else:
            from .server import ServerSink

            self._sink = ServerSink(url, run, self.agents, self.source, token)
        self.run = self._sink.run_id
        self.path = getattr(self._sink, "path", None)

    def append(self, agent: str, episode, step, hidden, **columns: Any) -> None:
        """One row (``hidden`` of shape (d,)) or several (``(rows, d)`` with per-row keys and values)."""
        if self.status is not None:
            raise FormatError(f"run '{self.run}' is closed ({self.status})")
        buf = self._buffers.get(agent)
        if buf is None:
            raise FormatError(f"no agent '{agent}' in this run (agents: {', '.join(self._buffers)})")
        buf.add(episode, step, hidden, columns)
        if buf.pending >= buf.batch_rows:
            self._write(agent)
        if self.flush_interval is not None and time.monotonic() - self._last_flush >= self.flush_interval:
            self.flush()

    def _write(self, agent: str) -> None:
        batch = self._buffers[agent].take_batch()
        if batch is not None:
            self._sink.write(agent, batch)

    def flush(self) -> None:
        """Writes every pending row now (readers and the workbench see them)."""
        for aid in self._buffers:
            self._write(aid)
        self._sink.flush()
        self._last_flush = time.monotonic()

    def rows(self) -> Dict[str, int]:
        return {aid: b.rows for aid, b in self._buffers.items()}

    def close(self, status: str = "complete", reason: Optional[str] = None) -> Dict[str, Any]:
        """Writes what is pending and finishes the run as ``complete`` or ``aborted`` (with a reason)."""
        if status not in ("complete", "aborted"):
            raise FormatError(f"status must be 'complete' or 'aborted', got {status!r}")
        if self.status is not None:
            return self._result
        try:
            for aid in self._buffers:  # an aborted run keeps what it recorded, too
                try:
                    self._write(aid)
                except ThoughtlensError:
                    if status == "complete":
                        raise
        finally:
            self.status = status
            self._result = {"run": self.run, "status": status, "rows": self.rows()}
            self._result.update(self._sink.close(status, reason))
        return self._result

    def abort(self, reason: str) -> Dict[str, Any]:
        return self.close("aborted", reason)

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc is None:
            self.close()
        else:
            self.close("aborted", f"{exc_type.__name__}: {exc}")


