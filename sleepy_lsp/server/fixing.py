"""The background fixing: the engine the settings describe, and the fixes of each document version
computed in worker threads, at most `workers` at once, cancelled as soon as the version is stale.

The check that found the errors is the `before` the engine compares against,
so each save costs one `cargo check` of the crate plus one per candidate.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..engine.engine import FixEngine
from ..engine.strategies import build_engine
from ..memory.index import MemoryIndex
from ..memory.store import FixMemory
from ..model.adapters import champion_adapters, change_token
from ..model.backends import Backend, make_backend
from ..rust.crates import CrateLocation, target_dir_for
from ..rust.shadow import CheckResult, ShadowPool
from .documents import FixSet, TrackedDocument
from .settings import Settings

log = logging.getLogger(__name__)


def default_workers() -> int:
    """How many documents are fixed at once: half the cores, at least one, at most four."""
    return max(1, min(4, (os.cpu_count() or 2) // 2))


@dataclass
class ServingEngine:
    """The engine a server runs, with what it learns from: the champions' adapters and the fix memory."""

    engine: FixEngine
    backend: Backend
    memory: MemoryIndex
    store: FixMemory | None
    adapters_dir: str

    @classmethod
    def build(cls, settings: Settings, store: FixMemory | None) -> "ServingEngine":
        """The engine for these settings (in a worker thread: it may load a model)."""
        backend = make_backend(settings.backend, settings.model_path or None)
        memory = MemoryIndex.from_store(store)
        engine = build_engine(settings.strategy, backend, memory, settings.max_candidates, settings.verify)
        serving = cls(engine, backend, memory, store, settings.adapters_dir)
        serving.reload()
        return serving

    def reload(self) -> None:
        """Re-read the registry's champions and the fix memory, without a restart."""
        if self.adapters_dir:
            self.backend.set_adapters(champion_adapters(Path(self.adapters_dir), self.backend.name))
        self.memory.refresh(self.store)


class Fixer:
    """Computes fixes in worker threads and keeps the serving engine.

    Args:
        cache_dir: where the shadow crates' cargo target dirs live.
        workers: documents fixed at once.
        check_timeout: the longest one cargo check of a shadow may run.
        on_loop: runs a function on the event loop (the workers' only way back).
        fail: reports an unexpected exception of a component (on the event loop).
        recovered: called on the event loop with a component's name once it works again.
        changed: called on the event loop whenever a fix set's state changes.
        progress: starts a work-done progress report: (title, message, on_cancel) -> an object with end(message).
    """

    def __init__(self, cache_dir: Path, workers: int, check_timeout: float, on_loop: Callable[..., None],
                 fail: Callable[[str, BaseException], None], recovered: Callable[[str], None],
                 changed: Callable[[], None],
                 progress: Callable[[str, str, Callable[[], None]], Any]) -> None:
        self.cache_dir = cache_dir
        self.workers = workers
        self.check_timeout = check_timeout
        self.on_loop = on_loop
        self.fail = fail
        self.recovered = recovered
        self.changed = changed
        self.progress = progress
        self.settings = Settings()
        self.store: FixMemory | None = None
        self._serving: ServingEngine | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="sleepy-fix")
        self._limit = asyncio.Semaphore(workers)
        self._shadows: dict[Path, ShadowPool] = {}
        self._champions: tuple[str, tuple[int, int]] | None = None

    # --- the engine ---

    def drop_engine(self) -> None:
        with self._lock:
            self._serving = None

    def serving(self) -> ServingEngine:
        """The serving engine, built on first use (in a worker thread)."""
        with self._lock:
            if self._serving is None:
                self._serving = ServingEngine.build(self.settings, self.store)
            return self._serving

    def champions_changed(self) -> bool:
        """Whether the registry's champions changed since the last look (one stat); reloads them if so."""
        folder = self.settings.adapters_dir
        seen = (folder, change_token(Path(folder).expanduser()) if folder else (0, 0))
        previous, self._champions = self._champions, seen
        if previous is None or previous == seen or previous[0] != folder:
            return False  # the first look, no change, or a new folder (which made a new engine anyway)
        with self._lock:
            serving = self._serving
        if serving is not None:
            future = self._pool.submit(serving.reload)
            future.add_done_callback(
                lambda f: f.exception() and self.on_loop(self.fail, "adapter reload", f.exception()))
        return True

    def relearn(self) -> None:
        """Read the fix memory again after the user taught it (a fix taken, rejected or written by hand),
        off the event loop, so the next fix already uses what was learned."""
        with self._lock:
            serving = self._serving
        if serving is not None:
            future = self._pool.submit(serving.memory.refresh, serving.store)
            future.add_done_callback(
                lambda f: f.exception() and self.on_loop(self.fail, "fix memory", f.exception()))

    # --- fixing ---

    async def compute(self, doc: TrackedDocument, fixset: FixSet, before: CheckResult) -> None:
        """Compute the fixes of one document version, at most `workers` at once."""
        async with self._limit:
            if fixset.cancel.is_set():
                return
            self.changed()
            progress = self.progress("sleepy: fixing", f"{len(fixset.slots)} errors in {doc.path.name}", fixset.stop)
            try:
                await asyncio.get_running_loop().run_in_executor(
                    self._pool, self._work, doc.crate, doc.rel_path, fixset, before)
            except Exception as exc:
                self.fail("fix engine", exc)
            finally:
                for slot in fixset.slots.values():
                    if slot.state == "pending":
                        slot.finish("cancelled" if fixset.cancel.is_set() else "failed")
                ready = sum(1 for slot in fixset.slots.values() if any(f.verified for f in slot.fixes))
                progress.end(f"{ready} of {len(fixset.slots)} errors have a verified fix")
                log.info("%s v%d: fixes for %d errors in %.1f s (%d verified)%s", doc.path.name, fixset.version,
                         len(fixset.slots), time.monotonic() - fixset.started, ready,
                         " [cancelled]" if fixset.cancel.is_set() else "")
                self.changed()

    def _work(self, crate: CrateLocation, rel_path: str, fixset: FixSet, before: CheckResult) -> None:
        """In a worker thread: fix each error of the version in turn in a shadow copy of the crate, then
        run the project's tests on the best fixes and offer what they say (the compiling fixes are on
        offer meanwhile)."""
        cancel = fixset.cancel
        for slot in fixset.slots.values():  # rustc's fixes, already on offer, say why they are risky
            for quick in slot.quick:
                quick.assess()
        self.on_loop(self.changed)
        engine = self.serving().engine
        pool = self._shadows.get(crate.workspace_root)
        if pool is None:
            pool = self._shadows[crate.workspace_root] = ShadowPool(
                crate.workspace_root, target_dir_for(self.cache_dir, crate, "shadow"), self.workers)
        settings = self.settings
        with pool.shadow(self.check_timeout, settings.cargo_path, crate.root, settings.cargo_extra_args) as shadow:
            shadow.write(rel_path, fixset.text)
            found: dict[str, list] = {}
            for key, slot in fixset.slots.items():
                if cancel.is_set():
                    return
                try:
                    found[key] = engine.fixes(shadow, rel_path, fixset.text, before, slot.diagnostic, cancel,
                                              {"rustc": [quick.candidate for quick in slot.quick]})
                except Exception as exc:  # one error's failure is reported; the others are still fixed
                    self.on_loop(self.fail, "fix engine", exc)
                    self.on_loop(slot.finish, "failed")
                    continue
                self.on_loop(slot.finish, "cancelled" if cancel.is_set() else "done", found[key])
                self.on_loop(self.recovered, "fix engine")
                self.on_loop(self.changed)
            policy = settings.test_policy()
            if policy is not None and any(f.verified for fixes in found.values() for f in fixes):
                self._test(engine, shadow, fixset, found, policy)

    def _test(self, engine: FixEngine, shadow, fixset: FixSet, found: dict[str, list], policy) -> None:
        """Run the project's tests on each error's best fixes; the slot then offers what survived."""
        fixset.testing = True
        self.on_loop(self.changed)
        try:
            for key, fixes in found.items():
                if fixset.cancel.is_set():
                    return
                tested = engine.test(shadow, fixes, policy, fixset.cancel)
                if not fixset.cancel.is_set():
                    self.on_loop(fixset.slots[key].finish, "done", tested)
        finally:
            fixset.testing = False
            self.on_loop(self.changed)
