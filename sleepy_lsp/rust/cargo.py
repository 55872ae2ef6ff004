"""Running cargo on code we do not trust: a timeout, a process group we can kill, JSON output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import CargoNotFound
from .diagnostics import Diagnostic, parse_cargo_messages


@dataclass
class CargoRun:
    """What one cargo invocation produced."""

    returncode: int | None  # None when it was killed (timeout or cancel)
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False
    cancelled: bool = False

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return parse_cargo_messages(self.stdout.splitlines())


def find_cargo(cargo: str = "cargo") -> str:
    """The absolute path of cargo, or CargoNotFound with what to do."""
    path = shutil.which(cargo)
    if path is None:
        raise CargoNotFound(cargo)
    return path


def run_cargo(
    args: list[str],
    cwd: Path,
    target_dir: Path,
    timeout: float,
    cargo: str = "cargo",
    cancel: threading.Event | None = None,
) -> CargoRun:
    """Run `cargo ARGS` in cwd; kill its whole process group on timeout or cancel.

    cargo starts rustc and, under `cargo test`, the test binary: killing only
    cargo would leave those running, hence a new session and killpg.
    """
    command = [find_cargo(cargo), *args]
    env = {**os.environ, "CARGO_TARGET_DIR": str(target_dir), "CARGO_TERM_COLOR": "never"}
    started = time.monotonic()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    timed_out = cancelled = False
    deadline = started + timeout
    while True:
        try:
            stdout, stderr = proc.communicate(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            cancelled = cancel is not None and cancel.is_set()
            timed_out = time.monotonic() > deadline
            if cancelled or timed_out:
                _kill_group(proc)
                stdout, stderr = proc.communicate()
                break
    return CargoRun(
        returncode=None if (timed_out or cancelled) else proc.returncode,
        stdout=stdout,
        stderr=stderr,
        seconds=time.monotonic() - started,
        timed_out=timed_out,
        cancelled=cancelled,
    )


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
