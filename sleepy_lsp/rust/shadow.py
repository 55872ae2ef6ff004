"""Shadow crates: copies of a crate where candidate code is built, never the user's files.

A ShadowPool keeps a few copies of one workspace, each with its own cargo
target dir, handed out one per concurrent user: repeated checks of the same
crate stay incremental (build scripts do not run again) and concurrent checks
never wait on one another's build-directory lock. A copy is brought up to date
with the workspace before each use, changed files only; symbolic links stay
links and are never followed, so a link loop or a link to a huge folder costs
nothing. Koan crates are built in fresh private scratch folders instead.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from .cargo import CargoRun, run_cargo
from .diagnostics import Diagnostic, errors
from .scratch import private_dir, scratch_dir

# Folders never copied into a shadow: build output and VCS data are large and irrelevant.
_SKIP_DIRS = {"target", ".git", ".hg", ".svn", "node_modules"}


class TargetPool:
    """A fixed set of private work folders handed out one per concurrent user."""

    def __init__(self, root: Path, size: int) -> None:
        self.root = private_dir(Path(root))
        self._free: queue.Queue[Path] = queue.Queue()
        for i in range(max(1, size)):
            self._free.put(private_dir(self.root / f"slot-{i}"))

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

    @property
    def written(self) -> set[str]:
        """The files this shadow changed (relative paths)."""
        return set(self._texts)

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

    def run_tests(self, budget: float, cancel: threading.Event | None = None) -> CargoRun:
        """Every test of the package, each reported by name, within `budget` seconds."""
        return self._cargo(["test", "--no-fail-fast", "--message-format=json", *self.extra_args], cancel, budget)

    def _cargo(self, args: list[str], cancel: threading.Event | None, timeout: float | None = None) -> CargoRun:
        return run_cargo(
            [*args[:1], "--offline", *args[1:]],
            cwd=self.root / self.member,
            target_dir=self.target_dir,
            timeout=timeout or self.timeout,
            cargo=self.cargo,
            cancel=cancel,
        )


@contextmanager
def shadow_of_files(
    files: dict[str, str], target_dir: Path, timeout: float = 120.0, cargo: str = "cargo"
) -> Iterator[ShadowCrate]:
    """A shadow made of the given files (relative path -> text), in a private scratch folder; removed afterwards."""
    with scratch_dir("shadow") as folder:
        shadow = ShadowCrate(folder, Path(target_dir), timeout, cargo)
        for rel, text in files.items():
            shadow.write(rel, text)
        yield shadow


class ShadowPool:
    """Kept copies of one workspace, each with its own target dir, up to date at each use.

    Args:
        workspace: the workspace (or crate) folder on disk.
        root: a private folder for the copies and their target dirs.
        size: how many copies (concurrent users).
    """

    def __init__(self, workspace: Path, root: Path, size: int) -> None:
        self.workspace = Path(workspace)
        self.slots = TargetPool(root, size)
        self._synced: dict[Path, dict[str, tuple[int, int]]] = {}  # slot -> rel path -> (size, mtime) copied

    @contextmanager
    def shadow(self, timeout: float = 120.0, cargo: str = "cargo", member: Path | None = None,
               extra_args: Sequence[str] = ()) -> Iterator[ShadowCrate]:
        """A copy of the workspace to build in, held until the block ends.

        member: the crate inside the workspace that cargo runs in (default: the workspace itself).
        """
        with self.slots.slot() as slot:
            copy = slot / "crate"
            synced = self._synced.setdefault(slot, {})
            sync_copy(self.workspace, copy, synced)
            inside = Path(member).relative_to(self.workspace).as_posix() if member else "."
            shadow = ShadowCrate(copy, slot / "target", timeout, cargo, "" if inside == "." else inside,
                                 tuple(extra_args))
            try:
                yield shadow
            finally:
                for rel in shadow.written:  # what a candidate wrote is restored (or removed) at the next use
                    synced[rel] = (-1, -1)


def sync_copy(source: Path, copy: Path, synced: dict[str, tuple[int, int]]) -> None:
    """Bring copy up to date with source: files changed since the last sync are copied (with a new
    modification time, so cargo sees them change), files gone are removed, links are copied as links.

    Args:
        source: the folder to mirror.
        copy: the mirror.
        synced: rel path -> (size, mtime_ns) of the source file when last copied; updated here.
    """
    seen: set[str] = set()
    for folder, dirs, files in os.walk(source):  # never follows links
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS]
        here = Path(folder)
        rel_folder = here.relative_to(source)
        (copy / rel_folder).mkdir(parents=True, exist_ok=True)
        for name in files + [d for d in dirs if (here / d).is_symlink()]:
            path = here / name
            rel = (rel_folder / name).as_posix()
            seen.add(rel)
            info = path.lstat()
            stamp = (info.st_size, info.st_mtime_ns)
            if synced.get(rel) == stamp and (copy / rel).exists():
                continue
            _replace(path, copy / rel, source)
            synced[rel] = stamp
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    for rel in set(synced) - seen:
        target = copy / rel
        if target.is_symlink() or target.is_file():
            target.unlink()
        del synced[rel]


def _replace(path: Path, target: Path, source: Path) -> None:
    """Copy one file, or a link as a link: one leading out of the source points where the original pointed."""
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    if path.is_symlink():
        link = os.readlink(path)
        resolved = (path.parent / link).resolve()
        inside = resolved == source.resolve() or source.resolve() in resolved.parents
        os.symlink(link if inside or os.path.isabs(link) else str(resolved), target)
    else:
        shutil.copyfile(path, target)
