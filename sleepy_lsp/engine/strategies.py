"""Named strategies: which providers a fix engine uses, and how many repair rounds it may take."""

from __future__ import annotations

from ..memory.index import MemoryIndex
from ..model.backends import Backend
from .engine import FixEngine
from .providers import ModelProvider, PatternProvider, RustcProvider


def build_engine(strategy: str, backend: Backend | None = None, memory: MemoryIndex | None = None,
                 max_candidates: int = 8, verify: bool = True, samples: int = 3,
                 max_tokens: int = 160) -> FixEngine:
    """The engine for a strategy: `rustc` (its suggestions), `memory` (patterns, and the model
    prompted with retrieved examples), `model` (the model alone), `full` (all of them, multi-turn).
    Strategies with the fix memory rank the user's habit first among clean verified fixes."""
    memory = memory or MemoryIndex()
    backend = backend or Backend()
    providers = {
        "none": [],
        "rustc": [RustcProvider()],
        "memory": [PatternProvider(memory), ModelProvider(backend, memory.examples, samples, max_tokens=max_tokens)],
        "model": [ModelProvider(backend, None, samples, max_tokens=max_tokens)],
        "full": [RustcProvider(), PatternProvider(memory), ModelProvider(backend, memory.examples, samples, max_tokens=max_tokens)],
    }[strategy]
    habit = memory.habit if strategy in ("memory", "full") else None  # the user's habit ranks their idiom first
    return FixEngine(providers, max_candidates=max_candidates, max_rounds=5 if strategy == "full" else 1,
                     verify=verify, habit=habit)
