"""Agent and column specifications, and the Arrow schema of an agent stream (docs/FORMAT.md §2–3)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import pyarrow as pa

from .errors import FormatError

FORMAT_ID = "thoughtlens-run"
FORMAT_VERSION = 1
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
COLUMN_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
RESERVED = ("episode", "step", "hidden")
ARROW_TYPES = {
    "int32": pa.int32(),
    "float32": pa.float32(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "utf8": pa.utf8(),
}
ROLES = ("action", "reward", "event", "text", "other")
MAX_HIDDEN = 1_048_576

ColumnsSpec = Union[None, Mapping[str, Any], Sequence[Mapping[str, Any]]]


def default_role(name: str, type_: str) -> str:
    if name in ("action", "reward"):
        return name
    if type_ == "bool":
        return "event"
    if type_ == "utf8":
        return "text"
    return "other"


def normalise_columns(columns: ColumnsSpec, where: str) -> List[Dict[str, Any]]:
    """``{"action": "int32"}``, ``{"action": {"type": "int32", "role": "action"}}`` or the manifest's list form."""
    if columns is None:
        return []
    if isinstance(columns, Mapping):
        items = []
        for name, v in columns.items():
            items.append({"name": name, "type": v} if isinstance(v, str) else {"name": name, **dict(v)})
    else:
        items = [dict(c) for c in columns]
    out: List[Dict[str, Any]] = []
    seen = set()
    for i, c in enumerate(items):
        field = f"{where}.columns[{i}]"
        name = c.get("name")
        if not isinstance(name, str) or not COLUMN_PATTERN.match(name):
            raise FormatError(f"{field}.name must match {COLUMN_PATTERN.pattern}, got {name!r}")
        if name in RESERVED:
            raise FormatError(f"{field}.name must not be one of {', '.join(RESERVED)}, got {name!r}")
        if name in seen:
            raise FormatError(f"{field}.name duplicates {name!r}")
        seen.add(name)
        type_ = c.get("type")
        if type_ not in ARROW_TYPES:
            raise FormatError(f"{field}.type must be one of {', '.join(ARROW_TYPES)}, got {type_!r}")
        role = c.get("role", default_role(name, type_))
        if role not in ROLES:
            raise FormatError(f"{field}.role must be one of {', '.join(ROLES)}, got {role!r}")
        col = {"name": name, "type": type_, "role": role}
        if c.get("description") is not None:
            col["description"] = str(c["description"])
        out.append(col)
    return out


def normalise_agents(agents: Any, columns: ColumnsSpec = None) -> List[Dict[str, Any]]:
    """Agents as the manifest lists them.

    Accepts ``{"A": 768, "B": 768}`` (hidden sizes; ``columns`` shared by all), ``{"A": {"hiddenSize": 768,
    "model": …, "layer": …, "columns": …}}`` or a list of manifest entries ``[{"id": "A", "hiddenSize": 768, …}]``.
    """
    if isinstance(agents, Mapping):
        entries = []
        for aid, v in agents.items():
            entries.append({"id": aid, "hiddenSize": v} if isinstance(v, int) else {"id": aid, **dict(v)})
    elif isinstance(agents, Sequence) and not isinstance(agents, str):
        entries = [dict(a) for a in agents]
    else:
        raise FormatError(f"agents must be a mapping or a list of agent entries, got {type(agents).__name__}")
    if not entries:
        raise FormatError("agents must name at least one agent")
    out = []
    ids = set()
    for i, a in enumerate(entries):
        where = f"agents[{i}]"
        aid = a.get("id")
        if not isinstance(aid, str) or not ID_PATTERN.match(aid):
            raise FormatError(f"{where}.id must match {ID_PATTERN.pattern}, got {aid!r}")
        if aid in ids:
            raise FormatError(f"{where}.id duplicates {aid!r}")
        ids.add(aid)
        d = a.get("hiddenSize", a.get("hidden_size"))
        if isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= MAX_HIDDEN:
            raise FormatError(f"{where}.hiddenSize must be an integer in 1..{MAX_HIDDEN}, got {d!r}")
        entry: Dict[str, Any] = {"id": aid, "hiddenSize": d}
        for key in ("model", "layer", "checkpoint"):
            if a.get(key) is not None:
                entry[key] = str(a[key])
        entry["columns"] = normalise_columns(a["columns"] if "columns" in a else columns, where)
        out.append(entry)
    return out


def agent_schema(agent: Mapping[str, Any]) -> pa.Schema:
    """episode, step (int32), hidden (FixedSizeList<float32>[d]) and the behaviour columns, in that order."""
    fields = [
        pa.field("episode", pa.int32(), nullable=False),
        pa.field("step", pa.int32(), nullable=False),
        pa.field("hidden", pa.list_(pa.field("item", pa.float32(), nullable=False), agent["hiddenSize"]), nullable=False),
    ]
    fields += [pa.field(c["name"], ARROW_TYPES[c["type"]], nullable=True) for c in agent["columns"]]
    return pa.schema(fields, metadata={"thoughtlens.agent": agent["id"]})


def check_id(value: Optional[str], what: str) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise FormatError(f"{what} must match {ID_PATTERN.pattern} (it becomes a file name), got {value!r}")
    return value
