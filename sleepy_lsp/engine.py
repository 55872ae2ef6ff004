"""The fix engine: candidates from providers, verified in a shadow crate, ranked.

A fix is verified when, with its edits applied, the error it addresses is gone
and no error appears that was not there before (cargo fix's rule). When a
candidate clears its error and rustc then reports a new one (borrow errors
appear only once type errors are gone), the engine continues from it for a few
rounds: multi-turn repair.
"""

from __future__ import annotations

import difflib
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from .diagnostics import Diagnostic
from .families import classify
from .prompt import answer_for
from .shadow import CheckResult, ShadowCrate

PROVIDER_ORDER = {"rustc": 0, "memory": 1, "model": 2}


@dataclass(frozen=True)
class FixContext:
    """What a provider sees: one error in one file of a crate."""

    rel_path: str
    code: str
    diagnostic: Diagnostic
    family: str
    cancel: threading.Event | None = None  # a provider doing slow work (the model) stops when it is set
    errors: tuple[Diagnostic, ...] = ()  # every error of the check, so a fix can be applied at all alike ones


@dataclass(frozen=True)
class Candidate:
    text: str  # the whole file after the change
    provider: str
    title: str
    model: str | None = None
    adapter: str | None = None


class Provider(Protocol):
    name: str

    def propose(self, ctx: FixContext) -> list[Candidate]: ...


@dataclass
class Fix:
    """A candidate after verification, ready to offer."""

    rel_path: str
    old_text: str
    new_text: str
    provider: str
    title: str
    addressed: Diagnostic
    family: str
    verified: bool
    errors_left: int
    rounds: int = 1
    model: str | None = None
    adapter: str | None = None
    latency_ms: float = 0.0
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    after: CheckResult | None = field(default=None, repr=False)

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            self.old_text.splitlines(keepends=True), self.new_text.splitlines(keepends=True),
            fromfile=f"a/{self.rel_path}", tofile=f"b/{self.rel_path}"))

    @property
    def diff_size(self) -> int:
        return len(answer_for(self.old_text, self.new_text).splitlines())


def _key(d: Diagnostic) -> tuple[str | None, str]:
    return d.code, d.message


def cleared(addressed: Diagnostic, before: CheckResult, after: CheckResult) -> bool:
    """The addressed error occurs fewer times after than before."""
    key = _key(addressed)
    return Counter(map(_key, after.errors))[key] < Counter(map(_key, before.errors))[key]


def new_errors(before: CheckResult, after: CheckResult) -> list[Diagnostic]:
    """Errors after the change that were not there before (by code and message)."""
    seen = Counter(map(_key, before.errors))
    found = []
    for d in after.errors:
        if seen[_key(d)] > 0:
            seen[_key(d)] -= 1
        else:
            found.append(d)
    return found


def is_verified(addressed: Diagnostic, before: CheckResult, after: CheckResult) -> bool:
    if after.timed_out or after.cancelled:
        return False
    return cleared(addressed, before, after) and not new_errors(before, after)


def rank(fixes: list[Fix]) -> list[Fix]:
    """Verified first, then fewer errors left, then smaller diff, then rustc before memory before model."""
    return sorted(fixes, key=lambda f: (not f.verified, f.errors_left, f.diff_size, PROVIDER_ORDER.get(f.provider, 9)))


@dataclass
class RepairResult:
    code: str
    fixes: list[Fix]
    remaining: list[Diagnostic]

    @property
    def fixed(self) -> bool:
        return not self.remaining


class FixEngine:
    """Asks providers for candidates and keeps the ones the compiler accepts."""

    def __init__(self, providers: list[Provider], max_candidates: int = 8, max_rounds: int = 3,
                 verify: bool = True) -> None:
        self.providers = providers
        self.max_candidates = max_candidates
        self.max_rounds = max_rounds
        self.verify = verify

    @classmethod
    def from_settings(cls, settings, store=None) -> "FixEngine":
        """The engine a server's settings describe (see strategies.engine_from_settings)."""
        from .strategies import engine_from_settings

        return engine_from_settings(settings, store)

    def reload(self) -> None:
        """Re-read what the engine learns from (set by engine_from_settings); nothing by default."""

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        """Every provider's candidates in provider order, duplicates and no-ops dropped."""
        seen, found = {ctx.code}, []
        for provider in self.providers:
            for candidate in provider.propose(ctx):
                if candidate.text not in seen:
                    seen.add(candidate.text)
                    found.append(candidate)
        return found[: self.max_candidates]

    def fixes(self, shadow: ShadowCrate, rel_path: str, code: str, before: CheckResult,
              diagnostic: Diagnostic, cancel: threading.Event | None = None) -> list[Fix]:
        """Ranked fixes for one error; the shadow's file is restored to code afterwards."""
        started = time.monotonic()
        family = classify(diagnostic)
        fixes = []
        try:
            for candidate in self.candidates(FixContext(rel_path, code, diagnostic, family, cancel, tuple(before.errors))):
                if cancel is not None and cancel.is_set():
                    break
                fix = self._verify(shadow, rel_path, code, before, diagnostic, family, candidate, cancel)
                fix.latency_ms = (time.monotonic() - started) * 1000
                fixes.append(fix)
        finally:
            shadow.write(rel_path, code)
        return rank(fixes)

    def _verify(self, shadow, rel_path, code, before, diagnostic, family, candidate, cancel) -> Fix:
        fix = Fix(rel_path, code, candidate.text, candidate.provider, candidate.title, diagnostic, family,
                  verified=False, errors_left=len(before.errors), model=candidate.model, adapter=candidate.adapter)
        if not self.verify:
            return fix
        text, after, rounds = self._follow(shadow, rel_path, candidate.text, before, diagnostic, cancel, 1)
        fix.new_text, fix.after, fix.rounds = text, after, rounds
        fix.errors_left = len(after.errors)
        fix.verified = is_verified(diagnostic, before, after)
        return fix

    def _follow(self, shadow, rel_path, text, before, diagnostic, cancel, depth):
        """Check text; when it clears its error but reveals new ones, repair those too (multi-turn)."""
        shadow.write(rel_path, text)
        after = shadow.check(cancel)
        if not cleared(diagnostic, before, after):
            return text, after, depth
        while depth < self.max_rounds and not (cancel is not None and cancel.is_set()):
            revealed = new_errors(before, after)
            if not revealed or not all(_in_file(d, rel_path) for d in revealed):
                break
            step = self._settle_one(shadow, rel_path, text, after, revealed[0], cancel)
            if step is None:
                break
            text, after = step
            depth += 1
        return text, after, depth

    def _settle_one(self, shadow, rel_path, text, after, target, cancel):
        """The first candidate that clears a revealed error without adding to the error count."""
        for candidate in self.candidates(FixContext(rel_path, text, target, classify(target), cancel, tuple(after.errors))):
            if cancel is not None and cancel.is_set():
                return None
            shadow.write(rel_path, candidate.text)
            result = shadow.check(cancel)
            if cleared(target, after, result) and len(result.errors) <= len(after.errors):
                return candidate.text, result
        return None

    def repair(self, shadow: ShadowCrate, rel_path: str, code: str, max_steps: int = 6,
               cancel: threading.Event | None = None) -> RepairResult:
        """Fix a whole file, error after error, taking the best verified fix each time."""
        shadow.write(rel_path, code)
        current = shadow.check(cancel)
        applied: list[Fix] = []
        for _ in range(max_steps):
            targets = [d for d in current.errors if _in_file(d, rel_path)]
            best = next((f for d in targets
                         for f in self.fixes(shadow, rel_path, code, current, d, cancel)[:1] if f.verified), None)
            if best is None:
                break
            applied.append(best)
            code, current = best.new_text, best.after
            if not current.errors:
                break
        shadow.write(rel_path, code)
        return RepairResult(code, applied, current.errors)


def _in_file(diagnostic: Diagnostic, rel_path: str) -> bool:
    span = diagnostic.primary_span
    return span is not None and span.file_name == rel_path
