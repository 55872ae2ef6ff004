"""The project's own tests as a second verification: a fix that compiles must also keep them passing.

The tests of the package that holds the edited file run in the shadow copy
(`cargo test --no-fail-fast`), within a time budget and cancellable like a
check. A fix that makes a test fail that was not already failing is wrong,
however well it compiles; a crate whose tests do not build, or run past the
budget, is reported as such, never as passing.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from ..rust.shadow import ShadowCrate

# libtest's line per test, whatever else cargo prints around it (JSON messages, doctests).
TEST_LINE = re.compile(r"^test (?P<name>.+?) \.\.\. (?P<result>ok|FAILED|ignored)\b", re.MULTILINE)
TEST_STATUSES = ("passed", "failed", "not_built", "timed_out", "cancelled", "no_tests")


@dataclass(frozen=True)
class TestRun:
    """What the project's tests said about one version of the crate."""

    status: str  # one of TEST_STATUSES
    passed: frozenset[str] = frozenset()
    failed: frozenset[str] = frozenset()
    seconds: float = 0.0
    budget: float = 0.0

    def broken(self, known_failing: frozenset[str] = frozenset()) -> frozenset[str]:
        """The tests this version fails that were not failing already."""
        return self.failed - known_failing

    @property
    def label(self) -> str:
        """A few words for a code action's title."""
        return {
            "passed": f"tests pass ({len(self.passed)})",
            "failed": f"fails {len(self.failed)} test{'s' if len(self.failed) != 1 else ''}",
            "not_built": "tests do not build",
            "timed_out": f"tests ran past {self.budget:g} s",
            "cancelled": "tests cancelled",
            "no_tests": "no tests",
        }[self.status]


def run_tests(shadow: ShadowCrate, budget: float, cancel: threading.Event | None = None) -> TestRun:
    """Run the tests of the shadow's package as its files are now.

    Args:
        shadow: the crate copy, with the candidate written into it.
        budget: seconds the whole run (build included) may take.
        cancel: stops the run when set.
    """
    run = shadow.run_tests(budget, cancel)
    if run.cancelled:
        return TestRun("cancelled", seconds=run.seconds, budget=budget)
    if run.timed_out:
        return TestRun("timed_out", seconds=run.seconds, budget=budget)
    results = {m["name"]: m["result"] for m in TEST_LINE.finditer(run.stdout)}
    passed = frozenset(n for n, r in results.items() if r == "ok")
    failed = frozenset(n for n, r in results.items() if r == "FAILED")
    if run.returncode != 0 and not failed:
        return TestRun("not_built", seconds=run.seconds, budget=budget)  # the tests never ran
    status = "failed" if failed else ("passed" if passed else "no_tests")
    return TestRun(status, passed, failed, run.seconds, budget)
