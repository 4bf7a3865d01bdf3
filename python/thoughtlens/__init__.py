"""thoughtlens: record paired agents' hidden states into thoughtlens runs.

``Recorder`` (numpy + pyarrow) writes a run folder or streams to a workbench;
``thoughtlens.hooks`` (needs torch) captures hidden states with forward hooks.
"""

from .errors import (
    BadValueError,
    FormatError,
    MissingDependencyError,
    RunExistsError,
    ServerError,
    ThoughtlensError,
)
from .recorder import Recorder, default_batch_rows
from .spec import agent_schema, normalise_agents

__version__ = "0.1.0"

__all__ = [
    "Recorder",
    "default_batch_rows",
    "agent_schema",
    "normalise_agents",
    "ThoughtlensError",
    "MissingDependencyError",
    "FormatError",
    "BadValueError",
    "RunExistsError",
    "ServerError",
]
