"""`sleepy eval`: run a fixing strategy over a folder of koans and score it with the judge."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from ..engine.engine import FixEngine
from ..errors import SleepyError
from ..model.records import ErrorCase
from ..vocabulary import KOAN_FAMILIES as FAMILIES
from .judge import Judge
from .koans import Koan


@dataclass
class KoanResult:
    id: str
    family: str
    split: str
    passed: bool
    stage: str
    seconds: float
    candidate: str
    first_fix_ms: float | None = None  # time the engine took to its first verified fix
    case: ErrorCase | None = None  # the koan's first error, as the model is shown it


def evaluate_koan(judge: Judge, koan: Koan, engine: FixEngine | None) -> KoanResult:
    """Repair the koan's broken code with the engine (None: leave it as it is) and judge the result.

    The engine takes at each error the fix it would offer first, which is a risky one (a panic added,
    an API changed) only when no clean fix compiles: the hidden tests judge what a user would get.
    """
    started = time.monotonic()
    first_fix_ms = case = None
    with judge.shadow(koan) as shadow:
        candidate = koan.broken
        if engine:
            repaired = engine.repair(shadow, koan.source_rel, koan.broken, allow_risky=True)
            candidate = repaired.code
            first_fix_ms = repaired.fixes[0].latency_ms if repaired.fixes else None
            case = ErrorCase.of(repaired.found[0], koan.source_rel, koan.broken) if repaired.found else None
        verdict = judge.judge(koan, candidate, shadow)
    return KoanResult(koan.id, koan.family, koan.split, verdict.passed, verdict.stage,
                      time.monotonic() - started, candidate, first_fix_ms, case)


def evaluate(judge: Judge, koans: list[Koan], engine: FixEngine | None,
             on_done: Callable[[KoanResult], None] | None = None) -> list[KoanResult]:
    return judge.map(koans, lambda k: evaluate_koan(judge, k, engine), on_done)


@dataclass
class FamilyScore:
    family: str
    koans: int
    passed: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.passed / self.koans if self.koans else 0.0

    @property
    def seconds_per_koan(self) -> float:
        return self.seconds / self.koans if self.koans else 0.0


def summarise(results: list[KoanResult]) -> list[FamilyScore]:
    """One score per family present, in the canonical family order, then the total."""
    by_family: dict[str, list[KoanResult]] = defaultdict(list)
    for result in results:
        by_family[result.family].append(result)
    scores = [
        FamilyScore(f, len(rs), sum(r.passed for r in rs), sum(r.seconds for r in rs))
        for f in FAMILIES if (rs := by_family.get(f))
    ]
    scores.append(FamilyScore("total", len(results), sum(r.passed for r in results),
                              sum(r.seconds for r in results)))
    return scores


def write_json(path: Path, strategy: str, results: list[KoanResult]) -> None:
    """The per-koan results and family scores, written atomically."""
    payload = {
        "strategy": strategy,
        "families": [asdict(s) | {"rate": s.rate} for s in summarise(results)],
        "koans": [asdict(r) for r in results],
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    tmp.replace(path)


def load_results(path: Path) -> dict[str, bool]:
    """Koan id -> passed, from a report written by write_json."""
    try:
        return {k["id"]: bool(k["passed"]) for k in json.loads(Path(path).read_text())["koans"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SleepyError(f"{path} is not a report written by `sleepy eval --json` ({exc}).") from None


def compare(baseline: dict[str, bool], results: list[KoanResult]) -> tuple[list[str], list[str]]:
    """The koans that regressed (passed before, fail now) and improved, by id."""
    regressed = [r.id for r in results if baseline.get(r.id) and not r.passed]
    improved = [r.id for r in results if r.passed and r.id in baseline and not baseline[r.id]]
    return regressed, improved
