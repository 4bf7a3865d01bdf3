"""Hand-written history-based strategies and the reward-filtered teacher built from them.

Each strategy is ``f(mine, theirs, t, rounds) -> move`` over the moves so far (0 = C, 1 = D),
the round ``t`` (1-based) and the episode length; all of them defect in the last round,
where defection is dominant. The teacher of an episode is the strategy that earned most
against that episode's co-player, replayed with the same random numbers (ties go to the
first listed): the transformers imitate these transcripts (reward-filtered imitation).
"""

from __future__ import annotations

from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from ipd_pool import C, D, PAYOFF, StylePlayer

Strategy = Callable[[Sequence[int], Sequence[int], int, int], int]


def _endgame(f: Strategy) -> Strategy:
    return lambda mine, theirs, t, rounds: D if t == rounds else f(mine, theirs, t, rounds)


def tit_for_tat(mine, theirs, t, rounds):
    return theirs[-1] if theirs else C


def grim(mine, theirs, t, rounds):
    return D if D in theirs else C


def pavlov(mine, theirs, t, rounds):
    if not theirs:
        return C
    return mine[-1] if theirs[-1] == C else 1 - mine[-1]


def always_defect(mine, theirs, t, rounds):
    return D


def tit_for_two_tats(mine, theirs, t, rounds):
    return D if len(theirs) >= 2 and theirs[-1] == D and theirs[-2] == D else C


def unresponsive_defect(mine, theirs, t, rounds):
    """Tit-for-tat, but defects for good against a co-player whose moves ignore its own:
    3 or more of the last 10 rounds where the co-player did not copy its previous move."""
    k = len(theirs)
    misses = sum(1 for i in range(max(1, k - 10), k) if theirs[i] != mine[i - 1])
    return D if misses >= 3 else tit_for_tat(mine, theirs, t, rounds)


def detective(mine, theirs, t, rounds):
    """Axelrod's Detective: C, D, C, C; then tit-for-tat if the co-player ever defected, else defect."""
    opening = (C, D, C, C)
    if t <= len(opening):
        return opening[t - 1]
    return tit_for_tat(mine, theirs, t, rounds) if D in theirs[:4] else D


STRATEGIES: Dict[str, Strategy] = {
    name: _endgame(f)
    for name, f in [
        ("tit-for-tat", tit_for_tat),
        ("grim", grim),
        ("pavlov", pavlov),
        ("tit-for-two-tats", tit_for_two_tats),
        ("unresponsive-defect", unresponsive_defect),
        ("always-defect", always_defect),
        ("detective", detective),
    ]
}
# The plain tit-for-tat baseline (no last-round defection) the agents are compared with.
BASELINE: Strategy = tit_for_tat


def play_strategy(f: Strategy, style: dict, seed: int, rounds: int) -> Tuple[List[int], List[int], float]:
    """(mine, theirs, total payoff) of strategy ``f`` against one episode of ``style``."""
    co = StylePlayer(style, np.random.default_rng(seed))
    mine: List[int] = []
    theirs: List[int] = []
    total = 0.0
    for t in range(1, rounds + 1):
        a = f(mine, theirs, t, rounds)
        b = co.move()
        co.observe(b, a)
        mine.append(a)
        theirs.append(b)
        total += PAYOFF[(a, b)]
    return mine, theirs, total


def best_transcript(style: dict, seed: int, rounds: int) -> Tuple[str, List[int], List[int], float]:
    """The strategy that earned most against this episode of ``style`` (same random numbers for each)."""
    best = None
    for name, f in STRATEGIES.items():
        mine, theirs, total = play_strategy(f, style, seed, rounds)
        if best is None or total > best[3]:
            best = (name, mine, theirs, total)
    return best
