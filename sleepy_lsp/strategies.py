"""Named strategies: which providers a fix engine uses, and how many repair rounds it may take."""

from __future__ import annotations

from .backends import Backend
from .engine import FixEngine
from .memory import MemoryIndex
from .providers import ModelProvider, PatternProvider, RustcProvider

STRATEGIES = ("none", "rustc", "memory", "model", "full")


def build_engine(strategy: str, backend: Backend | None = None, memory: MemoryIndex | None = None,
                 max_candidates: int = 8, verify: bool = True, samples: int = 3) -> FixEngine:
    """The engine for a strategy: `rustc` (its suggestions), `memory` (patterns, and the model
    prompted with retrieved examples), `model` (the model alone), `full` (all of them, multi-turn)."""
    memory = memory or MemoryIndex()
    backend = backend or Backend()
    providers = {
        "none": [],
        "rustc": [RustcProvider()],
        "memory": [PatternProvider(memory.patterns), ModelProvider(backend, memory.examples, samples)],
        "model": [ModelProvider(backend, None, samples)],
        "full": [RustcProvider(), PatternProvider(memory.patterns), ModelProvider(backend, memory.examples, samples)],
    }[strategy]
    return FixEngine(providers, max_candidates=max_candidates, max_rounds=3 if strategy == "full" else 1,
                     verify=verify)
