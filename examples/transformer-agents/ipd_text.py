"""The prisoner's dilemma as text, and a word-level tokenizer built for it (no download).

A transcript is one line per round, from the player's own side:

    Round 6. You: C. Them: D. Round 7. You: C. Them: C. Round 8. You:

and the model's next token (``C`` or ``D``) is its move. Every round is exactly 11 tokens
(``Round 6 . You : C . Them : D .``), so prompts of the same round have the same length.
"""

from __future__ import annotations

from typing import Dict, List, Sequence

import numpy as np

MAX_ROUNDS = 200
SPECIALS = ["[PAD]", "[UNK]"]
WORDS = ["Round", "You", "Them", ".", ":", "C", "D"]
TOKENS_PER_ROUND = 11
QUERY_TOKENS = 5  # Round t . You :


def vocabulary() -> Dict[str, int]:
    words = SPECIALS + WORDS + [str(t) for t in range(1, MAX_ROUNDS + 1)]
    return {w: i for i, w in enumerate(words)}


VOCAB = vocabulary()
MOVE_IDS = (VOCAB["C"], VOCAB["D"])  # index by move: 0 = C, 1 = D


def make_tokenizer():
    """A ``PreTrainedTokenizerFast`` over VOCAB (whitespace and punctuation split), saved with the model."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(vocab=VOCAB, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]")


def round_text(t: int, mine: int, theirs: int) -> str:
    return f"Round {t}. You: {'CD'[mine]}. Them: {'CD'[theirs]}."


def query_text(t: int) -> str:
    return f"Round {t}. You:"


def round_ids(t: int, mine: int, theirs: int) -> List[int]:
    v = VOCAB
    return [v["Round"], v[str(t)], v["."], v["You"], v[":"], MOVE_IDS[mine], v["."], v["Them"], v[":"], MOVE_IDS[theirs], v["."]]


def query_ids(t: int) -> List[int]:
    v = VOCAB
    return [v["Round"], v[str(t)], v["."], v["You"], v[":"]]


def prompt_ids(mine: Sequence[int], theirs: Sequence[int], t: int, window: int) -> List[int]:
    """The prompt before round ``t``'s move: the last ``window`` rounds, then ``Round t. You:``."""
    ids: List[int] = []
    for r in range(max(1, t - window), t):
        ids += round_ids(r, mine[r - 1], theirs[r - 1])
    return ids + query_ids(t)


def prompt_text(mine: Sequence[int], theirs: Sequence[int], t: int, window: int) -> str:
    lines = [round_text(r, mine[r - 1], theirs[r - 1]) for r in range(max(1, t - window), t)]
    return " ".join(lines + [query_text(t)])


def episode_ids(mine: Sequence[int], theirs: Sequence[int]) -> np.ndarray:
    """A whole episode's transcript as token ids, (rounds * 11,) int64; move of round t at (t-1)*11 + 5."""
    out = np.empty(len(mine) * TOKENS_PER_ROUND, dtype=np.int64)
    for t, (a, b) in enumerate(zip(mine, theirs), start=1):
        out[(t - 1) * TOKENS_PER_ROUND : t * TOKENS_PER_ROUND] = round_ids(t, a, b)
    return out
