"""`sleepy eval`: run a fixing strategy over a folder of koans and score it with the judge."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from .judge import Judge
from .koans import FAMILIES, Koan
from .repair import repair
from .rustc_suggestions import rustc_candidates
from .shadow import ShadowCrate

# A strategy turns a koan (and a shadow crate to try things in) into candidate code.
Strategy = Callable[[Koan, ShadowCrate], str]


def strategy_none(koan: Koan, shadow: ShadowCrate) -> str:
    """The broken code as it is: the floor every other strategy is measured against."""
    return koan.broken


def strategy_rustc(koan: Koan, shadow: ShadowCrate, max_rounds: int = 4) -> str:
    """Apply rustc's own suggestions, keeping an edit only when the build improves."""
    propose = lambda diagnostic, _code: rustc_candidates(diagnostic, koan.source_rel)
    return repair(shadow, koan.source_rel, koan.broken, propose, max_rounds).code


STRATEGIES: dict[str, Strategy] = {"none": strategy_none, "rustc": strategy_rustc}


@dataclass
class KoanResult:
    id: str
    family: str
    split: str
    passed: bool
    stage: str
    seconds: float
    candidate: str


def evaluate_koan(judge: Judge, koan: Koan, strategy: Strategy) -> KoanResult:
    started = time.monotonic()
    with judge.shadow(koan) as shadow:
        candidate = strategy(koan, shadow)
        verdict = judge.judge(koan, candidate, shadow)
    return KoanResult(koan.id, koan.family, koan.split, verdict.passed, verdict.stage,
                      time.monotonic() - started, candidate)


def evaluate(judge: Judge, koans: list[Koan], strategy: Strategy,
             on_done: Callable[[KoanResult], None] | None = None) -> list[KoanResult]:
    return judge.map(koans, lambda k: evaluate_koan(judge, k, strategy), on_done)


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
