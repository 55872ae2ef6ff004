"""`$/progress` work-done reports for the client, silent where it does not support them."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any, Callable, Coroutine

from lsprotocol import types
from pygls.progress import Progress as WorkDoneProgress

log = logging.getLogger(__name__)


class Progress:
    """One `$/progress` work-done report.

    Args:
        work: the connection's work-done progress (pygls).
        spawn: runs a coroutine in the background on the event loop.
        supported: whether the client takes work-done progress at all.
        title: what the work is.
        message: more about it.
        on_cancel: called when the user cancels it in the client (the report is then cancellable).
    """

    def __init__(self, work: WorkDoneProgress, spawn: Callable[[Coroutine], Any], supported: bool, title: str,
                 message: str | None = None, on_cancel: Callable[[], None] | None = None) -> None:
        self.work = work
        self.spawn = spawn
        self.token = f"sleepy-{uuid.uuid4()}"
        self.on_cancel = on_cancel
        self._ready = spawn(self._begin(supported, title, message))

    async def _begin(self, supported: bool, title: str, message: str | None) -> bool:
        if not supported:
            return False
        try:
            await asyncio.wait_for(self.work.create_async(self.token), timeout=10)
        except Exception as exc:  # an old client, or one that refuses: progress is optional
            log.debug("no work-done progress: %s", exc)
            return False
        self.work.begin(self.token, types.WorkDoneProgressBegin(
            title=title, message=message, cancellable=self.on_cancel is not None))
        future = self.work.tokens.get(self.token)
        if future is not None and self.on_cancel is not None:
            future.add_done_callback(lambda f: self.on_cancel() if f.cancelled() else None)
        return True

    def end(self, message: str | None = None) -> None:
        async def send() -> None:
            if await self._ready:
                self.work.end(self.token, types.WorkDoneProgressEnd(message=message))
                self.work.tokens.pop(self.token, None)
        self.spawn(send())
