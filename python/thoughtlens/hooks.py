"""Forward hooks that capture hidden states of chosen modules of any ``torch.nn.Module``.

    from thoughtlens.hooks import HiddenStates
    with HiddenStates(model, layers=[6]) as hs:        # or modules=["transformer.h.6"]
        model(**inputs)
        h = hs.last()                                  # (d,) numpy float32: last token, batch row 0

A layer index L names the output of decoder block L of a Hugging Face model (its residual
stream after block L): ``output_hidden_states[L + 1]`` for every block but the last (the
model applies its final norm to that one). A module name is any path ``get_submodule``
accepts: ``transformer.h.6.mlp``, ``model.layers.10``, or a TransformerLens hook point such
as ``blocks.6.hook_resid_post``. Needs torch; without it MissingDependencyError (never a
substitute).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from ._deps import require
from .errors import FormatError

# Where the stack of decoder blocks lives in common architectures, first match wins.
BLOCK_PATHS = (
    "transformer.h",  # GPT-2, GPT-J, GPT-Neo, BLOOM (…h), Falcon
    "model.layers",  # Llama, Mistral, Qwen, Gemma, Phi-3
    "gpt_neox.layers",  # Pythia / GPT-NeoX
    "model.decoder.layers",  # OPT
    "transformer.blocks",  # MPT
    "blocks",  # TransformerLens HookedTransformer
    "layers",
    "h",
)


def find_blocks(model) -> tuple:
    """(path, ModuleList) of the model's decoder blocks, or FormatError naming what was tried."""
    torch = require("torch", "thoughtlens.hooks")
    for path in BLOCK_PATHS:
        try:
            m = model.get_submodule(path)
        except AttributeError:
            continue
        if isinstance(m, torch.nn.ModuleList) and len(m) > 0:
            return path, m
    raise FormatError(
        f"cannot find the decoder blocks of {type(model).__name__} (tried {', '.join(BLOCK_PATHS)}); name the module instead, e.g. modules=['transformer.h.3']"
    )


class HiddenStates:
    """Registers one forward hook per chosen module; each forward pass replaces what they hold.

    ``layers``: block indices (negative counts from the end); ``modules``: module names;
    ``tokens``: 'last' keeps the last position of each sequence, 'all' every position.
    """

    def __init__(
        self,
        model,
        layers: Optional[Sequence[int]] = None,
        modules: Optional[Sequence[str]] = None,
        tokens: str = "last",
    ) -> None:
        self.torch = require("torch", "thoughtlens.hooks")
        if tokens not in ("last", "all"):
            raise FormatError(f"tokens must be 'last' or 'all', got {tokens!r}")
        if not layers and not modules:
            raise FormatError("name at least one layer index (layers=[…]) or module name (modules=[…])")
        self.tokens = tokens
        self.targets: Dict[str, Any] = {}
        if layers:
            path, blocks = find_blocks(model)
            for L in layers:
                if not -len(blocks) <= L < len(blocks):
                    raise FormatError(f"layer {L} is out of range: {type(model).__name__} has {len(blocks)} blocks at '{path}'")
                self.targets[f"{path}.{L % len(blocks)}"] = blocks[L]
        for name in modules or ():
            try:
                self.targets[name] = model.get_submodule(name)
            except AttributeError as err:
                raise FormatError(f"no module '{name}' in {type(model).__name__}: {err}") from err
        self.states: Dict[str, Any] = {}
        self.handles: List[Any] = []
        self.attach()

    def attach(self) -> None:
        """Registers the hooks (done on construction; again after remove())."""
        if not self.handles:
            self.handles = [m.register_forward_hook(self._hook(name)) for name, m in self.targets.items()]

    def _hook(self, name: str):
        def hook(_module, _inputs, output) -> None:
            h = output[0] if isinstance(output, (tuple, list)) else output
            if not isinstance(h, self.torch.Tensor):  # a ModelOutput
                h = h.last_hidden_state if getattr(h, "last_hidden_state", None) is not None else h[0]
            h = h.detach()
            self.states[name] = h[..., -1, :] if self.tokens == "last" and h.dim() >= 2 else h

        return hook

    @property
    def names(self) -> List[str]:
        return list(self.targets)

    def tensor(self, name: Optional[str] = None):
        """The captured tensor of one module (the only one when there is one): (batch, d) for 'last', (batch, T, d) for 'all'."""
        if name is None:
            if len(self.targets) != 1:
                raise FormatError(f"several modules are hooked ({', '.join(self.targets)}): name one")
            name = next(iter(self.targets))
        if name not in self.states:
            raise FormatError(f"module '{name}' has not run since the hooks were registered (call the model first)")
        return self.states[name]

    def last(self, name: Optional[str] = None, batch_index: int = 0) -> np.ndarray:
        """float32 numpy of one sequence: (d,) for tokens='last', (T, d) for tokens='all'."""
        t = self.tensor(name)
        if t.dim() > (1 if self.tokens == "last" else 2):
            t = t[batch_index]
        return t.float().cpu().numpy().astype(np.float32, copy=False)

    def clear(self) -> None:
        self.states.clear()

    def remove(self) -> None:
        for h in self.handles:
            h.remove()
        self.handles = []

    def __enter__(self) -> "HiddenStates":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def hidden_size(model) -> int:
    """The model's hidden size from its config (hidden_size, n_embd or d_model)."""
    cfg = getattr(model, "config", None) or getattr(model, "cfg", None)
    for key in ("hidden_size", "n_embd", "d_model"):
        v = getattr(cfg, key, None)
        if isinstance(v, int):
            return v
    raise FormatError(f"cannot read the hidden size of {type(model).__name__} from its config; pass it yourself")


def load_causal_lm(name: str, **kwargs):
    """(model, tokenizer) from ``transformers``, failing loudly (MissingDependencyError) when
    transformers or the model is not available — never a substitute."""
    require("torch", f"loading the model '{name}'")
    transformers = require("transformers", f"loading the model '{name}'")
    try:
        tok = transformers.AutoTokenizer.from_pretrained(name)
        model = transformers.AutoModelForCausalLM.from_pretrained(name, **kwargs)
    except (OSError, ValueError) as err:
        from .errors import MissingDependencyError

        raise MissingDependencyError(
            f"the model '{name}' cannot be loaded ({str(err).splitlines()[0]}); give a local folder or a model id the Hugging Face cache holds"
        ) from err
    return model.eval(), tok


