"""Shadow crates: scratch copies of a crate where candidate code is built, never the user's files.

Each shadow gets a cargo target dir from a pool so that repeated checks of the
same crate are incremental while concurrent checks never wait on one another's
build-directory lock.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from .cargo import CargoRun, run_cargo
from .diagnostics import Diagnostic, errors

# Folders never copied into a shadow: build output and VCS data are large and irrelevant.
_SKIP_DIRS = {"target", ".git", ".hg", ".svn", "node_modules"}


class TargetPool:
    """A fixed set of cargo target dirs handed out one per concurrent user."""

    def __init__(self, root: Path, size: int) -> None:
        self.root = Path(root)
        self._free: queue.Queue[Path] = queue.Queue()
        for i in range(max(1, size)):
            slot = self.root / f"slot-{i}"
            slot.mkdir(parents=True, exist_ok=True)
            self._free.put(slot)

    @contextmanager
    def slot(self) -> Iterator[Path]:
        target = self._free.get()
        try:
            yield target
        finally:
            self._free.put(target)


@dataclass
class CheckResult:
    """The outcome of `cargo check` on a shadow."""

    diagnostics: list[Diagnostic]
    seconds: float
    timed_out: bool = False
    cancelled: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return errors(self.diagnostics)

    @property
    def ok(self) -> bool:
        return not (self.timed_out or self.cancelled) and not self.errors


@dataclass
class ShadowCrate:
    """A scratch crate folder plus the target dir it builds into.

    `member` is the crate cargo runs in, relative to the root (a workspace's
    member, so a shadow check sees what the check of the real crate saw), and
    `extra_args` the user's extra `cargo check` arguments.
    """

    root: Path
    target_dir: Path
    timeout: float = 120.0
    cargo: str = "cargo"
    member: str = ""
    extra_args: tuple[str, ...] = ()
    _texts: dict[str, str] = field(default_factory=dict)

    def write(self, rel_path: str, text: str) -> None:
        """Replace one file; skipped when unchanged so cargo's fingerprints stay valid."""
        if self._texts.get(rel_path) == text:
            return
        path = self.root / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self._texts[rel_path] = text

    def check(self, cancel: threading.Event | None = None, extra_args: list[str] | None = None) -> CheckResult:
        run = self._cargo(["check", "--message-format=json", *self.extra_args, *(extra_args or [])], cancel)
        return CheckResult(run.diagnostics, run.seconds, run.timed_out, run.cancelled)

    def test(self, cancel: threading.Event | None = None) -> CargoRun:
        return self._cargo(["test", "--quiet", "--message-format=json"], cancel)

    def _cargo(self, args: list[str], cancel: threading.Event | None) -> CargoRun:
        return run_cargo(
            [*args[:1], "--offline", *args[1:]],
            cwd=self.root / self.member,
            target_dir=self.target_dir,
            timeout=self.timeout,
            cargo=self.cargo,
            cancel=cancel,
        )


@contextmanager
def shadow_of_files(
    files: dict[str, str], target_dir: Path, timeout: float = 120.0, cargo: str = "cargo"
) -> Iterator[ShadowCrate]:
    """A shadow made of the given files (relative path -> text); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sleepy-shadow-") as tmp:
        shadow = ShadowCrate(Path(tmp), Path(target_dir), timeout, cargo)
        for rel, text in files.items():
            shadow.write(rel, text)
        yield shadow


@contextmanager
def shadow_of_dir(
    crate_root: Path, target_dir: Path, timeout: float = 120.0, cargo: str = "cargo",
    member: Path | None = None, extra_args: Sequence[str] = (),
) -> Iterator[ShadowCrate]:
    """A shadow copy of a crate (or workspace) folder on disk, without its build output; removed afterwards.

    member: the crate inside it that cargo runs in (default: the folder itself).
    """
    with tempfile.TemporaryDirectory(prefix="sleepy-shadow-") as tmp:
        root = Path(tmp) / "crate"
        shutil.copytree(crate_root, root, ignore=lambda _d, names: [n for n in names if n in _SKIP_DIRS])
        inside = Path(member).relative_to(crate_root).as_posix() if member else ""
        yield ShadowCrate(root, Path(target_dir), timeout, cargo, "" if inside == "." else inside, tuple(extra_args))
