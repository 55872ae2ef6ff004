"""Named strategies: which providers a fix engine uses, and how many repair rounds it may take."""

from __future__ import annotations

from pathlib import Path

from .backends import Backend, make_backend
from .champions import champion_adapters
from .engine import FixEngine
from .memory import MemoryIndex
from .providers import ModelProvider, PatternProvider, RustcProvider

STRATEGIES = ("none", "rustc", "memory", "model", "full")


def build_engine(strategy: str, backend: Backend | None = None, memory: MemoryIndex | None = None,
                 max_candidates: int = 8, verify: bool = True, samples: int = 3,
                 max_tokens: int = 160) -> FixEngine:
    """The engine for a strategy: `rustc` (its suggestions), `memory` (patterns, and the model
    prompted with retrieved examples), `model` (the model alone), `full` (all of them, multi-turn)."""
    memory = memory or MemoryIndex()
    backend = backend or Backend()
    providers = {
        "none": [],
        "rustc": [RustcProvider()],
        "memory": [PatternProvider(memory), ModelProvider(backend, memory.examples, samples, max_tokens=max_tokens)],
        "model": [ModelProvider(backend, None, samples, max_tokens=max_tokens)],
        "full": [RustcProvider(), PatternProvider(memory), ModelProvider(backend, memory.examples, samples, max_tokens=max_tokens)],
    }[strategy]
    return FixEngine(providers, max_candidates=max_candidates, max_rounds=5 if strategy == "full" else 1,
                     verify=verify)


def engine_from_settings(settings, store=None) -> FixEngine:
    """The server's engine: the configured backend routed to the registry's champions, and the
    fix memory's patterns and examples. `engine.reload()` re-reads both without a restart."""
    backend = make_backend(settings.backend, settings.model_path or None)
    memory = MemoryIndex.from_store(store)
    engine = build_engine(settings.strategy, backend, memory, settings.max_candidates, settings.verify)

    def reload() -> None:
        if settings.adapters_dir:
            backend.set_adapters(champion_adapters(Path(settings.adapters_dir), backend.name))
        memory.refresh(store)

    engine.reload = reload
    reload()
    return engine
