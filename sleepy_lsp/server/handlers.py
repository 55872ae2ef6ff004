"""The LSP methods sleepy-lsp answers, each a small function that hands the work to the session.

`build_server` registers them on a SleepyServer; pygls calls them on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from .. import __version__
from . import lsp_convert as convert
from .flycheck import CHECK_TIMEOUT_SECONDS, DEBOUNCE_SECONDS
from .server import SleepyServer

log = logging.getLogger("sleepy_lsp.server")


def initialize(ls: SleepyServer, params: types.InitializeParams) -> None:
    ls.loop = asyncio.get_running_loop()
    ls.reporter.say(f"sleepy-lsp {__version__} (cache {ls.cache_dir})")
    ls.apply_settings(params.initialization_options, "initializationOptions")


def initialized(ls: SleepyServer, params: types.InitializedParams) -> None:
    ls.update_status()


def did_open(ls: SleepyServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    ls.request_check(ls.open_document(item.uri, item.version))


def did_save(ls: SleepyServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.documents:
        ls.request_check(ls.documents[uri])
    else:  # a file the client never opened changed its crate: check it, offer fixes only in open ones
        ls.check_crate_of(uri)


def did_change(ls: SleepyServer, params: types.DidChangeTextDocumentParams) -> None:
    uri, version = params.text_document.uri, params.text_document.version
    doc = ls.documents.get(uri)
    if doc is None:
        return
    if version is not None and version <= doc.version:
        ls.reporter.say(f"{doc.path.name}: change to version {version} arrived after version {doc.version}; "
               "fixes wait for the next check.", types.MessageType.Warning)
    doc.version = version if version is not None else doc.version + 1
    doc.revision += 1
    ls.hand_fixes.changed(uri)
    fixset = ls.fixsets.get(uri)
    if fixset is not None:
        fixset.stop()  # its fixes are for a text that is gone; the offers become ignored at the next check
    ls.fixed(uri)  # a client may send the edit of a fix it applied after running its accept command
    ls.update_status()


def did_close(ls: SleepyServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.documents.pop(uri, None)
    ls.forget_fixes(uri)
    ls.hand_fixes.closed(uri)
    ls.offers.supersede(uri, None, [], note="the file was closed")
    ls.update_status()


def did_change_configuration(ls: SleepyServer, params: types.DidChangeConfigurationParams) -> None:
    ls.apply_settings(params.settings, "workspace/didChangeConfiguration")


def code_action(ls: SleepyServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    only = [str(getattr(kind, "value", kind)) for kind in params.context.only or []]
    if only and not any(types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only):
        return []  # the client asked for other kinds (refactorings, source actions)
    uri = params.text_document.uri
    doc = ls.documents.get(uri)
    if doc is None:
        return []
    actions = []
    fixset = ls.current_fixset(uri)
    if fixset is not None:
        for slot in fixset.slots.values():
            if convert.request_covers(params.range, slot.lsp.range) or any(
                    convert.client_diagnostic_matches(c, slot.lsp) for c in params.context.diagnostics):
                actions.extend(ls.offers.actions(doc, fixset, slot, ls.encoding))
    elif ls.checking(doc) and _error_here(ls, uri, params):
        # Between a save and the check's errors: the fixes for this place are on their way.
        lines = (params.range.start.line, params.range.end.line)
        actions.append(convert.pending_action(uri, doc.version, doc.revision, None, [], lines))
    actions.extend(ls.offers.take_back_actions(uri, doc.revision, params.range))
    return actions


def _error_here(ls: SleepyServer, uri: str, params: types.CodeActionParams) -> bool:
    """Whether the request is about an error: one the client shows there (rust-analyzer's, or ours), or one
    the last check found on these lines."""
    if any(d.severity in (None, types.DiagnosticSeverity.Error) and convert.request_covers(params.range, d.range)
           for d in params.context.diagnostics):
        return True
    previous = ls.fixsets.get(uri)
    return previous is not None and any(convert.request_covers(params.range, slot.lsp.range)
                                        for slot in previous.slots.values())


async def code_action_resolve(ls: SleepyServer, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    if action.edit is not None or not data:
        return action  # nothing to fill in
    if data.get("key") is None:
        return await ls.resolve_after_check(action)
    uri = data.get("uri") if isinstance(data.get("uri"), str) else ""
    fixset = ls.current_fixset(uri)
    return await ls.offers.resolve(action, ls.documents.get(uri), fixset,
                                   lambda: ls.current_fixset(uri) is fixset, ls.encoding)


def _fix_id(args: tuple[Any, ...], command: str) -> str | None:
    if args and isinstance(args[0], str) and args[0]:
        return args[0]
    log.warning("%s needs a fix id as its argument, got %r", command, args)
    return None


async def _written(write: Future) -> None:
    """Wait for a fix-memory write; a cancelled request (shutdown cancels the pending ones) must not cancel
    the write itself, which asyncio.wrap_future would pass on to a write still queued."""
    await asyncio.shield(asyncio.wrap_future(write))


async def accept_fix(ls: SleepyServer, *args: Any) -> None:
    """The client applied a fix: answered once the acceptance is written, so none is lost to a kill."""
    if (fix_id := _fix_id(args, convert.ACCEPT)) is not None:
        try:
            written = ls.offers.accept(fix_id)
        except ValueError as exc:
            raise JsonRpcInvalidParams(str(exc)) from None
        uri = ls.offers.offered[fix_id].uri
        ls.hand_fixes.applied_fix(uri)
        ls.fixed(uri)
        await _written(written)


async def reject_fix(ls: SleepyServer, *args: Any) -> str | None:
    """The user says one fix is wrong: an offer, or a fix applied (taken back); a sentence naming it."""
    if (fix_id := _fix_id(args, convert.REJECT)) is None:
        return None
    try:
        answer, written = ls.offers.reject(fix_id)
    except ValueError as exc:
        raise JsonRpcInvalidParams(str(exc)) from None
    ls.reporter.say(f"{answer}.")
    if written is not None:
        await _written(written)
    return answer


async def reject_last(ls: SleepyServer, *args: Any) -> str:
    answer, written = ls.offers.take_back_last()
    ls.reporter.say(f"{answer}.", types.MessageType.Info if written is not None else types.MessageType.Warning)
    if written is not None:
        await _written(written)
    return answer


def shutdown(ls: SleepyServer, params: None) -> None:
    ls.stop_everything()


def exit(ls: SleepyServer, params: None) -> None:  # noqa: A001 - the LSP method's name
    ls.terminate(0 if ls.reporter.closing else 1)


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
