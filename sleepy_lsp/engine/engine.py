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
from typing import Callable, Mapping, Protocol, Sequence

from ..model.answers import answer_for
from ..repair.risk import Risk, assess
from ..rust.diagnostics import Diagnostic
from ..rust.edits import TextEdit, apply_edits, compose
from ..rust.families import classify
from ..rust.shadow import CheckResult, ShadowCrate
from ..vocabulary import PROVIDERS
from .project_tests import TestRun, run_tests


@dataclass(frozen=True)
class FixContext:
    """What a provider sees: one error in one file of a crate.

    `proposed` holds candidates already computed for this error, by provider
    name (the server shows rustc's at once and the engine verifies the same
    ones rather than asking again).
    """

    rel_path: str
    code: str
    diagnostic: Diagnostic
    family: str
    cancel: threading.Event | None = None  # a provider doing slow work (the model) stops when it is set
    errors: tuple[Diagnostic, ...] = ()  # every error of the check, so a fix can be applied at all alike ones
    proposed: Mapping[str, Sequence["Candidate"]] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    """A proposed change: edits against the context's code, and who proposed it."""

    edits: tuple[TextEdit, ...]
    provider: str
    title: str
    model: str | None = None
    adapter: str | None = None


class Provider(Protocol):
    name: str

    def propose(self, ctx: FixContext) -> list[Candidate]: ...


@dataclass
class Fix:
    """A candidate for one error of one text (`old_text`): its edits, who made it, and what checking found.

    `checked` is false for a candidate offered before the shadow build has
    judged it; `verified` is true once the build showed the error gone and no
    new one. After several rounds the edits hold every round's change.
    """

    rel_path: str
    old_text: str
    edits: tuple[TextEdit, ...]
    provider: str
    title: str
    addressed: Diagnostic
    family: str
    checked: bool = False
    verified: bool = False
    risks: tuple[Risk, ...] | None = None  # None until assessed; empty for a clean fix
    tests: TestRun | None = None  # the project's tests on the fixed crate, once they ran
    habit: int = 0  # how much the user's own fixes vouch for this change (learned patterns that make it)
    errors_left: int = 0
    rounds: int = 1
    model: str | None = None
    adapter: str | None = None
    latency_ms: float = 0.0
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    after: CheckResult | None = field(default=None, repr=False)

    @classmethod
    def of(cls, candidate: Candidate, rel_path: str, code: str, diagnostic: Diagnostic, family: str,
           errors_left: int = 0) -> "Fix":
        return cls(rel_path, code, candidate.edits, candidate.provider, candidate.title, diagnostic, family,
                   errors_left=errors_left, model=candidate.model, adapter=candidate.adapter)

    @property
    def risky(self) -> bool:
        return bool(self.risks)

    def assess(self) -> None:
        """Judge what the edits do to the program (repair.risk): a panic added, code removed, an API changed."""
        self.risks = tuple(assess(self.old_text, self.edits))

    @property
    def candidate(self) -> Candidate:
        """The fix as proposed, to be checked again (rustc's fixes shown before the engine looked at them)."""
        return Candidate(self.edits, self.provider, self.title, self.model, self.adapter)

    @property
    def new_text(self) -> str:
        """The whole file with the fix applied (for the shadow copy, the command line and tests)."""
        return apply_edits(self.old_text, self.edits)

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


# How far the project's tests vouch for a fix: passing tests first, untested next, unknown outcomes after.
_TESTS_ORDER = {"passed": 0, None: 1, "no_tests": 1, "cancelled": 2, "timed_out": 2, "not_built": 2, "failed": 3}


def rank(fixes: list[Fix]) -> list[Fix]:
    """Verified first; among them clean before risky, then the user's habit (the change their own fixes
    taught), then what the tests said, then fewer errors left, smaller diff, and rustc before memory
    before model."""
    return sorted(fixes, key=lambda f: (not f.verified, f.risky, -f.habit,
                                        _TESTS_ORDER[f.tests.status if f.tests else None],
                                        f.errors_left, f.diff_size, _provider_order(f.provider)))


# Says how much the user's own fixes vouch for a fix (the fix memory's habit): 0 when they do not.
Habit = Callable[[Fix], int]


@dataclass(frozen=True)
class TestPolicy:
    """How fixes that compile are run against the project's tests.

    Args:
        budget: seconds one test run (build included) may take.
        most: fixes tested per error, best first, until one passes.
        known_failing: tests already failing before the fix (they break nothing).
    """

    budget: float = 60.0
    most: int = 3
    known_failing: frozenset[str] = frozenset()


def _provider_order(provider: str) -> int:
    return PROVIDERS.index(provider) if provider in PROVIDERS else len(PROVIDERS)


@dataclass
class RepairResult:
    code: str
    fixes: list[Fix]
    remaining: list[Diagnostic]
    found: list[Diagnostic] = field(default_factory=list)  # the file's errors before any fix

    @property
    def fixed(self) -> bool:
        return not self.remaining


class FixEngine:
    """Asks providers for candidates and keeps the ones the compiler accepts."""

    def __init__(self, providers: list[Provider], max_candidates: int = 8, max_rounds: int = 3,
                 verify: bool = True, habit: Habit | None = None) -> None:
        self.providers = providers
        self.max_candidates = max_candidates
        self.max_rounds = max_rounds
        self.verify = verify
        self.habit = habit

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        """Every provider's candidates in provider order, duplicates and no-ops dropped."""
        seen, found = {ctx.code}, []
        for provider in self.providers:
            proposed = ctx.proposed.get(provider.name)
            for candidate in provider.propose(ctx) if proposed is None else proposed:
                try:
                    text = apply_edits(ctx.code, candidate.edits)
                except ValueError:
                    continue
                if text not in seen:
                    seen.add(text)
                    found.append(candidate)
        return found[: self.max_candidates]

    def fixes(self, shadow: ShadowCrate, rel_path: str, code: str, before: CheckResult, diagnostic: Diagnostic,
              cancel: threading.Event | None = None,
              proposed: Mapping[str, Sequence[Candidate]] | None = None) -> list[Fix]:
        """Ranked fixes for one error; the shadow's file is restored to code afterwards.

        Args:
            shadow: the crate copy to build candidates in.
            rel_path: the file's path in the crate.
            code: the file's text, which `before` describes.
            before: the check of the crate with that text.
            diagnostic: the error to fix.
            cancel: stops the work when set.
            proposed: candidates already computed for this error, by provider name.
        """
        started = time.monotonic()
        family = classify(diagnostic)
        ctx = FixContext(rel_path, code, diagnostic, family, cancel, tuple(before.errors), proposed or {})
        fixes = []
        try:
            for candidate in self.candidates(ctx):
                if cancel is not None and cancel.is_set():
                    break
                fix = self._verify(shadow, ctx, before, candidate)
                if self.habit is not None and fix.verified:
                    fix.habit = self.habit(fix)  # whoever proposed it: a duplicate by text was dropped
                fix.latency_ms = (time.monotonic() - started) * 1000
                fixes.append(fix)
        finally:
            shadow.write(rel_path, code)
        return rank(fixes)

    def _verify(self, shadow: ShadowCrate, ctx: FixContext, before: CheckResult, candidate: Candidate) -> Fix:
        fix = Fix.of(candidate, ctx.rel_path, ctx.code, ctx.diagnostic, ctx.family, len(before.errors))
        if self.verify:
            edits, after, rounds = self._follow(shadow, ctx, candidate.edits, before)
            fix.edits, fix.after, fix.rounds = edits, after, rounds
            fix.checked = True
            fix.errors_left = len(after.errors)
            fix.verified = is_verified(ctx.diagnostic, before, after)
        fix.assess()
        return fix

    def test(self, shadow: ShadowCrate, fixes: list[Fix], policy: TestPolicy,
             cancel: threading.Event | None = None) -> list[Fix]:
        """Run the project's tests on the best verified fixes until one passes; a fix that breaks a test
        is dropped. The fixes, ranked again; the shadow's file is restored afterwards.

        Args:
            shadow: the crate copy the fixes compiled in.
            fixes: one error's fixes, ranked.
            policy: the time budget, how many to try, and the tests already failing.
            cancel: stops the work when set.
        """
        if not fixes:
            return fixes
        kept = list(fixes)
        try:
            # while other errors remain the crate's tests cannot build, whatever this fix does
            for fix in [f for f in fixes if f.verified and not f.errors_left][: policy.most]:
                if cancel is not None and cancel.is_set():
                    break
                shadow.write(fix.rel_path, fix.new_text)
                fix.tests = run_tests(shadow, policy.budget, cancel)
                if fix.tests.broken(policy.known_failing):
                    kept.remove(fix)
                elif fix.tests.status in ("passed", "no_tests", "timed_out"):
                    break  # passing, or nothing more the tests can say about the others
                # tests that do not build with this fix may build with the next one
        finally:
            shadow.write(fixes[0].rel_path, fixes[0].old_text)
        return rank(kept)

    def _follow(self, shadow: ShadowCrate, ctx: FixContext, edits: tuple[TextEdit, ...], before: CheckResult):
        """Check the edits; when they clear their error but reveal new ones, repair those too (multi-turn)."""
        text = apply_edits(ctx.code, edits)
        shadow.write(ctx.rel_path, text)
        after = shadow.check(ctx.cancel)
        depth = 1
        if not cleared(ctx.diagnostic, before, after):
            return edits, after, depth
        while depth < self.max_rounds and not (ctx.cancel is not None and ctx.cancel.is_set()):
            revealed = new_errors(before, after)
            if not revealed or not all(_in_file(d, ctx.rel_path) for d in revealed):
                break
            step = self._settle_one(shadow, ctx.rel_path, text, after, revealed[0], ctx.cancel)
            if step is None:
                break
            more, after = step
            edits = compose(ctx.code, edits, more)
            text = apply_edits(ctx.code, edits)
            depth += 1
        return edits, after, depth

    def _settle_one(self, shadow, rel_path, text, after, target, cancel):
        """The first candidate that clears a revealed error without adding to the error count: its edits."""
        ctx = FixContext(rel_path, text, target, classify(target), cancel, tuple(after.errors))
        for candidate in self.candidates(ctx):
            if cancel is not None and cancel.is_set():
                return None
            shadow.write(rel_path, apply_edits(text, candidate.edits))
            result = shadow.check(cancel)
            if cleared(target, after, result) and len(result.errors) <= len(after.errors):
                return candidate.edits, result
        return None

    def repair(self, shadow: ShadowCrate, rel_path: str, code: str, max_steps: int = 6,
               cancel: threading.Event | None = None, allow_risky: bool = False,
               tests: TestPolicy | None = None) -> RepairResult:
        """Fix a whole file, error after error, taking the best verified fix each time.

        Args:
            shadow: a crate copy to work in.
            rel_path: the file's path in the crate.
            code: the file's text.
            max_steps: the most fixes applied.
            cancel: stops the work when set.
            allow_risky: also take a fix that adds a panic, drops code or changes an API when no clean one exists.
            tests: run the project's tests on the fixes that compile, dropping those that break one; a
                fix with which they do not build is not taken.
        """
        shadow.write(rel_path, code)
        current = shadow.check(cancel)
        found = [d for d in current.errors if _in_file(d, rel_path)]
        applied: list[Fix] = []

        def best_for(diagnostic: Diagnostic) -> Fix | None:
            fixes = self.fixes(shadow, rel_path, code, current, diagnostic, cancel)
            if tests is not None:
                fixes = self.test(shadow, fixes, tests, cancel)
            return next((f for f in fixes[:1] if f.verified and (allow_risky or not f.risky) and not _unbuilt(f)), None)

        for _ in range(max_steps):
            targets = [d for d in current.errors if _in_file(d, rel_path)]
            best = next((f for f in map(best_for, targets) if f is not None), None)
            if best is None:
                break
            applied.append(best)
            code, current = best.new_text, best.after
            shadow.write(rel_path, code)
            if not current.errors:
                break
        shadow.write(rel_path, code)
        return RepairResult(code, applied, current.errors, found)


def _unbuilt(fix: Fix) -> bool:
    """The crate's tests do not build with this fix: it compiles, but nothing vouches that it did not
    break what they test (a re-export made private), so it is not applied."""
    return fix.tests is not None and fix.tests.status == "not_built"


def _in_file(diagnostic: Diagnostic, rel_path: str) -> bool:
    span = diagnostic.primary_span
    return span is not None and span.file_name == rel_path
