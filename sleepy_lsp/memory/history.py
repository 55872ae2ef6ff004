"""Teaching from the user's own history: commits that turned a cargo error into a clean check.

`sleepy teach --git A..B` walks the range's commits, oldest first. Each commit's
version of the workspace is read from git (`git archive`, so neither the working
tree nor the repository is touched) into one scratch copy and checked with cargo.
A commit whose parent did not compile and which itself checks clean fixed its
parent's errors: each of them in a file the commit changed, where the change
looks like a fix of it (teaching.fixed_by_edit: small, near the error, the
function kept), is recorded as a fix the user wrote. Merge commits teach nothing.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from ..errors import SleepyError
from ..model.records import ErrorCase, FixRecord
from ..rust.crates import CrateLocation
from ..rust.diagnostics import Diagnostic
from ..rust.scratch import scratch_dir
from ..rust.shadow import ShadowCrate
from .store import Offer
from .teaching import fixed_by_edit

GIT_TIMEOUT_S = 120.0


@dataclass
class Snapshot:
    """One commit's workspace as cargo saw it: its Rust files and their errors."""

    files: dict[str, str]  # workspace-relative path -> text, .rs files only
    errors: list[Diagnostic]


@dataclass
class HistoryLesson:
    """What a range of commits taught."""

    fixes: list[tuple[str, Offer]] = field(default_factory=list)  # (commit, manual fix)
    commits: int = 0  # commits read
    fixing: list[str] = field(default_factory=list)  # commits that turned errors into a clean check


def git(repo: Path, *args: str) -> bytes:
    """`git ARGS` in repo; SleepyError with git's own words when it fails."""
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=GIT_TIMEOUT_S)
    except FileNotFoundError:
        raise SleepyError("`git` was not found on PATH: install git to teach from your history.") from None
    if proc.returncode != 0:
        words = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SleepyError(f"git {args[0]} failed ({words[-1] if words else 'no message'}): check the range "
                          "with `git log A..B`.")
    return proc.stdout


def repository_of(crate: CrateLocation) -> tuple[Path, str]:
    """The git repository holding the crate, and the workspace's path inside it ('' at its top)."""
    try:
        top = git(crate.workspace_root, "rev-parse", "--show-toplevel").decode().strip()
    except SleepyError:
        raise SleepyError(f"{crate.workspace_root} is not in a git repository, so it has no history to teach "
                          "from: give BEFORE and AFTER files instead.") from None
    inside = crate.workspace_root.resolve().relative_to(Path(top).resolve()).as_posix()
    return Path(top), "" if inside == "." else inside


def commits_in(repo: Path, revisions: str) -> list[tuple[str, list[str]]]:
    """(commit, parents) of a `A..B` range, oldest first."""
    if ".." not in revisions:
        raise SleepyError(f"--git takes a range like main~20..main, not {revisions!r}: the commits after A up to B "
                          "are read.")
    lines = git(repo, "rev-list", "--reverse", "--parents", revisions, "--").decode().split("\n")
    return [(words[0], words[1:]) for words in (line.split() for line in lines) if words]


def workspace_files(repo: Path, commit: str, inside: str) -> dict[str, bytes]:
    """The workspace's files at a commit (path relative to the workspace -> bytes), from `git archive`."""
    archive = git(repo, "archive", "--format=tar", commit, "--", inside or ".")
    files = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            path = PurePosixPath(member.name)
            if member.isfile() and not path.is_absolute() and ".." not in path.parts:
                files[path.relative_to(inside).as_posix() if inside else path.as_posix()] = tar.extractfile(member).read()
    return files


class Checkout:
    """One scratch copy of the workspace, moved from commit to commit. Only the files a commit changed are
    rewritten, so cargo rebuilds no more than the commit touched."""

    def __init__(self, folder: Path, target_dir: Path, member: str, timeout: float) -> None:
        self.shadow = ShadowCrate(folder, target_dir, timeout, member=member)
        self.files: dict[str, bytes] = {}

    def check(self, files: dict[str, bytes]) -> list[Diagnostic]:
        """The errors of `cargo check` with the workspace's files as given."""
        for gone in set(self.files) - set(files):
            (self.shadow.root / gone).unlink(missing_ok=True)
        for rel, data in files.items():
            if self.files.get(rel) != data:
                path = self.shadow.root / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        self.files = files
        checked = self.shadow.check()
        if checked.timed_out:
            raise SleepyError(f"cargo check of a commit ran longer than {self.shadow.timeout:g} s: teach from a "
                              "shorter range, or check that the crate builds.")
        return checked.errors


def lessons_from_history(crate: CrateLocation, revisions: str, target_dir: Path, timeout: float = 300.0,
                         progress: Callable[[str], None] = lambda line: None) -> HistoryLesson:
    """The fixes the commits of `revisions` made, as manual fixes (see the module's docstring)."""
    repo, inside = repository_of(crate)
    commits = commits_in(repo, revisions)
    if not commits:
        raise SleepyError(f"{revisions} holds no commit: give a range like main~20..main.")
    member = crate.root.resolve().relative_to(crate.workspace_root.resolve()).as_posix()
    taught = HistoryLesson(commits=len(commits))
    with scratch_dir("history") as folder:
        checkout = Checkout(folder, target_dir, "" if member == "." else member, timeout)
        seen: dict[str, Snapshot] = {}

        def snapshot(commit: str) -> Snapshot:
            if commit not in seen:
                progress(f"checking {commit[:10]}")
                files = workspace_files(repo, commit, inside)
                sources = {rel: data.decode("utf-8", "replace") for rel, data in files.items() if rel.endswith(".rs")}
                seen[commit] = Snapshot(sources, checkout.check(files))
            return seen[commit]

        for commit, parents in commits:
            # a merge or a root commit fixed nothing by itself, and a parent that built had nothing to fix
            if len(parents) != 1 or not snapshot(parents[0]).errors or snapshot(commit).errors:
                continue
            fixes = list(_fixes(commit, seen[parents[0]], seen[commit], crate))
            if fixes:
                taught.fixing.append(commit)
                taught.fixes += [(commit, offer) for offer in fixes]
    return taught


def _fixes(commit: str, parent: Snapshot, child: Snapshot, crate: CrateLocation) -> Iterator[Offer]:
    """The parent's errors the commit fixed, file by file, each as a manual fix."""
    for rel, before in parent.files.items():
        after = child.files.get(rel)
        if after is None or after == before:
            continue
        errors = [d for d in parent.errors if d.primary_span and d.primary_span.file_name == rel]
        for error in fixed_by_edit(before, errors, after, []):
            record = FixRecord.of(ErrorCase.of(error, rel, before), before, after, "user",
                                  f"taught from commit {commit[:10]}")
            yield Offer(uuid.uuid4().hex, record, file=str(crate.workspace_root / rel), crate_root=str(crate.root),
                        verified=True)
