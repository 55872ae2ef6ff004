"""sleepy-lsp: the language server that offers compiler-verified fixes as code actions.

One SleepyServer owns the state: the open documents, the latest diagnostics of
each crate, and per document version the fixes computed for its errors.
Handlers are small functions named after their LSP method. The event loop
never blocks: `cargo check` (flycheck.py), the fix engine and the fix-memory
writes run in worker threads, and background work is cancelled through a
threading.Event as soon as a newer check or document version makes it stale.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Callable

import platformdirs
from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from . import __version__
from . import lsp_convert as convert
from .champions import champions_signature
from .diagnostics import Diagnostic
from .documents import (DocumentSnapshot, FixSet, FixSlot, QuickFix, ShownOffer, TrackedDocument,
                        quick_fixes)
from .errors import SleepyError
from .families import classify
from .flycheck import CHECK_TIMEOUT_SECONDS, DEBOUNCE_SECONDS, CheckOutcome, CrateLocation, Flycheck, find_crate, target_dir_for
from .settings import Settings
from .shadow import TargetPool, shadow_of_dir
from .store import FixMemory, Offer, StoreError

log = logging.getLogger("sleepy_lsp.server")

STATUS = "sleepy/status"
# How long codeAction/resolve waits for a fix still being computed before answering without one.
RESOLVE_WAIT_SECONDS = 120.0
CACHE_ENV = "SLEEPY_CACHE_DIR"


def default_workers() -> int:
    """How many documents are fixed at once: half the cores, at least one, at most four."""
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def make_engine(settings: Settings, memory: FixMemory | None) -> Any:
    """The fix engine for these settings (built in a worker thread: it may load a model)."""
    from .engine import FixEngine

    if hasattr(FixEngine, "from_settings"):
        return FixEngine.from_settings(settings, memory)
    from .providers import RustcProvider  # the engine before from_settings existed: rustc only

    return FixEngine([RustcProvider()], max_candidates=settings.max_candidates, verify=settings.verify)


class Progress:
    """One `$/progress` work-done report; silent when the client does not support them."""

    def __init__(self, server: "SleepyServer", title: str, message: str | None = None,
                 on_cancel: Callable[[], None] | None = None) -> None:
        self.server = server
        self.token = f"sleepy-{uuid.uuid4()}"
        self.on_cancel = on_cancel
        self._ready = server.spawn(self._begin(title, message))

    async def _begin(self, title: str, message: str | None) -> bool:
        if not self.server.client_supports_progress():
            return False
        progress = self.server.work_done_progress
        try:
            await asyncio.wait_for(progress.create_async(self.token), timeout=10)
        except Exception as exc:  # an old client, or one that refuses: progress is optional
            log.debug("no work-done progress: %s", exc)
            return False
        progress.begin(self.token, types.WorkDoneProgressBegin(
            title=title, message=message, cancellable=self.on_cancel is not None))
        future = progress.tokens.get(self.token)
        if future is not None and self.on_cancel is not None:
            future.add_done_callback(lambda f: self.on_cancel() if f.cancelled() else None)
        return True

    def report(self, message: str) -> None:
        async def send() -> None:
            if await self._ready:
                self.server.work_done_progress.report(self.token, types.WorkDoneProgressReport(message=message))
        self.server.spawn(send())

    def end(self, message: str | None = None) -> None:
        async def send() -> None:
            if await self._ready:
                self.server.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
                self.server.work_done_progress.tokens.pop(self.token, None)
        self.server.spawn(send())


class SleepyServer(LanguageServer):
    """The server and all its state; handlers below are thin and call into it."""

    def __init__(self, cache_dir: Path, check_timeout: float = CHECK_TIMEOUT_SECONDS,
                 debounce: float = DEBOUNCE_SECONDS, workers: int | None = None) -> None:
        super().__init__("sleepy-lsp", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.cache_dir = Path(cache_dir)
        self.check_timeout = check_timeout
        self.debounce = debounce
        self.workers = workers or default_workers()
        self.settings = Settings()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.documents: dict[str, TrackedDocument] = {}
        self.flychecks: dict[Path, Flycheck] = {}
        self.crate_diagnostics: dict[Path, dict[str, list[Diagnostic]]] = {}  # crate root -> file -> latest
        self.published: dict[Path, set[str]] = {}
        self.fixsets: dict[str, FixSet] = {}  # uri -> the fixes of its current version
        self.shown: dict[str, ShownOffer] = {}  # offers seen and not yet decided
        self.offered: set[str] = set()
        self.rejected: set[str] = set()
        self.accepted: list[str] = []
        self.memory: FixMemory | None = None
        self._engine: Any = None
        self._engine_lock = threading.Lock()
        self._engine_pool = ThreadPoolExecutor(self.workers, thread_name_prefix="sleepy-fix")
        self._store_pool = ThreadPoolExecutor(1, thread_name_prefix="sleepy-store")
        self._fix_limit = asyncio.Semaphore(self.workers)
        self._target_pools: dict[Path, TargetPool] = {}
        self._check_progress: dict[Path, Progress] = {}
        self._tasks: set[asyncio.Task] = set()
        self._reported: set[Any] = set()
        self._champions: tuple | None = None
        self._status: tuple[str, str] = ("idle", "")
        self._errors: dict[str, str] = {}  # a crate root or a component -> what failed last
        self.closing = False  # after shutdown: nothing more is sent to the client

    # --- plumbing ---

    def spawn(self, coroutine) -> asyncio.Task:
        """Run a coroutine in the background, keeping a reference so it is not collected mid-way."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.report_failure("background", task.exception())

    def on_loop(self, fn: Callable, *args: Any) -> None:
        """Call fn on the event loop from a worker thread."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(fn, *args)

    def client_supports_progress(self) -> bool:
        window = getattr(self.client_capabilities, "window", None)
        return bool(window and window.work_done_progress)

    def client_supports_resolve(self) -> bool:
        code_action = getattr(getattr(self.client_capabilities, "text_document", None), "code_action", None)
        support = getattr(code_action, "resolve_support", None)
        return bool(support and "edit" in (support.properties or []))

    @property
    def encoding(self) -> str:
        """The negotiated position encoding: "utf-16" unless the client offered another pygls knows."""
        try:
            chosen = self.workspace.position_encoding or convert.UTF16
        except RuntimeError:  # before initialize
            return convert.UTF16
        return getattr(chosen, "value", chosen)

    def say(self, message: str, level: types.MessageType = types.MessageType.Info,
            popup: bool = False, once: Any = None) -> None:
        """Log a message, and send it to the client (once per `once` key when given).

        Everything goes to the log file; the client's log gets each message, a
        popup is only for what the user must act on, and never repeats.
        """
        log.log({types.MessageType.Error: logging.ERROR, types.MessageType.Warning: logging.WARNING}.get(
            level, logging.INFO), "%s", message)
        if once is not None:
            if once in self._reported:
                return
            self._reported.add(once)
        if self.closing:
            return
        try:
            self.window_log_message(types.LogMessageParams(type=level, message=f"sleepy: {message}"))
            if popup:
                self.window_show_message(types.ShowMessageParams(type=level, message=f"sleepy: {message}"))
        except Exception:  # no client connected (yet): the log has it
            log.debug("could not send a message to the client", exc_info=True)

    def status(self, state: str, message: str = "") -> None:
        """Send `sleepy/status` when it changes: checking, fixing, idle or error."""
        if (state, message) == self._status or self.closing:
            return
        self._status = (state, message)
        try:
            self.protocol.notify(STATUS, {"state": state, "message": message})
        except Exception:
            log.debug("could not send status", exc_info=True)

    def update_status(self) -> None:
        if any(f.running for f in self.flychecks.values()):
            self.status("checking", "cargo check")
        elif any(s.computing for s in self.fixsets.values()):
            waiting = sum(1 for s in self.fixsets.values() for slot in s.slots.values() if slot.state == "pending")
            self.status("fixing", f"fixing {waiting} error{'s' if waiting != 1 else ''}")
        elif self._errors:
            self.status("error", next(reversed(self._errors.values())))
        else:
            errors = sum(len(s.slots) for s in self.fixsets.values())
            ready = sum(1 for s in self.fixsets.values() for slot in s.slots.values()
                        if any(f.verified for f in slot.fixes))
            self.status("idle", f"{errors} error{'s' if errors != 1 else ''}, {ready} with a verified fix")

    def report_failure(self, kind: str, exc: BaseException) -> None:
        """An unexpected exception: logged with its traceback, told to the user once per kind, then carry on."""
        log.error("%s failed", kind, exc_info=exc)
        text = str(exc) if isinstance(exc, SleepyError) else f"{type(exc).__name__}: {exc}"
        self._errors[kind] = f"the {kind} failed: {text}"
        self.say(f"the {kind} failed ({text}); sleepy keeps serving, details are in its log.",
                 types.MessageType.Error, popup=True, once=("failure", kind))
        self.update_status()

    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls calls this for exceptions in handlers; a request's caller already got a JSON-RPC error.
        if self.closing:
            log.debug("after shutdown: %s", error)
            return
        self.report_failure("request handler", error)

    # --- settings and the fix memory ---

    def apply_settings(self, raw: Any, origin: str) -> None:
        """Apply the editor's settings; bad or unknown ones are reported and ignored."""
        if raw is not None and not isinstance(raw, dict):
            self.say(f"{origin}: settings must be an object, got {type(raw).__name__}; ignored.",
                     types.MessageType.Warning)
            return
        old = self.settings
        self.settings, notes = old.updated(raw)
        for note in notes:
            self.say(f"{origin}: {note}", types.MessageType.Warning)
        new = self.settings
        if (old.database_path, old.telemetry_enabled) != (new.database_path, new.telemetry_enabled) or self.memory is None:
            self.open_store()
        if (old.backend, old.model_path, old.adapters_dir, old.strategy, old.max_candidates, old.verify) != (
                new.backend, new.model_path, new.adapters_dir, new.strategy, new.max_candidates, new.verify):
            self.drop_engine()
        for flycheck in self.flychecks.values():
            flycheck.cargo = new.cargo_path
            flycheck.extra_args = list(new.cargo_extra_args)
        if old.publish_diagnostics != new.publish_diagnostics:
            for root, grouped in self.crate_diagnostics.items():
                self.publish(root, grouped, {})

    def open_store(self) -> None:
        """(Re)open the fix memory in the store thread; a bad database means serving without recording."""
        settings = self.settings

        def work() -> None:
            try:
                memory = FixMemory.open(settings.database_path or None, enabled=settings.telemetry_enabled)
            except StoreError as exc:
                memory = None
                message = f"{exc} Until then fixes are offered but not recorded."
                self.on_loop(partial(self.say, message, types.MessageType.Warning, popup=True, once=("store", str(exc))))
            except Exception as exc:
                memory = None
                self.on_loop(self.report_failure, "fix memory", exc)
            previous, self.memory = self.memory, memory
            if previous is not None and previous is not memory:
                previous.close()
            if memory is not None:
                log.info("fix memory at %s (%s)", memory.path, "recording" if memory.enabled else "telemetry off")
            self.drop_engine()

        self._store_pool.submit(work)

    def store_write(self, description: str, write: Callable[[FixMemory], Any]) -> None:
        """Write to the fix memory in the store thread, in order; a failure is reported once."""
        def work() -> None:
            memory = self.memory
            if memory is None:
                return
            try:
                result = write(memory)
                log.debug("%s -> %s", description, result)
            except StoreError as exc:
                message = f"{exc} Fixes are still offered; what happens to them is not recorded."
                self.on_loop(partial(self.say, message, types.MessageType.Warning, popup=True, once="store-write"))
            except Exception as exc:
                self.on_loop(self.report_failure, "fix memory", exc)

        self._store_pool.submit(work)

    def drain_store(self, timeout: float = 10.0) -> None:
        """Wait until queued fix-memory writes are done (tests and shutdown)."""
        self._store_pool.submit(lambda: None).result(timeout)

    # --- the fix engine ---

    def drop_engine(self) -> None:
        with self._engine_lock:
            self._engine = None

    def engine(self) -> Any:
        """The fix engine, built on first use in a worker thread."""
        with self._engine_lock:
            if self._engine is None:
                self._engine = make_engine(self.settings, self.memory)
            return self._engine

    def poll_champions(self) -> None:
        """Reload the engine when the adapter registry's champions file changes (one stat per check)."""
        folder = self.settings.adapters_dir
        seen = champions_signature(Path(folder).expanduser()) if folder else None
        previous, self._champions = self._champions, (folder, seen)
        if previous is None or previous == self._champions or previous[0] != folder:
            return  # the first look, no change, or a new folder (which made a new engine anyway)

        def reload() -> None:
            with self._engine_lock:
                engine = self._engine
            if engine is not None and hasattr(engine, "reload"):
                engine.reload()

        self.say("the adapter registry's champions changed: reloading them.")
        future = self._engine_pool.submit(reload)
        future.add_done_callback(
            lambda f: f.exception() and self.on_loop(self.report_failure, "adapter reload", f.exception()))

    # --- documents and checks ---

    def open_document(self, uri: str, version: int) -> TrackedDocument | None:
        fs_path = uris.to_fs_path(uri) if uri.startswith("file:") else None
        if fs_path is None:
            self.say(f"{uri} is not a local file: nothing to check.", once=("not-file", uri))
            return None
        path = Path(fs_path).resolve()
        crate = find_crate(path)
        doc = TrackedDocument(uri, path, crate, version)
        self.documents[uri] = doc
        if crate is None:
            self.say(f"{path} is not inside a Cargo crate (no Cargo.toml above it): sleepy has nothing to check there.",
                     types.MessageType.Warning, once=("no-crate", uri))
        return doc

    def flycheck(self, crate: CrateLocation) -> Flycheck:
        flycheck = self.flychecks.get(crate.root)
        if flycheck is None:
            flycheck = Flycheck(crate, target_dir_for(self.cache_dir, crate),
                                on_done=self.check_done, on_start=partial(self.check_started, crate),
                                debounce=self.debounce, timeout=self.check_timeout,
                                cargo=self.settings.cargo_path, extra_args=self.settings.cargo_extra_args)
            self.flychecks[crate.root] = flycheck
        return flycheck

    def request_check(self, doc: TrackedDocument | None) -> None:
        if doc is None or doc.crate is None:
            return
        self.flycheck(doc.crate).restart()
        self.update_status()

    def check_started(self, crate: CrateLocation, generation: int) -> dict[str, DocumentSnapshot]:
        """What the check is about to see: each open document of the workspace and its file on disk."""
        progress = self._check_progress.pop(crate.root, None)
        if progress is not None:
            progress.end("restarted")
        def cancel() -> None:
            self.flychecks[crate.root].cancel()
            self._check_progress.pop(crate.root, None)
            self.update_status()

        self._check_progress[crate.root] = Progress(self, "sleepy: cargo check", crate.name, on_cancel=cancel)
        self.status("checking", f"cargo check {crate.name}")
        snapshot = {}
        for uri, doc in self.documents.items():
            if doc.crate is None or doc.crate.workspace_root != crate.workspace_root:
                continue
            try:
                disk = doc.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                disk = None
            snapshot[uri] = DocumentSnapshot(doc.version, doc.revision, self.workspace.get_text_document(uri).source, disk)
        return snapshot

    async def check_done(self, outcome: CheckOutcome) -> None:
        crate = outcome.crate
        progress = self._check_progress.pop(crate.root, None)
        problem = outcome.problem(self.check_timeout)
        if progress is not None:
            progress.end(problem or f"{sum(d.is_error for d in outcome.diagnostics)} errors")
        if problem:
            self._errors[str(crate.root)] = problem
            self.say(problem, types.MessageType.Error, popup=True, once=("check", crate.root, problem[:60]))
            self.update_status()
            return
        self._errors.pop(str(crate.root), None)
        log.info("cargo check %s: %d diagnostics in %.1f s", crate.name, len(outcome.diagnostics), outcome.seconds)
        grouped = convert.diagnostics_by_file(outcome.diagnostics, crate.workspace_root)
        self.crate_diagnostics[crate.root] = grouped
        snapshot: dict[str, DocumentSnapshot] = outcome.snapshot or {}
        for uri, seen in snapshot.items():
            doc = self.documents.get(uri)
            if doc is None:
                continue
            if doc.revision != seen.revision or not seen.matches_disk:
                log.info("%s: the check saw a text other than version %d; no fixes until it is saved",
                         doc.path.name, doc.version)
                continue
            self.refresh_fixes(doc, seen.text, grouped.get(str(doc.path), []))
        self.publish(crate.root, grouped, snapshot)
        self.poll_champions()
        self.update_status()

    def refresh_fixes(self, doc: TrackedDocument, text: str, diagnostics: list[Diagnostic]) -> None:
        """Make the fix set of a document version from its errors, and start computing fixes."""
        errors = [d for d in diagnostics if d.is_error]
        keys = [convert.diagnostic_key(d) for d in errors]
        current = self.fixsets.get(doc.uri)
        if current is not None and current.revision == doc.revision and current.text == text \
                and list(current.slots) == keys:
            return  # the same errors of the same text: keep the fixes already computed
        if current is not None:
            current.stop()
        self.supersede_offers(doc.uri, doc.revision, errors)
        index = convert.LineIndex.of(text)
        rel_path = doc.rel_path or ""
        slots = {
            key: FixSlot(key, d, convert.to_lsp_diagnostic(d, text, doc.uri, doc.crate.workspace_root, self.encoding, index),
                         quick_fixes(d, rel_path, text))
            for key, d in zip(keys, errors)
        }
        fixset = FixSet(doc.uri, doc.version, doc.revision, text, slots, started=time.monotonic())
        self.fixsets[doc.uri] = fixset
        if slots and doc.rel_path:
            self.spawn(self.compute_fixes(doc, fixset))
        else:
            fixset.stop()

    def forget_fixes(self, uri: str) -> None:
        fixset = self.fixsets.pop(uri, None)
        if fixset is not None:
            fixset.stop()

    def supersede_offers(self, uri: str, revision: int | None, errors: list[Diagnostic],
                         note: str | None = None) -> None:
        """Offers of other versions (all, for revision None) not accepted nor rejected become "ignored"."""
        present = {(d.code or "", d.message) for d in errors}
        for fix_id, offer in list(self.shown.items()):
            if offer.uri != uri or offer.revision == revision:
                continue
            del self.shown[fix_id]
            why = note
            if why is None:
                gone = (offer.error_code, offer.message) not in present
                why = "the error went away through another edit" if gone else "the code changed under the offer"
            self.store_write(f"ignored {fix_id}", lambda m, i=fix_id, n=why: m.record_outcome(i, "ignored", n))

    async def compute_fixes(self, doc: TrackedDocument, fixset: FixSet) -> None:
        """Compute the fixes of one document version in a worker thread, at most `workers` at once."""
        async with self._fix_limit:
            if fixset.cancel.is_set():
                return
            self.update_status()
            progress = Progress(self, "sleepy: fixing", f"{len(fixset.slots)} errors in {doc.path.name}",
                                on_cancel=fixset.stop)
            try:
                await asyncio.get_running_loop().run_in_executor(
                    self._engine_pool, self.fix_worker, doc.crate, doc.rel_path, fixset)
            except Exception as exc:
                self.report_failure("fix engine", exc)
            finally:
                for slot in fixset.slots.values():
                    if slot.state == "pending":
                        slot.finish("cancelled" if fixset.cancel.is_set() else "failed")
                ready = sum(1 for slot in fixset.slots.values() if any(f.verified for f in slot.fixes))
                progress.end(f"{ready} of {len(fixset.slots)} errors have a verified fix")
                log.info("%s v%d: fixes for %d errors in %.1f s (%d verified)%s", doc.path.name, fixset.version,
                         len(fixset.slots), time.monotonic() - fixset.started, ready,
                         " [cancelled]" if fixset.cancel.is_set() else "")
                self.update_status()

    def fix_worker(self, crate: CrateLocation, rel_path: str, fixset: FixSet) -> None:
        """In a worker thread: check a shadow copy with the version's text, then fix each error in turn."""
        cancel = fixset.cancel
        engine = self.engine()
        pool = self._target_pools.setdefault(
            crate.workspace_root, TargetPool(target_dir_for(self.cache_dir, crate, "shadow"), self.workers))
        with pool.slot() as target, shadow_of_dir(crate.workspace_root, target, self.check_timeout,
                                                  self.settings.cargo_path) as shadow:
            shadow.write(rel_path, fixset.text)
            before = shadow.check(cancel)
            if cancel.is_set():
                return
            if before.timed_out:
                raise SleepyError(f"cargo check of the shadow copy of {crate.root} ran longer than "
                                  f"{self.check_timeout:g} s")
            found = {convert.diagnostic_key(d): d for d in before.errors}
            for key, slot in fixset.slots.items():
                if cancel.is_set():
                    return
                try:
                    fixes = engine.fixes(shadow, rel_path, fixset.text, before, found.get(key, slot.diagnostic), cancel)
                except Exception as exc:
                    self.on_loop(self.report_failure, "fix engine", exc)
                    self.on_loop(slot.finish, "failed")
                    continue
                fixes = [f for f in fixes if f.new_text != fixset.text]
                self.on_loop(slot.finish, "cancelled" if cancel.is_set() else "done", fixes)
                self.on_loop(self._errors.pop, "fix engine", None)
                self.on_loop(self.update_status)

    # --- offering fixes ---

    def current_fixset(self, uri: str) -> FixSet | None:
        """The fix set of the document's current text, or None when there is none or it is stale."""
        fixset = self.fixsets.get(uri)
        doc = self.documents.get(uri)
        if fixset is None or doc is None or fixset.revision != doc.revision or fixset.version != doc.version:
            return None
        return fixset

    def offers_for(self, slot: FixSlot) -> list[tuple[str, str, str, Any]]:
        """(fix id, title, new text, engine fix or quick fix) in the order shown: verified fixes, then rustc's."""
        shown: list[tuple[str, str, str, Any]] = []
        quick_by_text = {q.new_text: q for q in slot.quick}
        # A change the user called wrong is not offered again, whoever proposes it.
        texts = {f.new_text for f in [*slot.fixes, *slot.quick] if f.id in self.rejected}
        for fix in slot.fixes:
            if fix.new_text in texts or not (fix.verified or not self.settings.verify):
                continue
            quick = quick_by_text.get(fix.new_text)
            if quick is not None and self.shown.pop(quick.id, None) is not None:
                # The same change, now known to compile, replaces the quick offer; that one stays
                # without an outcome since the user never decided on it.
                log.debug("offer %s superseded by verified fix %s", quick.id, fix.id)
            texts.add(fix.new_text)
            shown.append((fix.id, convert.verified_title(fix.title, fix.provider, fix.verified), fix.new_text, fix))
        for quick in slot.quick:
            if quick.new_text in texts:
                continue
            if slot.state == "done" and self.settings.verify and slot.fixes is not None and any(
                    f.new_text == quick.new_text and not f.verified for f in slot.fixes):
                continue  # the engine tried it and it does not compile
            texts.add(quick.new_text)
            shown.append((quick.id, quick.title, quick.new_text, quick))
        return shown

    def record_shown(self, doc: TrackedDocument, fixset: FixSet, slot: FixSlot, fix_id: str, title: str,
                     new_text: str, fix: Any) -> None:
        """Record an offer the first time it is shown."""
        if fix_id in self.offered:
            return
        self.offered.add(fix_id)
        diagnostic = slot.diagnostic
        self.shown[fix_id] = ShownOffer(fix_id, doc.uri, fixset.revision, diagnostic.code or "", diagnostic.message)
        is_quick = isinstance(fix, QuickFix)
        edits = [{"range": [[e.range.start.line, e.range.start.character], [e.range.end.line, e.range.end.character]],
                  "new_text": e.new_text} for e in convert.text_edits(fixset.text, new_text, self.encoding)]
        offer = Offer(
            fix_id=fix_id, file=str(doc.path), error_code=diagnostic.code or "",
            family=getattr(fix, "family", None) or classify(diagnostic),
            provider="rustc" if is_quick else fix.provider, message=diagnostic.message, title=title,
            crate_root=str(doc.crate.root) if doc.crate else "", model="" if is_quick else (fix.model or ""),
            adapter="" if is_quick else (fix.adapter or ""), verified=False if is_quick else bool(fix.verified),
            latency_ms=(time.monotonic() - fixset.started) * 1000 if is_quick else float(fix.latency_ms or 0.0),
            code_before=fixset.text, code_after=new_text, edits=edits,
        )
        self.store_write(f"offer {fix_id}", lambda m: m.record_offer(offer))

    def actions_for_slot(self, doc: TrackedDocument, fixset: FixSet, slot: FixSlot) -> list[types.CodeAction]:
        actions = []
        offers = self.offers_for(slot)
        for i, (fix_id, title, new_text, fix) in enumerate(offers):
            actions.append(convert.fix_action(title, doc.uri, fixset.version, fixset.text, new_text, fix_id,
                                              [slot.lsp], self.encoding, preferred=i == 0 and not isinstance(fix, QuickFix)))
            self.record_shown(doc, fixset, slot, fix_id, title, new_text, fix)
        if slot.state == "pending" and self.client_supports_resolve():
            actions.append(convert.pending_action(doc.uri, fixset.version, fixset.revision, slot.key, [slot.lsp]))
        if offers:
            actions.append(convert.reject_action(offers[0][0], [slot.lsp]))
        return actions

    async def resolve_pending(self, action: types.CodeAction) -> types.CodeAction:
        """Wait (bounded) for the fixes behind a "fixing…" action and turn it into the best one."""
        data = action.data if isinstance(action.data, dict) else {}
        uri, key = data.get("uri"), data.get("key")
        fixset = self.current_fixset(uri) if isinstance(uri, str) else None
        if fixset is None or (fixset.version, fixset.revision) != (data.get("version"), data.get("revision")) \
                or key not in fixset.slots:
            action.title = "sleepy: the file changed; ask for fixes again"
            return action
        slot = fixset.slots[key]
        try:
            await asyncio.wait_for(slot.done.wait(), RESOLVE_WAIT_SECONDS)
        except asyncio.TimeoutError:
            action.title = "sleepy: still fixing; try again in a moment"
            return action
        doc = self.documents.get(uri)
        if doc is None or self.current_fixset(uri) is not fixset:
            action.title = "sleepy: the file changed; ask for fixes again"
            return action
        offers = [o for o in self.offers_for(slot) if not isinstance(o[3], QuickFix)] or self.offers_for(slot)
        if not offers:
            action.title = "sleepy: no fix that compiles was found"
            return action
        fix_id, title, new_text, fix = offers[0]
        self.record_shown(doc, fixset, slot, fix_id, title, new_text, fix)
        resolved = convert.fix_action(title, uri, fixset.version, fixset.text, new_text, fix_id, [slot.lsp], self.encoding)
        return resolved

    # --- outcomes ---

    def accept(self, fix_id: str) -> None:
        self.shown.pop(fix_id, None)
        self.accepted.append(fix_id)
        self.store_write(f"accept {fix_id}", lambda m: m.record_outcome(fix_id, "accepted"))

    def reject(self, fix_id: str, note: str, take_back: bool = False) -> None:
        """Record a rejection; take_back turns an earlier acceptance of the same fix into one."""
        self.shown.pop(fix_id, None)
        self.rejected.add(fix_id)

        def write(memory: FixMemory) -> bool:
            recorded = memory.record_outcome(fix_id, "rejected", note, replace=take_back)
            if not recorded and memory.enabled:
                log.warning("fix %s already has an outcome (the fix memory keeps the first); "
                            "the rejection was not recorded", fix_id)
            return recorded

        self.store_write(f"reject {fix_id}", write)

    # --- diagnostics for the client ---

    def publish(self, root: Path, grouped: dict[str, list[Diagnostic]], snapshot: dict[str, DocumentSnapshot]) -> None:
        """Publish this crate's diagnostics (only with the publishDiagnostics setting), clearing files now clean."""
        if not self.settings.publish_diagnostics and not self.published.get(root):
            return
        previous = self.published.get(root, set())
        now: set[str] = set()
        crate = self.flychecks[root].crate if root in self.flychecks else None
        if self.settings.publish_diagnostics and crate is not None:
            by_path = {str(d.path): d for d in self.documents.values()}
            for path, diagnostics in grouped.items():
                doc = by_path.get(path)
                seen = snapshot.get(doc.uri) if doc else None
                text = seen.disk_text if seen else None
                if text is None:
                    try:
                        text = Path(path).read_text(encoding="utf-8")
                    except (OSError, UnicodeDecodeError):
                        continue
                uri = doc.uri if doc else uris.from_fs_path(path)
                index = convert.LineIndex.of(text)
                items = [convert.to_lsp_diagnostic(d, text, uri, crate.workspace_root, self.encoding, index)
                         for d in diagnostics]
                version = seen.version if seen and seen.matches_disk else None
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, items, version))
                now.add(uri)
        for uri in previous - now:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
        self.published[root] = now

    def stop_everything(self) -> None:
        """Cancel every check and fix computation; their cargo process groups are killed within 0.1 s."""
        self.closing = True
        for flycheck in self.flychecks.values():
            flycheck.cancel()
        for fixset in self.fixsets.values():
            fixset.cancel.set()

    def terminate(self, code: int) -> None:
        """End the process now, after the fix memory has its queued writes.

        A model call cannot be interrupted, and Python would wait for its worker
        thread before exiting; an editor that closes expects its server gone.
        """
        self.stop_everything()
        try:
            self.drain_store(5)
            if self.memory is not None:
                self.memory.close()
        except Exception:
            log.warning("fix-memory writes were still queued at exit", exc_info=True)
        time.sleep(0.2)  # lets the cargo runners see the cancel and kill their process groups
        log.info("sleepy-lsp exits (%d)", code)
        logging.shutdown()
        os._exit(code)


# --- handlers ----------------------------------------------------------------------------------


def initialize(ls: SleepyServer, params: types.InitializeParams) -> None:
    ls.loop = asyncio.get_running_loop()
    ls.say(f"sleepy-lsp {__version__} (cache {ls.cache_dir})")
    ls.apply_settings(params.initialization_options, "initializationOptions")


def initialized(ls: SleepyServer, params: types.InitializedParams) -> None:
    ls.update_status()


def did_open(ls: SleepyServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    ls.request_check(ls.open_document(item.uri, item.version))


def did_save(ls: SleepyServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    doc = ls.documents.get(uri)
    if doc is None:  # saved without being opened (a client that skipped didOpen)
        doc = ls.open_document(uri, ls.workspace.get_text_document(uri).version or 0)
    ls.request_check(doc)


def did_change(ls: SleepyServer, params: types.DidChangeTextDocumentParams) -> None:
    uri, version = params.text_document.uri, params.text_document.version
    doc = ls.documents.get(uri)
    if doc is None:
        return
    if version is not None and version <= doc.version:
        ls.say(f"{doc.path.name}: change to version {version} arrived after version {doc.version}; "
               "fixes wait for the next check.", types.MessageType.Warning)
    doc.version = version if version is not None else doc.version + 1
    doc.revision += 1
    fixset = ls.fixsets.get(uri)
    if fixset is not None:
        fixset.stop()  # its fixes are for a text that is gone; the offers become ignored at the next check
    ls.update_status()


def did_close(ls: SleepyServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.documents.pop(uri, None)
    ls.forget_fixes(uri)
    ls.supersede_offers(uri, None, [], note="the file was closed")
    ls.update_status()


def did_change_configuration(ls: SleepyServer, params: types.DidChangeConfigurationParams) -> None:
    ls.apply_settings(params.settings, "workspace/didChangeConfiguration")


def code_action(ls: SleepyServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    only = [str(getattr(kind, "value", kind)) for kind in params.context.only or []]
    if only and not any(types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only):
        return []  # the client asked for other kinds (refactorings, source actions)
    uri = params.text_document.uri
    doc = ls.documents.get(uri)
    fixset = ls.current_fixset(uri)
    if doc is None or fixset is None:
        return []
    actions = []
    for slot in fixset.slots.values():
        if convert.request_covers(params.range, slot.lsp.range) or any(
                convert.client_diagnostic_matches(c, slot.lsp) for c in params.context.diagnostics):
            actions.extend(ls.actions_for_slot(doc, fixset, slot))
    return actions


async def code_action_resolve(ls: SleepyServer, action: types.CodeAction) -> types.CodeAction:
    return await ls.resolve_pending(action)


def _fix_id(args: tuple[Any, ...], command: str) -> str | None:
    if args and isinstance(args[0], str) and args[0]:
        return args[0]
    log.warning("%s needs a fix id as its argument, got %r", command, args)
    return None


def accept_fix(ls: SleepyServer, *args: Any) -> None:
    if (fix_id := _fix_id(args, convert.ACCEPT)) is not None:
        ls.accept(fix_id)


def reject_fix(ls: SleepyServer, *args: Any) -> None:
    if (fix_id := _fix_id(args, convert.REJECT)) is not None:
        ls.reject(fix_id, "the user said this fix is wrong")


def reject_last(ls: SleepyServer, *args: Any) -> str:
    if not ls.accepted:
        ls.say("no accepted fix to take back.", types.MessageType.Warning)
        return "sleepy has not applied a fix in this session, so there is none to reject"
    ls.reject(ls.accepted.pop(), "the user took back the fix after accepting it", take_back=True)
    return "the last applied fix is recorded as wrong"


def shutdown(ls: SleepyServer, params: None) -> None:
    ls.stop_everything()


def exit(ls: SleepyServer, params: None) -> None:  # noqa: A001 - the LSP method's name
    ls.terminate(0 if ls.closing else 1)


def build_server(cache_dir: Path, check_timeout: float = CHECK_TIMEOUT_SECONDS,
                 debounce: float = DEBOUNCE_SECONDS, workers: int | None = None) -> SleepyServer:
    """A server with every handler registered."""
    server = SleepyServer(cache_dir, check_timeout, debounce, workers)
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))(did_save)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=True))(code_action)
    server.feature(types.CODE_ACTION_RESOLVE)(code_action_resolve)
    server.feature(types.SHUTDOWN)(shutdown)
    server.feature(types.EXIT)(exit)
    server.command(convert.ACCEPT)(accept_fix)
    server.command(convert.REJECT)(reject_fix)
    server.command(convert.REJECT_LAST)(reject_last)
    return server


def private_stdout() -> BinaryIO:
    """The LSP stream on a private copy of stdout; file descriptor 1 then points at stderr.

    Anything else that writes to fd 1 would corrupt the LSP stream, and
    llama-cpp-python even points fd 1 at /dev/null while it loads and runs a
    model (`suppress_stdout_stderr`), process-wide, which would swallow the
    server's answers meanwhile.
    """
    stream = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return stream


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sleepy-lsp", description="The sleepy-coder language server: compiler-verified fixes for Rust errors.")
    parser.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)")
    parser.add_argument("--tcp", type=int, metavar="PORT", help="listen on a TCP port instead, for debugging")
    parser.add_argument("--host", default="127.0.0.1", help="the address --tcp listens on (default 127.0.0.1)")
    parser.add_argument("--log-file", help="write the log here (default: stderr)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--trace-lsp", action="store_true", help="log every LSP message (very verbose)")
    parser.add_argument("--cache-dir", default=os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("sleepy-coder"),
                        help=f"where cargo target dirs live (default ${CACHE_ENV}, else the user cache dir)")
    parser.add_argument("--check-timeout", type=float, default=CHECK_TIMEOUT_SECONDS, metavar="SECONDS",
                        help="stop a cargo check that runs longer than this")
    parser.add_argument("--debounce", type=float, default=DEBOUNCE_SECONDS, metavar="SECONDS",
                        help="wait this long after a save before checking, folding bursts into one check")
    args = parser.parse_args(argv)
    handler: logging.Handler = logging.FileHandler(args.log_file, encoding="utf-8") if args.log_file \
        else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=args.log_level, handlers=[handler], force=True)
    logging.getLogger("pygls").setLevel(
        logging.DEBUG if args.trace_lsp else max(logging.WARNING, logging.getLevelName(args.log_level)))
    server = build_server(Path(args.cache_dir), args.check_timeout, args.debounce)
    if args.tcp:
        server.start_tcp(args.host, args.tcp)
    else:
        server.start_io(sys.stdin.buffer, private_stdout())
    server.terminate(0)  # the client went away without `exit`
    return 0


if __name__ == "__main__":
    sys.exit(main())
