"""The day cycle of the original study: attempt koans, record every attempt as an episode.

A koan the engine fails is paired with its reference solution as the fix that
worked: that pairing is what the fix memory (patterns, examples) and the night
cycle learn from.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from ..engine.engine import FixEngine
from ..memory.store import Episode, FixMemory
from .evaluate import evaluate
from .judge import Judge
from .koans import LESSON_SPLIT, Koan


@dataclass
class DayOutcome:
    day: str
    attempted: int
    passed: int


def new_day_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def run_day(judge: Judge, koans: list[Koan], engine: FixEngine | None, store: FixMemory, strategy: str,
            model: str = "", adapter: str = "", on_done: Callable | None = None) -> DayOutcome:
    """Attempt every koan and record one episode each; koans of the frozen splits are refused."""
    if any(k.split != LESSON_SPLIT for k in koans):
        raise ValueError("only the train split is a lesson: eval and holdout are frozen benchmarks")
    day = new_day_id()
    by_id = {k.id: k for k in koans}

    def record(result):
        koan = by_id[result.id]
        store.record_episode(Episode(
            day=day, koan_id=koan.id, family=koan.family, passed=result.passed, stage=result.stage,
            error_code=koan.error_codes[0] if koan.error_codes else "", strategy=strategy, model=model,
            adapter=adapter, code_before=koan.broken, candidate=result.candidate,
            fix_that_worked=result.candidate if result.passed else koan.solution, case=result.case))
        if on_done:
            on_done(result)

    results = evaluate(judge, koans, engine, record)
    return DayOutcome(day, len(results), sum(r.passed for r in results))
