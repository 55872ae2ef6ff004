"""The server's records of open documents, their diagnostics and the fixes computed for them.

Everything here belongs to one document version: a FixSet is made when a
check's diagnostics are known to describe exactly the text of a version, and
it is thrown away (its background work cancelled) when the document moves on.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lsprotocol import types

from ..engine.engine import Fix
from ..rust.crates import CrateLocation
from ..rust.diagnostics import Diagnostic


@dataclass
class TrackedDocument:
    """An open document: its file, its crate (None outside any crate), the last version seen.

    `revision` counts every change the server applied, whatever version the
    client claimed, so a change that arrives out of order still makes every
    fix computed before it stale.
    """

    uri: str
    path: Path
    crate: CrateLocation | None
    version: int
    revision: int = 0

    @property
    def rel_path(self) -> str | None:
        """The path rustc uses for this file: relative to the workspace root."""
        if self.crate is None:
            return None
        try:
            return self.path.relative_to(self.crate.workspace_root).as_posix()
        except ValueError:
            return None


@dataclass
class FixSlot:
    """One error of a document version: its LSP form, rustc's unchecked fixes, and the checked ones when ready."""

    key: str
    diagnostic: Diagnostic
    lsp: types.Diagnostic
    quick: list[Fix]
    state: str = "pending"  # pending | done | failed | cancelled
    fixes: list[Fix] = field(default_factory=list)  # checked by the engine, ranked
    done: asyncio.Event = field(default_factory=asyncio.Event)
    ready_at: float | None = None  # when its checked fixes were first known (time.monotonic)

    def finish(self, state: str, fixes: list[Fix] | None = None) -> None:
        self.state = state
        self.fixes = list(fixes or [])
        if state == "done" and self.ready_at is None:
            self.ready_at = time.monotonic()
        self.done.set()


@dataclass
class FixSet:
    """The errors of one document version and the fixes for them; `cancel` stops its background work."""

    uri: str
    version: int
    revision: int
    text: str
    slots: dict[str, FixSlot]
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float = 0.0  # when the check's errors were known (time.monotonic)
    saved_at: float = 0.0  # when the check that found them was asked for: the save (time.monotonic)
    testing: bool = False  # the project's tests are running on its fixes

    @property
    def computing(self) -> bool:
        return any(slot.state == "pending" for slot in self.slots.values())

    def stop(self) -> None:
        """Cancel the background work; waiters are released with whatever is there."""
        self.cancel.set()
        for slot in self.slots.values():
            if slot.state == "pending":
                slot.finish("cancelled")


@dataclass
class DocumentSnapshot:
    """An open document as a check found it: its version and text, and the file's text on disk."""

    version: int
    revision: int
    text: str
    disk_text: str | None

    @property
    def matches_disk(self) -> bool:
        return self.disk_text is not None and self.disk_text == self.text


def snapshot_of(documents: dict[str, TrackedDocument], crate: CrateLocation,
                editor_text: Callable[[str], str]) -> dict[str, DocumentSnapshot]:
    """What a check of the crate is about to see: each open document of its workspace and its file on disk.

    Args:
        documents: the open documents by URI.
        crate: the crate about to be checked.
        editor_text: a document's text in the editor, by URI.
    """
    snapshot = {}
    for uri, doc in documents.items():
        if doc.crate is None or doc.crate.workspace_root != crate.workspace_root:
            continue
        try:
            disk = doc.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            disk = None
        try:
            text = editor_text(uri)
        except (OSError, UnicodeDecodeError):  # the editor's copy is gone (read from a deleted file)
            continue
        snapshot[uri] = DocumentSnapshot(doc.version, doc.revision, text, disk)
    return snapshot
