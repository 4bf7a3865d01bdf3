"""Writes a run folder directly: run.json (replaced atomically) and agents/<id>.arrows (Arrow IPC streams)."""

from __future__ import annotations

import datetime
import json
import os
import socket
from typing import Any, Dict, List, Mapping, Optional

import pyarrow as pa

from .errors import RunExistsError
from .spec import FORMAT_ID, FORMAT_VERSION, agent_schema, check_id


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_json_atomic(path: str, obj: Any) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


class FileSink:
    def __init__(self, run_dir: str, agents: List[Dict[str, Any]], source: Mapping[str, Any]) -> None:
        self.path = os.path.abspath(run_dir)
        self.run_id = check_id(os.path.basename(self.path.rstrip(os.sep)), "the run folder's name (the run id)")
        self.manifest_file = os.path.join(self.path, "run.json")
        if os.path.exists(self.manifest_file):
            raise RunExistsError(f"a run exists already at {self.path} (run.json); choose another folder")
        os.makedirs(os.path.join(self.path, "agents"), exist_ok=True)
        created = now_iso()
        self.manifest: Dict[str, Any] = {
            "format": FORMAT_ID,
            "version": FORMAT_VERSION,
            "id": self.run_id,
            "createdAt": created,
            "updatedAt": created,
            "source": dict(source),
            "agents": agents,
            "status": "recording",
            "counts": {a["id"]: {"rows": 0, "batches": 0, "bytes": 0} for a in agents},
            "writer": {"pid": os.getpid(), "host": socket.gethostname()},
        }
        self.files = {}
        self.writers = {}
        for a in agents:
            f = open(os.path.join(self.path, "agents", f"{a['id']}.arrows"), "wb")
            self.files[a["id"]] = f
            self.writers[a["id"]] = pa.ipc.new_stream(f, agent_schema(a))
            f.flush()
        self._write_manifest()

    def _write_manifest(self) -> None:
        for aid, f in self.files.items():
            if not f.closed:
                f.flush()
            self.manifest["counts"][aid]["bytes"] = os.path.getsize(f.name)
        self.manifest["updatedAt"] = now_iso()
        write_json_atomic(self.manifest_file, self.manifest)

    def write(self, agent: str, batch: pa.RecordBatch) -> None:
        self.writers[agent].write_batch(batch)
        c = self.manifest["counts"][agent]
        c["rows"] += batch.num_rows
        c["batches"] += 1

    def flush(self) -> None:
        self._write_manifest()

    def close(self, status: str, reason: Optional[str]) -> Dict[str, Any]:
        for aid, w in self.writers.items():
            w.close()  # writes the end-of-stream marker
            self.files[aid].close()
        self.manifest["status"] = status
        self.manifest.pop("writer", None)
        if reason:
            self.manifest.setdefault("notes", []).append(reason)
        self._write_manifest()
        return {"path": self.path}
