"""`sleepy koans check`: is every koan a fair problem? Its broken code fails as its koan.toml says,
its solution passes, and its hidden tests reject a solution whose bodies are stubbed out."""

from __future__ import annotations

import re

from .judge import Judge
from .koans import Koan

MIN_LINES, MAX_LINES = 10, 60

# The opening brace of every function body except main's.
_FN_BODY = re.compile(r"(\bfn\s+(?!main\b)\w+[^{;]*\{)")


def stub_bodies(source: str) -> str:
    """The source with `todo!();` at the start of every function body but main's."""
    return _FN_BODY.sub(r"\1 todo!();", source)


def check_koan(judge: Judge, koan: Koan) -> list[str]:
    """Every way this koan breaks the corpus rules, as sentences; empty when it is sound."""
    problems = []
    lines = len([line for line in koan.broken.splitlines() if line.strip()])
    if not MIN_LINES <= lines <= MAX_LINES:
        problems.append(f"its broken code has {lines} lines; koans have {MIN_LINES} to {MAX_LINES}")
    with judge.shadow(koan) as shadow:
        broken = judge.judge(koan, koan.broken, shadow)
        if broken.passed:
            problems.append("its broken code passes")
        elif broken.stage == "compile" and broken.error_codes != set(koan.error_codes):
            problems.append(
                f"its broken code fails with {sorted(broken.error_codes)}, koan.toml says {sorted(koan.error_codes)}"
            )
        elif broken.stage != "compile":
            problems.append(f"its broken code builds and fails only at the {broken.stage} stage")
        solution = judge.judge(koan, koan.solution, shadow)
        if not solution.passed:
            problems.append(f"its solution fails at the {solution.stage} stage")
        if koan.check is not None and judge.judge(koan, stub_bodies(koan.solution), shadow).passed:
            problems.append("its hidden tests pass a solution whose function bodies are todo!()")
    return problems
