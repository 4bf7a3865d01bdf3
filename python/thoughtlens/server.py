"""Streams a run to a running workbench (``thoughtlens serve``; docs/RECORDING.md): the run is
created with POST /api/runs, each agent's steps go as one Arrow IPC stream in one long chunked
POST (a record batch per write), and POST …/finish closes it."""

from __future__ import annotations

import http.client
import json
import queue
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Mapping, Optional

import pyarrow as pa

from .errors import ServerError
from .spec import agent_schema, check_id

ARROW = "application/vnd.apache.arrow.stream"


def post_json(base_url: str, path: str, payload: Mapping[str, Any], token: Optional[str]) -> Dict[str, Any]:
    req = urllib.request.Request(base_url.rstrip("/") + path, data=json.dumps(payload).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req) as res:
            return json.loads(res.read() or b"{}")
    except urllib.error.HTTPError as err:
        raise ServerError(f"{path}: the workbench answered {err.code}: {_message(err.read())}") from err
    except urllib.error.URLError as err:
        raise ServerError(f"cannot reach the workbench at {base_url} ({err.reason}); is `thoughtlens serve` running?") from err


def _message(body: bytes) -> str:
    try:
        return json.loads(body)["error"]["message"]
    except Exception:
        return body.decode("utf-8", "replace")[:500]


class _Chunks:
    """File-like sink for pyarrow's stream writer: each write goes to a queue the HTTP body iterates."""

    def __init__(self) -> None:
        self.q: "queue.Queue[Optional[bytes]]" = queue.Queue()
        self.closed = False

    def write(self, data) -> int:
        b = bytes(data)
        if b:
            self.q.put(b)
        return len(b)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.q.put(None)

    def __iter__(self):
        while True:
            b = self.q.get()
            if b is None:
                return
            yield b


class _StepStream:
    def __init__(self, base_url: str, run_id: str, agent: Mapping[str, Any], token: Optional[str]) -> None:
        self.sink = _Chunks()
        self.writer = pa.ipc.new_stream(self.sink, agent_schema(agent))
        url = urllib.parse.urlparse(base_url)
        if url.scheme == "https":
            self.conn: http.client.HTTPConnection = http.client.HTTPSConnection(url.hostname, url.port or 443, timeout=600)
        else:
            self.conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=600)
        self.headers = {"Content-Type": ARROW, "Transfer-Encoding": "chunked"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.path = f"{url.path.rstrip('/')}/api/runs/{run_id}/agents/{agent['id']}/steps"
        self.result: Dict[str, Any] = {}
        self.error: Optional[BaseException] = None
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def _send(self) -> None:
        try:
            self.conn.request("POST", self.path, body=iter(self.sink), headers=self.headers, encode_chunked=True)
            res = self.conn.getresponse()
            body = res.read()
            if res.status >= 400:
                raise ServerError(f"the workbench refused the steps ({res.status}): {_message(body)}")
            self.result = json.loads(body or b"{}")
        except BaseException as err:  # reported by close()
            self.error = err
            for _ in iter(self.sink):  # drain, so writers never block
                pass

    def write(self, batch: pa.RecordBatch) -> None:
        if self.error is not None:
            raise self._wrapped()
        self.writer.write_batch(batch)

    def close(self) -> Dict[str, Any]:
        try:
            self.writer.close()
        finally:
            self.sink.close()
            self.thread.join()
        if self.error is not None:
            raise self._wrapped()
        return self.result

    def _wrapped(self) -> ServerError:
        err = self.error
        return err if isinstance(err, ServerError) else ServerError(f"streaming steps to {self.path} failed: {err!r}")


class ServerSink:
    def __init__(self, url: str, run_id: str, agents: List[Dict[str, Any]], source: Mapping[str, Any], token: Optional[str]) -> None:
        self.url = url.rstrip("/")
        self.token = token
        check_id(run_id, "the run id")
        created = post_json(self.url, "/api/runs", {"id": run_id, "agents": agents, "source": dict(source)}, token)
        self.run_id = created.get("id", run_id)
        self.streams = {a["id"]: _StepStream(self.url, self.run_id, a, token) for a in agents}

    def write(self, agent: str, batch: pa.RecordBatch) -> None:
        self.streams[agent].write(batch)

    def flush(self) -> None:
        pass  # each batch is on the wire as soon as it is written

    def close(self, status: str, reason: Optional[str]) -> Dict[str, Any]:
        stored: Dict[str, Any] = {}
        errors = []
        for aid, s in self.streams.items():
            try:
                stored[aid] = s.close()
            except ServerError as err:
                errors.append(err)
        if errors and status == "complete":
            status, reason = "aborted", str(errors[0])
        payload: Dict[str, Any] = {"status": status}
        if reason:
            payload["reason"] = reason
        finish = post_json(self.url, f"/api/runs/{self.run_id}/finish", payload, self.token)
        if errors:
            raise errors[0]
        return {"stored": stored, "finish": finish.get("status", status)}
