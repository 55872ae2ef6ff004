"""Greedy multi-round repair: try candidate edits, keep one only when the build improves.

This is cargo fix's rule (back out what does not help) applied round after
round, because fixing one error often lets rustc report the next (borrow
errors appear only once type errors are gone).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from .diagnostics import Diagnostic
from .edits import TextEdit, apply_edits
from .shadow import CheckResult, ShadowCrate

# A proposer turns one error on the current code into candidate edit sets.
Proposer = Callable[[Diagnostic, str], list[list[TextEdit]]]


@dataclass
class RepairResult:
    code: str
    rounds: int
    remaining: list[Diagnostic] = field(default_factory=list)
    checks: int = 0

    @property
    def fixed(self) -> bool:
        return not self.remaining


def improves(before: CheckResult, after: CheckResult) -> bool:
    """Fewer errors and no error code that was not there before."""
    if after.timed_out or after.cancelled:
        return False
    old_codes = {d.code for d in before.errors}
    new_codes = {d.code for d in after.errors}
    return len(after.errors) < len(before.errors) and new_codes <= old_codes


def repair(
    shadow: ShadowCrate,
    rel_path: str,
    code: str,
    propose: Proposer,
    max_rounds: int = 4,
    cancel: threading.Event | None = None,
) -> RepairResult:
    """Apply improving candidates to code in the shadow until it builds or nothing helps."""
    shadow.write(rel_path, code)
    current = shadow.check(cancel)
    checks, rounds = 1, 0
    while current.errors and rounds < max_rounds and not (cancel and cancel.is_set()):
        rounds += 1
        step = _first_improvement(shadow, rel_path, code, current, propose, cancel)
        checks += step[2]
        if step[0] is None:
            break
        code, current = step[0], step[1]
    shadow.write(rel_path, code)
    return RepairResult(code, rounds, current.errors, checks)


def _first_improvement(shadow, rel_path, code, current, propose, cancel):
    checks = 0
    for diagnostic in current.errors:
        for edits in propose(diagnostic, code):
            if cancel and cancel.is_set():
                return None, current, checks
            try:
                candidate = apply_edits(code, edits)
            except ValueError:
                continue
            shadow.write(rel_path, candidate)
            result = shadow.check(cancel)
            checks += 1
            if improves(current, result):
                return candidate, result, checks
    return None, current, checks
