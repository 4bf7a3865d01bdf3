"""Optional dependencies, imported only when asked for, failing loudly when absent."""

from __future__ import annotations

import importlib

from .errors import MissingDependencyError

_HINT = {
    "torch": "pip install torch   (or: pip install './python[torch]')",
    "transformers": "pip install transformers   (or: pip install './python[torch]')",
}


def require(module: str, why: str):
    """Imports ``module`` or raises MissingDependencyError naming what needed it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependencyError(
            f"{why} needs the Python package '{module}', which cannot be imported ({err}). "
            f"Install it: {_HINT.get(module, 'pip install ' + module)}. "
            "thoughtlens never records substitute (random) states in its place."
        ) from err
