"""The server's fix memory: opened, written and closed in one thread of its own, in order.

SQLite writes may wait on a lock (another sleepy process) and must never stall
the event loop, so every write is queued here. A database that cannot be used
means serving without recording: fixes are still offered.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from ..memory.store import FixMemory, StoreError

log = logging.getLogger(__name__)


class Recorder:
    """The fix memory of a server session.

    Args:
        warn: called (from the store's thread) with a sentence for the user and a key to say it once by.
        fail: called (from the store's thread) with a component's name and an unexpected exception.
        opened: called (from the store's thread) once a new fix memory is in place.
    """

    def __init__(self, warn: Callable[[str, Any], None], fail: Callable[[str, BaseException], None],
                 opened: Callable[[], None]) -> None:
        self.warn = warn
        self.fail = fail
        self.opened = opened
        self.memory: FixMemory | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="sleepy-store")
        self._wanted: tuple[str, bool] | None = None  # the database and switch last asked for, until it fails

    def open(self, database_path: str, enabled: bool) -> None:
        """(Re)open the fix memory; a bad database means serving without recording.

        Idempotent: asking again for the memory already open (or being opened) does nothing, however soon
        after the first ask (settings arrive with initialize and again with didChangeConfiguration); a memory
        that failed to open is tried again.
        """
        wanted = (database_path, enabled)
        if wanted == self._wanted:
            return
        self._wanted = wanted

        def work() -> None:
            try:
                memory = FixMemory.open(database_path or None, enabled=enabled)
            except StoreError as exc:
                memory = None
                self._forget(wanted)
                self.warn(f"{exc} Until then fixes are offered but not recorded.", ("store", str(exc)))
            except Exception as exc:
                memory = None
                self._forget(wanted)
                self.fail("fix memory", exc)
            previous, self.memory = self.memory, memory
            if previous is not None and previous is not memory:
                previous.close()
            if memory is not None:
                log.info("fix memory at %s (%s)", memory.path, "recording" if memory.enabled else "telemetry off")
            self.opened()

        self._pool.submit(work)

    def _forget(self, wanted: tuple[str, bool]) -> None:
        if self._wanted == wanted:
            self._wanted = None

    def write(self, description: str, write: Callable[[FixMemory], Any]) -> Future:
        """Write to the fix memory after every write queued before; a failure is reported once.

        The future is done once the write is committed (or failed, or skipped with no memory):
        what the server acknowledges is on disk first.
        """
        def work() -> None:
            memory = self.memory
            if memory is None:
                return
            try:
                log.debug("%s -> %s", description, write(memory))
            except StoreError as exc:
                self.warn(f"{exc} Fixes are still offered; what happens to them is not recorded.", "store-write")
            except Exception as exc:
                self.fail("fix memory", exc)

        return self._pool.submit(work)

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until the queued writes are done (tests and shutdown)."""
        self._pool.submit(lambda: None).result(timeout)

    def close(self) -> None:
        if self.memory is not None:
            self.memory.close()
