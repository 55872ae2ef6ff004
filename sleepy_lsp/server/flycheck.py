"""The background `cargo check` of one crate, as rust-analyzer's flycheck runs it.

A Flycheck is a handle with `restart` and `cancel`. A restart waits a short
debounce (so a burst of saves makes one check), kills the check already
running, and numbers the new one with a generation; a result whose generation
is no longer the latest is dropped, so a slow old check can never overwrite a
newer one. cargo runs in a worker thread with a timeout and its whole process
group is killed on cancel or timeout; output that is not JSON is skipped.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

from ..errors import SleepyError
from ..rust.cargo import run_cargo
from ..rust.crates import CrateLocation
from ..rust.diagnostics import Diagnostic

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.3
# What cargo says when --offline keeps it from getting a dependency it does not have.
OFFLINE_FAILURE = re.compile(r"--offline|attempting to make an HTTP request|failed to download|no matching package")
CHECK_TIMEOUT_SECONDS = 300.0


@dataclass
class CheckOutcome:
    """What one finished check produced; `snapshot` is what on_start returned when cargo started."""

    generation: int
    crate: CrateLocation
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    returncode: int | None = None
    timed_out: bool = False
    stderr: str = ""
    error: str | None = None  # cargo could not be started at all
    snapshot: Any = None
    requested_at: float = 0.0  # when the check was asked for (the save; time.monotonic)

    @property
    def failed(self) -> bool:
        """cargo broke without telling us why in JSON (a bad manifest, garbage output, a crash)."""
        if self.error or self.timed_out:
            return True
        return self.returncode not in (0, None) and not any(d.is_error for d in self.diagnostics)

    def problem(self, timeout: float) -> str | None:
        """One sentence about what went wrong, or None for a check that ran (with or without errors)."""
        if self.error:
            return self.error
        if self.timed_out:
            return (f"cargo check in {self.crate.root} ran longer than {timeout:g} s and was stopped: "
                    "check the crate builds from a terminal, or raise the timeout with --check-timeout.")
        if self.failed and OFFLINE_FAILURE.search(self.stderr):
            return (f"the dependencies of {self.crate.root} are not on this machine and sleepy's cargo check does not "
                    "fetch them: run `cargo fetch` there once, or turn on the cargo.allowFetch setting.")
        if self.failed:
            tail = " ".join(self.stderr.strip().splitlines()[-3:])[:400] or f"exit status {self.returncode}"
            return f"cargo check in {self.crate.root} failed without reporting diagnostics: {tail}"
        return None


class Flycheck:
    """The background check of one crate: debounced, restartable, cancellable, stale results dropped.

    Args:
        crate: the crate to check (cargo runs in its root).
        target_dir: the cargo target dir of this server.
        on_done: awaited on the event loop with each outcome that is still the latest.
        on_start: called on the event loop just before cargo starts; its value rides along as
            the outcome's snapshot (the server records which document versions the check saw).
        on_error: called with an exception either callback raised; the next restart checks again.
    """

    def __init__(self, crate: CrateLocation, target_dir: Path,
                 on_done: Callable[[CheckOutcome], Awaitable[None]],
                 on_start: Callable[[int], Any] | None = None,
                 on_error: Callable[[BaseException], None] | None = None,
                 debounce: float = DEBOUNCE_SECONDS, timeout: float = CHECK_TIMEOUT_SECONDS,
                 cargo: str = "cargo", extra_args: list[str] | None = None, offline: bool = True) -> None:
        self.crate = crate
        self.target_dir = target_dir
        self.on_done = on_done
        self.on_start = on_start
        self.on_error = on_error or (lambda exc: log.error("the check of %s failed", crate.root, exc_info=exc))
        self.debounce = debounce
        self.timeout = timeout
        self.cargo = cargo
        self.extra_args = list(extra_args or [])
        self.offline = offline  # nothing is fetched from a registry unless the user's setting allows it
        self.generation = 0
        self._task: asyncio.Task | None = None
        self._cancel = threading.Event()
        self._busy = False

    @property
    def running(self) -> bool:
        """A check is waiting out its debounce or running (false while its result is handled)."""
        return self._busy

    def restart(self) -> int:
        """Start a new check after the debounce, stopping the one pending or running; its generation."""
        self._stop()
        self.generation += 1
        self._busy = True
        self._cancel = threading.Event()
        self._task = asyncio.get_running_loop().create_task(
            self._run(self.generation, self._cancel, time.monotonic()))
        return self.generation

    def cancel(self) -> None:
        """Stop the pending or running check; its result, should one still arrive, is dropped."""
        self._stop()
        self.generation += 1
        self._busy = False

    def _stop(self) -> None:
        self._cancel.set()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def command(self) -> list[str]:
        offline = ["--offline"] if self.offline else []
        return ["check", *offline, "--message-format=json", "--target-dir", str(self.target_dir), *self.extra_args]

    async def _run(self, generation: int, cancel: threading.Event, requested_at: float) -> None:
        try:
            await asyncio.sleep(self.debounce)
            if generation != self.generation:
                return
            snapshot = self.on_start(generation) if self.on_start else None
            outcome = await asyncio.to_thread(self._check, generation, cancel)
            outcome.snapshot = snapshot
            outcome.requested_at = requested_at
            if generation != self.generation or cancel.is_set():
                log.debug("dropping stale check %d of %s", generation, self.crate.root)
                return
            self._busy = False
            await self.on_done(outcome)
        except Exception as exc:  # a failing callback must not leave the crate "checking" for good
            self.on_error(exc)
        finally:
            if generation == self.generation:
                self._busy = False

    def _check(self, generation: int, cancel: threading.Event) -> CheckOutcome:
        """Run cargo in this worker thread; never raises."""
        started = time.monotonic()
        outcome = CheckOutcome(generation, self.crate)
        try:
            self.target_dir.mkdir(parents=True, exist_ok=True)
            run = run_cargo(self.command(), cwd=self.crate.root, target_dir=self.target_dir,
                            timeout=self.timeout, cargo=self.cargo, cancel=cancel)
        except SleepyError as exc:
            outcome.error = str(exc)
        except OSError as exc:
            outcome.error = f"cargo check in {self.crate.root} could not start ({exc}): check the cargo path setting."
        else:
            outcome.diagnostics = run.diagnostics
            outcome.returncode = run.returncode
            outcome.timed_out = run.timed_out
            outcome.stderr = run.stderr[-4000:]
        outcome.seconds = time.monotonic() - started
        return outcome
