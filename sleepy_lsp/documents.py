"""The server's records of open documents, their diagnostics and the fixes computed for them.

Everything here belongs to one document version: a FixSet is made when a
check's diagnostics are known to describe exactly the text of a version, and
it is thrown away (its background work cancelled) when the document moves on.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types

from .diagnostics import Diagnostic
from .edits import apply_edits
from .flycheck import CrateLocation
from .rustc_suggestions import rustc_candidates


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
class QuickFix:
    """A rustc suggestion offered at once, unverified, before the engine has looked at it."""

    id: str
    title: str
    message: str
    new_text: str


def quick_fixes(diagnostic: Diagnostic, rel_path: str, text: str) -> list[QuickFix]:
    """rustc's usable suggestions for a diagnostic, each applied to the whole text."""
    found, seen = [], {text}
    for suggestion in rustc_candidates(diagnostic, rel_path):
        try:
            new_text = apply_edits(text, suggestion.edits)
        except ValueError:
            continue
        if new_text not in seen:
            seen.add(new_text)
            found.append(QuickFix(str(uuid.uuid4()), f"rustc: {suggestion.message}", suggestion.message, new_text))
    return found


@dataclass
class FixSlot:
    """One error of a document version: its LSP form, the quick fixes, and the engine's fixes when ready."""

    key: str
    diagnostic: Diagnostic
    lsp: types.Diagnostic
    quick: list[QuickFix]
    state: str = "pending"  # pending | done | failed | cancelled
    fixes: list[Any] = field(default_factory=list)  # engine Fix objects, ranked
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def finish(self, state: str, fixes: list[Any] | None = None) -> None:
        self.state = state
        self.fixes = list(fixes or [])
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
    started: float = 0.0

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
class ShownOffer:
    """An offer the user has seen and not yet decided on."""

    fix_id: str
    uri: str
    revision: int
    error_code: str
    message: str


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
