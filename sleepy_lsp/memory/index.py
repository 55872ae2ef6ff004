"""What the engine learns at once, by day: worked examples and fix patterns from the fix memory.

Both come from fixes known to be good: offers the user accepted, and day-cycle
episodes (a koan's failure paired with the fix that worked). Reading the memory
never writes to it, so evaluating never teaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..model.prompt import Example, answer_for, numbered
from ..rust.diagnostics import Diagnostic
from .patterns import PatternBook
from .similarity import similarity


class ErrorSite(Protocol):
    """Where a fix is wanted (the engine's FixContext is one): the error, its family and the file's code."""

    diagnostic: Diagnostic
    family: str
    code: str


@dataclass(frozen=True)
class KnownFix:
    error_code: str
    family: str
    message: str
    before: str
    after: str


@dataclass
class MemoryIndex:
    fixes: list[KnownFix] = field(default_factory=list)
    patterns: PatternBook = field(default_factory=PatternBook)

    @classmethod
    def from_store(cls, store) -> "MemoryIndex":
        """Accepted offers and episodes' working fixes from a FixMemory (None: an empty index)."""
        index = cls()
        index.refresh(store)
        return index

    def refresh(self, store) -> None:
        """Rebuild from the store in place, so providers holding this index see the new fixes."""
        self.fixes, self.patterns = [], PatternBook()
        if store is None or not getattr(store, "enabled", True):
            return
        for offer in store.accepted_fixes(limit=5000):
            self.add(KnownFix(offer.error_code, offer.family, offer.message, offer.code_before, offer.code_after))
        for episode in store.episodes():
            if episode.fix_that_worked and episode.code_before:
                self.add(KnownFix(episode.error_code, episode.family, "", episode.code_before, episode.fix_that_worked))

    def add(self, fix: KnownFix) -> None:
        if fix.before and fix.after and fix.before != fix.after:
            self.fixes.append(fix)
            self.patterns.learn(fix.error_code, fix.before, fix.after)

    def examples(self, ctx: ErrorSite, k: int = 3) -> list[Example]:
        """The k most similar known fixes: same error code first, then message and code similarity."""
        code = ctx.diagnostic.code or ""
        scored = sorted(
            self.fixes,
            key=lambda f: (f.error_code != code, f.family != ctx.family,
                           -(similarity(f.message, ctx.diagnostic.message) + similarity(f.before, ctx.code))),
        )
        return [_example(f) for f in scored[:k]]


def _example(fix: KnownFix) -> Example:
    """A known fix shown compactly: the lines around its edits, numbered as in its file."""
    answer = answer_for(fix.before, fix.after)
    touched = [int(line.split()[1].rstrip(":")) for line in answer.splitlines()]
    first, last = min(touched) - 3, max(touched) + 3
    error = f"error[{fix.error_code}]: {fix.message}" if fix.message else f"error[{fix.error_code}]"
    return Example(error, numbered(fix.before, first, last), answer)
