"""Running cargo on code we do not trust: a timeout, everything it starts killed at the end, JSON output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..errors import CargoNotFound
from .diagnostics import Diagnostic, parse_cargo_messages

# Set in the environment of everything a cargo run starts, so what escapes its process group is found.
RUN_MARKER = "SLEEPY_CARGO_RUN"


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
    """Run `cargo ARGS` in cwd; on timeout or cancel kill everything it started, and return at once.

    cargo starts rustc, build scripts and, under `cargo test`, the test binary,
    which may start processes of its own in a new session (`setsid`) that keep
    running and keep a pipe open. So the output goes to files, not pipes (no
    waiting for an end of file), and every process that carries this run's
    marker in its environment is killed, not only cargo's process group.
    """
    marker = uuid.uuid4().hex
    env = {**os.environ, "CARGO_TARGET_DIR": str(target_dir), "CARGO_TERM_COLOR": "never", RUN_MARKER: marker}
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([find_cargo(cargo), *args], cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        timed_out = cancelled = False
        deadline = started + timeout
        while True:
            try:
                proc.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                cancelled = cancel is not None and cancel.is_set()
                timed_out = time.monotonic() > deadline
                if cancelled or timed_out:
                    break
        _kill_run(proc, marker)  # whatever it left behind dies with it, finished or not
        stdout, stderr = _read(out), _read(err)
    return CargoRun(
        returncode=None if (timed_out or cancelled) else proc.returncode,
        stdout=stdout,
        stderr=stderr,
        seconds=time.monotonic() - started,
        timed_out=timed_out,
        cancelled=cancelled,
    )


def _read(handle) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def _kill_run(proc: subprocess.Popen, marker: str) -> None:
    """Kill cargo's process group, then every process that still carries the run's marker."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for _ in range(3):  # a process may fork while the others are killed
        found = _marked(marker)
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if not found:
            break
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def _marked(marker: str) -> list[int]:
    """The processes whose environment holds this run's marker (read from /proc, where there is one)."""
    needle = f"{RUN_MARKER}={marker}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found
