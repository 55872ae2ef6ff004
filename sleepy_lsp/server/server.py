"""sleepy-lsp: the language server that offers compiler-verified fixes as code actions.

One SleepyServer owns the session: the open documents, the latest diagnostics
of each crate, and per document version the fixes computed for its errors.
It routes LSP methods to the rooms that do the work, each given callbacks
rather than the server: Flycheck runs `cargo check`, Fixer computes fixes in
worker threads, Offers decides what is shown and records what became of it,
Recorder writes the fix memory, Reporter talks to the user. The LSP methods are
routed to it by the handlers in handlers.py. The event loop never blocks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from functools import partial
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pygls import uris
from pygls.exceptions import FeatureNotificationError
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..engine.providers import rustc_fixes
from ..rust.crates import CrateLocation, find_crate, target_dir_for
from ..rust.diagnostics import Diagnostic
from ..rust.shadow import CheckResult
from . import lsp_convert as convert
from .documents import DocumentSnapshot, FixSet, FixSlot, TrackedDocument, snapshot_of
from .fixing import Fixer, default_workers
from .flycheck import CHECK_TIMEOUT_SECONDS, DEBOUNCE_SECONDS, CheckOutcome, Flycheck
from .hand_fixes import HandFixes
from .offers import RESOLVE_WAIT_SECONDS, Offers
from .progress import Progress
from .protocol import SleepyProtocol
from .publishing import Publisher
from .recorder import Recorder
from .reporting import Reporter, status_of
from .settings import Settings

TEACHING_WRITES = ("accept ", "reject ", "manual fix")  # Recorder.write descriptions that change what is learned
log = logging.getLogger("sleepy_lsp.server")


class SleepyServer(LanguageServer):
    """The session: documents, checks and fixes; handlers below are thin and call into it."""

    def __init__(self, cache_dir: Path, check_timeout: float = CHECK_TIMEOUT_SECONDS,
                 debounce: float = DEBOUNCE_SECONDS, workers: int | None = None) -> None:
        super().__init__("sleepy-lsp", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=SleepyProtocol)
        self.cache_dir = Path(cache_dir)
        self.check_timeout = check_timeout
        self.debounce = debounce
        self.settings = Settings()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.documents: dict[str, TrackedDocument] = {}
        self.flychecks: dict[Path, Flycheck] = {}
        self.crate_diagnostics: dict[Path, dict[str, list[Diagnostic]]] = {}  # crate root -> file -> latest
        self.publisher = Publisher(self.text_document_publish_diagnostics)
        self.fixsets: dict[str, FixSet] = {}  # uri -> the fixes of its current version
        self.reporter = Reporter(self)
        self.recorder = Recorder(warn=partial(self.on_loop, self.reporter.warn_once), fail=partial(self.on_loop, self.fail),
                                 opened=self.memory_opened)
        self.offers = Offers(self.record, verify=lambda: self.settings.verify)
        self.hand_fixes = HandFixes(lambda offer: self.record("manual fix", lambda m: m.record_manual(offer)))
        self.fixer = Fixer(self.cache_dir, workers or default_workers(), check_timeout, self.on_loop, self.fail,
                           self.reporter.recovered, self.update_status, self.progress)
        self._check_progress: dict[Path, Progress] = {}
        self._tasks: set[asyncio.Task] = set()

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
            self.fail("background", task.exception())

    def on_loop(self, fn: Callable, *args: Any) -> None:
        """Call fn on the event loop from a worker thread."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(fn, *args)

    def progress(self, title: str, message: str | None = None,
                 on_cancel: Callable[[], None] | None = None) -> Progress:
        """A work-done progress report, silent when the client does not take them."""
        window = getattr(self.client_capabilities, "window", None)
        return Progress(self.work_done_progress, self.spawn, bool(window and window.work_done_progress),
                        title, message, on_cancel)

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

    def fail(self, kind: str, exc: BaseException) -> None:
        self.reporter.failure(kind, exc)
        self.update_status()

    def update_status(self) -> None:
        checking = any(f.running for f in self.flychecks.values())
        problems = [*self.reporter.errors.values(), *self.reporter.failures.values()]
        self.reporter.status(*status_of(checking, list(self.fixsets.values()), problems))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls calls this for exceptions in handlers and in reading messages."""
        if self.reporter.closing:
            log.debug("after shutdown: %s", error)
        elif source is FeatureNotificationError:  # one of our handlers broke: that is the server's failure
            self.fail("notification handler", error)
        else:  # a request's client has its error in the response; an unreadable message is the client's
            log.warning("a request failed or a message could not be read: %s", error, exc_info=error)

    # --- settings and the fix memory ---

    def apply_settings(self, raw: Any, origin: str) -> None:
        """Apply the editor's settings; bad or unknown ones are reported and ignored."""
        if raw is not None and not isinstance(raw, dict):
            self.reporter.say(f"{origin}: settings must be an object, got {type(raw).__name__}; ignored.",
                     types.MessageType.Warning)
            return
        old = self.settings
        self.settings, notes = old.updated(raw)
        for note in notes:
            self.reporter.say(f"{origin}: {note}", types.MessageType.Warning)
        new = self.fixer.settings = self.settings
        self.recorder.open(new.database_path, new.telemetry_enabled)  # once per database and switch
        if old.engine_settings() != new.engine_settings():
            self.fixer.drop_engine()
        for flycheck in self.flychecks.values():
            flycheck.cargo = new.cargo_path
            flycheck.extra_args = list(new.cargo_extra_args)
            flycheck.offline = not new.cargo_allow_fetch
        if old.publish_diagnostics != new.publish_diagnostics:
            for root, grouped in self.crate_diagnostics.items():
                self.publish(self.flychecks[root].crate, grouped, {})

    def memory_opened(self) -> None:
        """In the store's thread: a new fix memory is what the engine learns from from now on."""
        self.fixer.store = self.recorder.memory
        self.fixer.drop_engine()

    # --- documents and checks ---

    def open_document(self, uri: str, version: int) -> TrackedDocument | None:
        fs_path = uris.to_fs_path(uri) if uri.startswith("file:") else None
        if fs_path is None:
            self.reporter.say(f"{uri} is not a local file: nothing to check.", once=("not-file", uri))
            return None
        path = Path(fs_path).resolve()
        crate = find_crate(path)
        doc = TrackedDocument(uri, path, crate, version)
        self.documents[uri] = doc
        if crate is None:
            self.reporter.say(f"{path} is not inside a Cargo crate (no Cargo.toml above it): sleepy has nothing to check there.",
                     types.MessageType.Warning, once=("no-crate", uri))
        return doc

    def flycheck(self, crate: CrateLocation) -> Flycheck:
        flycheck = self.flychecks.get(crate.root)
        if flycheck is None:
            flycheck = Flycheck(crate, target_dir_for(self.cache_dir, crate),
                                on_done=self.check_done, on_start=partial(self.check_started, crate),
                                on_error=partial(self.fail, "cargo check"),
                                debounce=self.debounce, timeout=self.check_timeout, cargo=self.settings.cargo_path,
                                extra_args=self.settings.cargo_extra_args, offline=not self.settings.cargo_allow_fetch)
            self.flychecks[crate.root] = flycheck
        return flycheck

    def check_crate_of(self, uri: str) -> None:
        path = uris.to_fs_path(uri) if uri.startswith("file:") else None
        crate = find_crate(Path(path).resolve()) if path else None
        if crate is not None and self.trusted():
            self.flycheck(crate).restart()
            self.update_status()

    def request_check(self, doc: TrackedDocument | None) -> None:
        if doc is not None and doc.crate is not None and self.trusted():
            self.flycheck(doc.crate).restart()
            self.update_status()

    def trusted(self) -> bool:
        """Whether cargo may run here: it runs the crate's build scripts and procedural macros."""
        if not self.settings.trust:
            self.reporter.say("this workspace is not trusted (the trust setting is off), so sleepy runs no cargo "
                              "and offers no fixes here.", types.MessageType.Warning, once="untrusted")
            self.reporter.status("idle", "not trusted: no checks")
        return self.settings.trust

    def check_started(self, crate: CrateLocation, generation: int) -> dict[str, DocumentSnapshot]:
        """What the check is about to see: each open document of the workspace and its file on disk."""
        progress = self._check_progress.pop(crate.root, None)
        if progress is not None:
            progress.end("restarted")

        def cancel() -> None:
            self.flychecks[crate.root].cancel()
            self._check_progress.pop(crate.root, None)
            self.update_status()

        self._check_progress[crate.root] = self.progress("sleepy: cargo check", crate.name, on_cancel=cancel)
        self.reporter.status("checking", f"cargo check {crate.name}")
        return snapshot_of(self.documents, crate, lambda uri: self.workspace.get_text_document(uri).source)

    async def check_done(self, outcome: CheckOutcome) -> None:
        crate = outcome.crate
        progress = self._check_progress.pop(crate.root, None)
        problem = outcome.problem(self.check_timeout)
        if progress is not None:
            progress.end(problem or f"{sum(d.is_error for d in outcome.diagnostics)} errors")
        if problem:
            self.reporter.errors[str(crate.root)] = problem
            self.reporter.say(problem, types.MessageType.Error, popup=True, once=("check", crate.root, problem[:60]))
            self.update_status()
            return
        self.reporter.errors.pop(str(crate.root), None)
        self.reporter.recovered()
        log.info("cargo check %s: %d diagnostics in %.1f s", crate.name, len(outcome.diagnostics), outcome.seconds)
        grouped = convert.diagnostics_by_file(outcome.diagnostics, crate.workspace_root)
        self.crate_diagnostics[crate.root] = grouped
        before = CheckResult(outcome.diagnostics, outcome.seconds)
        snapshot: dict[str, DocumentSnapshot] = outcome.snapshot or {}
        for uri, seen in snapshot.items():
            doc = self.documents.get(uri)
            if doc is None:
                continue
            if doc.revision != seen.revision or not seen.matches_disk:
                log.info("%s: the check saw a text other than version %d; no fixes until it is saved",
                         doc.path.name, doc.version)
                continue
            self.refresh_fixes(doc, seen.text, grouped.get(str(doc.path), []), before, outcome.requested_at)
        self.publish(crate, grouped, snapshot)
        if self.fixer.champions_changed():
            self.reporter.say("the adapter registry's champions changed: reloading them.")
        self.update_status()

    def record(self, description: str, write: Callable[[Any], Any]) -> Any:
        """Write to the fix memory (Recorder.write); what teaches the memory (a fix accepted, rejected or
        written by hand) is learned at once, once written, so the next error of its kind gets it."""
        future = self.recorder.write(description, write)
        if description.startswith(TEACHING_WRITES):
            future.add_done_callback(lambda _: self.fixer.relearn())
        return future

    def refresh_fixes(self, doc: TrackedDocument, text: str, diagnostics: list[Diagnostic],
                      before: CheckResult, saved_at: float = 0.0) -> None:
        """Make the fix set of a document version from its errors, and start computing fixes."""
        errors = [d for d in diagnostics if d.is_error]
        self.hand_fixes.checked(doc.uri, doc.rel_path or doc.path.name, str(doc.path),
                                str(doc.crate.root) if doc.crate else "", text, errors)
        keys = [convert.diagnostic_key(d) for d in errors]
        current = self.fixsets.get(doc.uri)
        if current is not None and current.revision == doc.revision and current.text == text \
                and list(current.slots) == keys:
            return  # the same errors of the same text: keep the fixes already computed
        if current is not None:
            current.stop()
        self.offers.supersede(doc.uri, doc.revision, errors)
        index = convert.LineIndex.of(text)
        rel_path = doc.rel_path or ""
        slots = {key: FixSlot(key, d, convert.to_lsp_diagnostic(d, text, doc.uri, doc.crate.workspace_root,
                                                                 self.encoding, index),
                              rustc_fixes(d, rel_path, text, before.errors))
                 for key, d in zip(keys, errors)}
        now = time.monotonic()
        fixset = FixSet(doc.uri, doc.version, doc.revision, text, slots, started=now, saved_at=saved_at or now)
        self.fixsets[doc.uri] = fixset
        if slots and doc.rel_path:
            self.spawn(self.fixer.compute(doc, fixset, before))
        else:
            fixset.stop()

    def fixed(self, uri: str) -> None:
        """The text of a fix the user applied is in the editor: its errors are the ones the shadow found when it
        compiled that text, so they are published and fixed now rather than at the next save."""
        applied, doc = self.offers.applied.get(uri), self.documents.get(uri)
        if applied is None or applied.revision is not None or doc is None or doc.crate is None:
            return
        try:
            text = self.workspace.get_text_document(uri).source
        except (OSError, UnicodeDecodeError):
            return
        if text != applied.new_text:
            return  # the client applied something else, or has not applied it yet
        applied.revision = doc.revision
        if applied.after is None or not self.trusted():
            return
        grouped = convert.diagnostics_by_file(applied.after.diagnostics, doc.crate.workspace_root)
        self.crate_diagnostics[doc.crate.root] = grouped
        self.publish(doc.crate, grouped, {uri: DocumentSnapshot(doc.version, doc.revision, text, text)})
        self.refresh_fixes(doc, text, grouped.get(str(doc.path), []), applied.after)
        self.update_status()

    def checking(self, doc: TrackedDocument) -> bool:
        """Whether a check of the document's crate is waiting out its debounce or running."""
        flycheck = self.flychecks.get(doc.crate.root) if doc.crate else None
        return flycheck is not None and flycheck.running

    async def resolve_after_check(self, action: types.CodeAction) -> types.CodeAction:
        """Wait (bounded) for the check behind a "fixing…" action asked for before it found the errors, then
        for the fixes of the error on its lines."""
        data = action.data if isinstance(action.data, dict) else {}
        uri, lines = data.get("uri"), data.get("lines")
        if not isinstance(uri, str) or not (isinstance(lines, list) and len(lines) == 2
                                            and all(isinstance(n, int) for n in lines)):
            action.title = "sleepy: the file changed; ask for fixes again"
            return action
        end = time.monotonic() + RESOLVE_WAIT_SECONDS
        while True:
            doc = self.documents.get(uri)
            if doc is None or doc.revision != data.get("revision"):
                action.title = "sleepy: the file changed; ask for fixes again"
                return action
            fixset = self.current_fixset(uri)
            if fixset is not None:
                wanted = types.Range(types.Position(lines[0], 0), types.Position(lines[1], 1 << 20))
                slot = next((s for s in fixset.slots.values() if convert.request_covers(wanted, s.lsp.range)), None)
                if slot is None:
                    action.title = "sleepy: the check found no error here"
                    return action
                action.data = {**data, "key": slot.key, "version": fixset.version}
                return await self.offers.resolve(action, doc, fixset, lambda: self.current_fixset(uri) is fixset,
                                                 self.encoding)
            if not self.checking(doc):
                action.title = "sleepy: the check did not see this text; save the file and ask again"
                return action
            if time.monotonic() > end:
                action.title = "sleepy: still checking; try again in a moment"
                return action
            await asyncio.sleep(0.1)

    def forget_fixes(self, uri: str) -> None:
        fixset = self.fixsets.pop(uri, None)
        if fixset is not None:
            fixset.stop()

    def current_fixset(self, uri: str) -> FixSet | None:
        """The fix set of the document's current text, or None when there is none or it is stale."""
        fixset = self.fixsets.get(uri)
        doc = self.documents.get(uri)
        if fixset is None or doc is None or fixset.revision != doc.revision or fixset.version != doc.version:
            return None
        return fixset

    def publish(self, crate: CrateLocation, grouped: dict[str, list[Diagnostic]],
                snapshot: dict[str, DocumentSnapshot]) -> None:
        self.publisher.publish(crate, grouped, snapshot, self.documents, self.settings.publish_diagnostics,
                               self.encoding)

    def stop_everything(self) -> None:
        """Cancel every check and fix computation; their cargo process groups are killed within 0.1 s."""
        self.reporter.closing = True
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
            self.recorder.drain(5)
            self.recorder.close()
        except Exception:
            log.warning("fix-memory writes were still queued at exit", exc_info=True)
        time.sleep(0.2)  # lets the cargo runners see the cancel and kill their process groups
        log.info("sleepy-lsp exits (%d)", code)
        logging.shutdown()
        os._exit(code)
