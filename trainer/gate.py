"""The evaluation gate: which of tonight's candidates replace the champions.

A candidate is promoted only if it passes more eval koans than the champion
and breaks none that the champion passed; for per-family adapters the rule
applies to each family's koans separately. The gate works on evaluation
results (koan id -> passed), so it can be tested without a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping

from sleepy_lsp.vocabulary import ALL_FAMILIES, KOAN_FAMILIES

if TYPE_CHECKING:
    from .evaluate import Scores
    from .registry import Registry

Log = Callable[[str], None]


@dataclass
class Decision:
    """The gate's verdict for one scope (a family, or all koans).

    Args:
        scope: the family, or ALL_FAMILIES.
        promote: whether the candidate replaces the champion.
        reason: one sentence saying why.
        champion_passed: eval koans the champion passes in this scope.
        candidate_passed: eval koans the candidate passes in this scope.
        total: eval koans in this scope.
        regressions: koans the champion passed and the candidate fails.
        improvements: koans the candidate passes and the champion failed.
    """

    scope: str
    promote: bool
    reason: str
    champion_passed: int
    candidate_passed: int
    total: int
    regressions: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)


def _check_same_koans(champion: Mapping[str, bool], candidate: Mapping[str, bool]) -> None:
    missing = sorted(set(champion) ^ set(candidate))
    if missing:
        raise ValueError(f"champion and candidate were evaluated on different koans: {missing[:5]} "
                         "are in only one of them")


def decide(champion: Mapping[str, bool], candidate: Mapping[str, bool], scope: str = ALL_FAMILIES,
           koans: list[str] | None = None) -> Decision:
    """Promote only if the pass count improves and nothing the champion passed now fails.

    Args:
        champion: koan id -> passed, for the current champion (or the base model).
        candidate: koan id -> passed, for the candidate, on the same koans.
        scope: the family these koans belong to, or ALL_FAMILIES.
        koans: the koan ids to judge on (default: all of them).
    """
    _check_same_koans(champion, candidate)
    ids = sorted(koans if koans is not None else champion)
    unknown = [k for k in ids if k not in champion]
    if unknown:
        raise ValueError(f"koans {unknown[:5]} were not evaluated")
    before = sum(bool(champion[k]) for k in ids)
    after = sum(bool(candidate[k]) for k in ids)
    regressions = [k for k in ids if champion[k] and not candidate[k]]
    improvements = [k for k in ids if candidate[k] and not champion[k]]
    if regressions:
        reason = f"it breaks {len(regressions)} koan(s) the champion passed: {', '.join(regressions)}"
    elif after <= before:
        reason = f"it passes {after} of {len(ids)}, not more than the champion's {before}"
    else:
        reason = f"it passes {after} of {len(ids)} against the champion's {before}, with no regression"
    return Decision(scope, not regressions and after > before, reason, before, after, len(ids),
                    regressions, improvements)


def decide_per_family(champion: Mapping[str, bool], candidate: Mapping[str, bool],
                      families: Mapping[str, str], scopes: list[str] | None = None) -> dict[str, Decision]:
    """The gate applied to each family's koans on its own (for per-family adapters).

    Args:
        champion: koan id -> passed, for the champions.
        candidate: koan id -> passed, for the candidates.
        families: koan id -> family.
        scopes: the families to decide (default: every family with eval koans).
    """
    _check_same_koans(champion, candidate)
    unlabelled = sorted(k for k in champion if k not in families)
    if unlabelled:
        raise ValueError(f"koans {unlabelled[:5]} have no family")
    present = [f for f in KOAN_FAMILIES if any(fam == f for fam in families.values())]
    decisions = {}
    for family in scopes or present:
        ids = [k for k in champion if families[k] == family]
        if ids:
            decisions[family] = decide(champion, candidate, family, ids)
    return decisions


def pass_rates(results: Mapping[str, bool], families: Mapping[str, str]) -> dict[str, dict[str, int]]:
    """Passed and total per family (and "total"), in the canonical family order.

    Args:
        results: koan id -> passed.
        families: koan id -> family.
    """
    rates: dict[str, dict[str, int]] = {}
    for family in KOAN_FAMILIES:
        ids = [k for k in results if families.get(k) == family]
        if ids:
            rates[family] = {"passed": sum(bool(results[k]) for k in ids), "total": len(ids)}
    rates["total"] = {"passed": sum(bool(v) for v in results.values()), "total": len(results)}
    return rates


def gate_and_promote(registry: Registry, scores: Scores, entries: dict[str, str], per_family: bool,
                     log: Log) -> tuple[list[Decision], list[str]]:
    """Gate tonight's candidates against the champions, record their results and promote the winners.

    Returns the decisions and the ids of the adapters promoted (in one atomic write).

    Args:
        registry: the adapter registry.
        scores: tonight's evaluation.
        entries: task -> registered adapter id.
        per_family: decide each family on its own (per-family adapters routed by family), else once for all koans.
        log: progress messages.
    """
    if per_family:
        decisions = decide_per_family(scores.champion, scores.candidate, scores.families, scores.covered)
    else:
        decisions = {ALL_FAMILIES: decide(scores.champion, scores.candidate)}
    promoted = []
    for task, adapter_id in entries.items():
        # Recorded so that later nights score this adapter, once a champion, without evaluating it again.
        manifest = registry.manifest(adapter_id)
        manifest.eval_results = {k: passed for k, passed in scores.candidate.items()
                                 if task == ALL_FAMILIES or scores.families[k] == task}
        manifest.eval_scores = pass_rates(manifest.eval_results, scores.families)
        registry.update_manifest(manifest)
        decision = decisions.get(task if per_family else ALL_FAMILIES)
        if decision and decision.promote:
            promoted.append(adapter_id)
    if promoted:
        log(f"promoted {', '.join(promoted)} (champions version {registry.promote(*promoted)})")
    else:
        log("nothing promoted: the champions stay")
    return list(decisions.values()), promoted
