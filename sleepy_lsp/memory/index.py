"""What the engine learns at once, by day: worked examples and fix patterns from the fix memory.

Both come from fixes known to be good: fixes the user accepted or wrote by hand,
and day-cycle episodes (a koan's first error paired with the fix that worked).
Fixes the user rejected demote the patterns that make them. Reading the memory
never writes to it, so evaluating never teaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..model.records import FixRecord
from ..rust.diagnostics import Diagnostic
from .patterns import PatternBook
from .similarity import similarity

NEIGHBOURHOOD = 3  # lines each side of an error compared with an example's changed lines


class ErrorSite(Protocol):
    """Where a fix is wanted (the engine's FixContext is one): the error, its family and the file's code."""

    diagnostic: Diagnostic
    family: str
    code: str


class Change(Protocol):
    """A fix as the engine holds it (its Fix is one): the error it addresses and the text before and after."""

    addressed: Diagnostic
    old_text: str

    @property
    def new_text(self) -> str: ...


@dataclass
class MemoryIndex:
    records: list[FixRecord] = field(default_factory=list)
    patterns: PatternBook = field(default_factory=PatternBook)

    @classmethod
    def from_store(cls, store) -> "MemoryIndex":
        """The fixes a FixMemory holds that the user took or wrote, and its episodes (None: an empty index)."""
        index = cls()
        index.refresh(store)
        return index

    def refresh(self, store) -> None:
        """Rebuild from the store in place, so providers holding this index see the new fixes: patterns
        learn from the fixes the user accepted or wrote and from koan episodes, and are demoted by the
        fixes the user rejected. The new index is built aside and swapped in, so a fix computed meanwhile
        (in another thread) reads the old one or the new one, never half of one."""
        fresh = MemoryIndex()
        if store is not None and store.enabled:
            for offer, outcome in reversed(store.fixes_by_outcome(("accepted", "manual"))):  # oldest first
                fresh.add(offer.record, outcome)
            for episode in store.episodes():
                if (record := episode.record()) is not None:
                    fresh.add(record, "practice")
            for offer, _ in store.fixes_by_outcome(("rejected",)):
                fresh.reject(offer.record)
        self.records, self.patterns = fresh.records, fresh.patterns

    def add(self, record: FixRecord, outcome: str = "accepted") -> None:
        """Learn one fix: "accepted" (the user took it), "manual" (wrote it) or "practice" (a koan's)."""
        if record.answer:
            self.records.append(record)
            self.patterns.learn(record, outcome)

    def reject(self, record: FixRecord) -> None:
        """A fix the user called wrong: the patterns that make it are demoted."""
        self.patterns.reject(record)

    def examples(self, ctx: ErrorSite, k: int = 3) -> list[FixRecord]:
        """The k known fixes most like this error: those whose pattern applies here first, then the same
        error code, the same family, and the most similar message and code."""
        code = ctx.diagnostic.code or ""
        span = ctx.diagnostic.primary_span
        line = span.line_start if span else 1
        near = "\n".join(ctx.code.splitlines()[max(0, line - 1 - NEIGHBOURHOOD):line + NEIGHBOURHOOD])
        applying = set()
        if code and self.records:
            for pattern, _ in self.patterns.matching(code, ctx.code, line):
                applying |= pattern.members
        scored = sorted(
            self.records,
            key=lambda r: (r.key not in applying, r.case.code != code, r.case.family != ctx.family,
                           -(similarity(r.case.message, ctx.diagnostic.message) + similarity(r.before, near))),
        )
        return scored[:k]

    def habit(self, fix: Change) -> int:
        """How much the user's own fixes vouch for this one: the habit of the best learned pattern of its
        error code that makes the same change, whoever proposed it (0: none does)."""
        return self.patterns.habit(fix.addressed.code, fix.old_text, fix.new_text)
