"""What the server tells its user: log lines, popups (only what the user can act on, each once), the
`sleepy/status` notification, and failures of its background work.

One channel per line: the server's log lines reach the client's LSP log as
`window/logMessage` at their level (ClientLog); stderr, which editors show as
errors whatever it says, keeps only what could not be sent (before the session
starts, after it ends) and is worth a warning. A `--log-file` keeps everything.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ..errors import SleepyError
from .documents import FixSet

log = logging.getLogger("sleepy_lsp.server")

STATUS = "sleepy/status"
_LEVELS = {types.MessageType.Error: logging.ERROR, types.MessageType.Warning: logging.WARNING}
SENT = "sleepy_sent"  # set on a log record ClientLog sent to the client


def message_type(level: int) -> types.MessageType:
    """The LSP message type of a logging level."""
    if level >= logging.ERROR:
        return types.MessageType.Error
    if level >= logging.WARNING:
        return types.MessageType.Warning
    return types.MessageType.Info if level >= logging.INFO else types.MessageType.Log


class ClientLog(logging.Handler):
    """Sends the server's log records (INFO and up) to the client as window/logMessage, at their level.

    Records from worker threads are sent on the event loop; a record that cannot be sent (no session
    yet, or after shutdown) is left unmarked for the stderr handler, which takes only unmarked ones.

    Args:
        server: the language server whose client is told (its `loop` and `reporter` are read per record).
    """

    def __init__(self, server: Any, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.server = server
        self.setFormatter(logging.Formatter("sleepy: %(message)s"))
        self._sending = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        loop = getattr(self.server, "loop", None)
        if getattr(self._sending, "busy", False) or loop is None or loop.is_closed() \
                or self.server.reporter.closing:
            return
        try:
            params = types.LogMessageParams(type=message_type(record.levelno), message=self.format(record))
        except Exception:
            self.handleError(record)
            return
        setattr(record, SENT, True)
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            self._send(params)
        else:
            loop.call_soon_threadsafe(self._send, params)

    def _send(self, params: types.LogMessageParams) -> None:
        self._sending.busy = True
        try:
            self.server.window_log_message(params)
        except Exception:  # the connection is gone: nothing more to tell
            pass
        finally:
            self._sending.busy = False


def unsent(record: logging.LogRecord) -> bool:
    """A filter for the stderr handler: only what ClientLog did not send."""
    return not getattr(record, SENT, False)


class Reporter:
    """Messages and status for one client connection.

    Args:
        connection: the language server whose client is told.
    """

    def __init__(self, connection: LanguageServer) -> None:
        self.connection = connection
        self.closing = False  # after shutdown: nothing more is sent to the client
        self.errors: dict[str, str] = {}  # a crate root -> why its last check failed
        self.failures: dict[str, str] = {}  # a component -> what failed in it since the last good check
        self._reported: set[Any] = set()
        self._status: tuple[str, str] = ("idle", "")

    def say(self, message: str, level: types.MessageType = types.MessageType.Info,
            popup: bool = False, once: Any = None) -> None:
        """Log a message, which reaches the client's log through ClientLog (once per `once` key when given);
        a popup is only for what the user must act on, and never repeats."""
        if once is not None:
            if once in self._reported:
                log.debug("%s (said before)", message)
                return
            self._reported.add(once)
        log.log(_LEVELS.get(level, logging.INFO), "%s", message)
        if self.closing or not popup:
            return
        try:
            self.connection.window_show_message(types.ShowMessageParams(type=level, message=f"sleepy: {message}"))
        except Exception:  # no client connected (yet): the log has it
            log.debug("could not send a message to the client", exc_info=True)

    def warn_once(self, message: str, once: Any) -> None:
        """A warning the user can act on: a popup, once per key."""
        self.say(message, types.MessageType.Warning, popup=True, once=once)

    def status(self, state: str, message: str = "") -> None:
        """Send `sleepy/status` when it changes: checking, fixing, idle or error."""
        if (state, message) == self._status or self.closing:
            return
        self._status = (state, message)
        try:
            self.connection.protocol.notify(STATUS, {"state": state, "message": message})
        except Exception:
            log.debug("could not send status", exc_info=True)

    def failure(self, kind: str, exc: BaseException) -> None:
        """A component failed: logged with its traceback and shown in the status until the next good check;
        a popup (once per kind) only for a problem the user can act on, which a SleepyError says."""
        log.error("%s failed", kind, exc_info=exc)
        actionable = isinstance(exc, SleepyError)
        text = str(exc) if actionable else f"{type(exc).__name__}: {exc}"
        self.failures[kind] = f"the {kind} failed: {text}"
        self.say(f"the {kind} failed ({text}); sleepy keeps serving, details are in its log.",
                 types.MessageType.Error, popup=actionable, once=("failure", kind))

    def recovered(self, kind: str | None = None) -> None:
        """A component works again (all of them after a good check): its failure leaves the status."""
        if kind is None:
            self.failures.clear()
        else:
            self.failures.pop(kind, None)


def status_of(checking: bool, fixsets: list[FixSet], errors: list[str]) -> tuple[str, str]:
    """The session's status in a word and a phrase: checking, fixing, error (the latest), or idle."""
    if checking:
        return "checking", "cargo check"
    if any(s.testing and not s.computing for s in fixsets):
        return "fixing", "running the tests on the fixes"
    if any(s.computing for s in fixsets):
        waiting = sum(1 for s in fixsets for slot in s.slots.values() if slot.state == "pending")
        return "fixing", f"fixing {waiting} error{'s' if waiting != 1 else ''}"
    if errors:
        return "error", errors[-1]
    count = sum(len(s.slots) for s in fixsets)
    ready = sum(1 for s in fixsets for slot in s.slots.values() if any(f.verified for f in slot.fixes))
    return "idle", f"{count} error{'s' if count != 1 else ''}, {ready} with a verified fix"
