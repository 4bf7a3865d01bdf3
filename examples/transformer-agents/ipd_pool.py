"""The iterated prisoner's dilemma and the co-player pool, reimplemented from docs/POOL.md.

Moves are 0 = cooperate (C) and 1 = defect (D), as in agents/ipd/payoffs.ts; payoffs are the
project's T = 2, R = 1, P = 0, S = -1. A pool file (agents/pool/defaultPool.json by default)
is read as documented: kinds ``memory``, ``fsm`` and ``random-memory`` with ``noise``,
``weight`` and ``heldOut``. The kinds ``fsm-table`` and ``switch`` are refused (not needed for
the shipped pool; use the TypeScript pool for them). Probabilities are P(C).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

C, D = 0, 1
MOVE = "CD"
# Reward for (own, other): CC = R, CD = S, DC = T, DD = P.
PAYOFF = {(C, C): 1.0, (C, D): -1.0, (D, C): 2.0, (D, D): 0.0}

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POOL = REPO_ROOT / "agents" / "pool" / "defaultPool.json"


class PoolError(ValueError):
    pass


def _outcome(own: int, other: int) -> str:
    return MOVE[own] + MOVE[other]


def _matches(pattern: str, outcomes: Sequence[str]) -> bool:
    parts = pattern.split(",")
    if len(parts) != len(outcomes):
        return False
    return all(p[0] in ("?", o[0]) and p[1] in ("?", o[1]) for p, o in zip(parts, outcomes))


def _most_specific(table: Dict[str, object], outcomes: Sequence[str]):
    """The value of the matching pattern with the fewest '?', ties to the first listed; None if none match."""
    best, best_q = None, None
    for pattern, value in table.items():
        if _matches(pattern, outcomes):
            q = pattern.count("?")
            if best_q is None or q < best_q:
                best, best_q = value, q
    return best


class StylePlayer:
    """One episode of a style: ``move()`` then ``observe(own, other)`` each round (own = the style's move)."""

    def __init__(self, style: dict, rng: np.random.Generator) -> None:
        self.style = style
        self.rng = rng
        self.noise = float(style.get("noise", 0))
        kind = style["kind"]
        self.history: List[str] = []  # outcomes from the style's side, own move first
        if kind == "memory":
            self.n, self.start, self.table, self.default = style["n"], style["start"], style["p"], style.get("default")
        elif kind == "random-memory":
            self.n = style["n"]
            draw = (lambda: float(rng.uniform())) if style["dist"] == "uniform" else (lambda: float(rng.integers(0, 2)))
            self.start = draw()
            keys = [""]
            for _ in range(self.n):
                keys = [k + ("," if k else "") + a + b for k in keys for a in "CD" for b in "CD"]
            self.table = {k: draw() for k in keys}
            self.default = None
        elif kind == "fsm":
            self.states = style["states"]
            self._enter(style["initial"])
        else:
            raise PoolError(f"style '{style['name']}': kind '{kind}' is not reimplemented in Python (memory, fsm, random-memory are)")
        self.kind = kind

    def _enter(self, state: str) -> None:
        self.state = state
        after = self.states[state].get("after")
        self.timer = int(self.rng.integers(after["min"], after["max"] + 1)) if after else None

    def p_cooperate(self) -> float:
        if self.kind == "fsm":
            return float(self.states[self.state]["p"])
        if not self.history:
            return float(self.start)
        last = (["CC"] * self.n + self.history)[-self.n :]
        p = _most_specific(self.table, last)
        if p is None:
            if self.default is None:
                raise PoolError(f"style '{self.style['name']}': no pattern covers history {','.join(last)} and no default")
            p = self.default
        return float(p)

    def move(self) -> int:
        m = C if self.rng.uniform() < self.p_cooperate() else D
        if self.noise and self.rng.uniform() < self.noise:
            m = 1 - m
        return m

    def observe(self, own: int, other: int) -> None:
        o = _outcome(own, other)
        self.history.append(o)
        if self.kind == "fsm":
            spec = self.states[self.state]
            nxt = _most_specific(spec.get("next", {}), [o])
            if nxt is not None:
                self._enter(nxt)
            elif self.timer is not None:
                self.timer -= 1
                if self.timer <= 0:
                    self._enter(spec["after"]["to"])


def load_pool(path: Optional[str] = None) -> List[dict]:
    """The styles of a pool file (docs/POOL.md), each with ``weight`` (default 1) and ``heldOut`` (default False)."""
    p = Path(path) if path else DEFAULT_POOL
    try:
        doc = json.loads(p.read_text())
    except (OSError, ValueError) as err:
        raise PoolError(f"cannot read the pool file {p}: {err}") from err
    styles = []
    for i, s in enumerate(doc.get("styles", [])):
        if s.get("kind") not in ("memory", "fsm", "random-memory"):
            raise PoolError(f"pool style #{i} ('{s.get('name')}') has kind '{s.get('kind')}', which this Python reimplementation does not play (file {p})")
        styles.append({**s, "weight": int(s.get("weight", 1)), "heldOut": bool(s.get("heldOut", False))})
    if not styles:
        raise PoolError(f"the pool file {p} has no styles")
    return styles


def training_styles(pool: List[dict]) -> List[dict]:
    return [s for s in pool if not s["heldOut"]]


def deal(pool: List[dict], count: int, rng: np.random.Generator) -> List[dict]:
    """``count`` styles drawn with probability proportional to ``weight``."""
    w = np.array([s["weight"] for s in pool], dtype=float)
    idx = rng.choice(len(pool), size=count, p=w / w.sum())
    return [pool[i] for i in idx]
