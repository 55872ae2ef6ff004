"""The evaluation gate and the night report.

A candidate is promoted only if it passes more eval koans than the champion
and breaks none that the champion passed; for per-family adapters the rule
applies to each family's koans separately. The gate works on evaluation
results (koan id -> passed), so it can be tested without a model.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

from sleepy_lsp.koans import FAMILIES

ALL = "all"


@dataclass
class Decision:
    """The gate's verdict for one scope (a family, or all koans).

    Args:
        scope: the family, or "all".
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


def decide(champion: Mapping[str, bool], candidate: Mapping[str, bool], scope: str = ALL,
           koans: list[str] | None = None) -> Decision:
    """Promote only if the pass count improves and nothing the champion passed now fails.

    Args:
        champion: koan id -> passed, for the current champion (or the base model).
        candidate: koan id -> passed, for the candidate, on the same koans.
        scope: the family these koans belong to, or "all".
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
    present = [f for f in FAMILIES if any(fam == f for fam in families.values())]
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
    for family in FAMILIES:
        ids = [k for k in results if families.get(k) == family]
        if ids:
            rates[family] = {"passed": sum(bool(results[k]) for k in ids), "total": len(ids)}
    rates["total"] = {"passed": sum(bool(v) for v in results.values()), "total": len(results)}
    return rates


# The night report ---------------------------------------------------------------------------------

@dataclass
class NightReport:
    """Everything one night did, for the markdown and JSON reports.

    Args:
        night: the night's id.
        method: "lora", "replay" or "share".
        base_model: the base model's path.
        per_family: whether adapters were trained per family.
        data: family -> training pairs (tonight's, before replay).
        replayed: pairs drawn from the replay buffer.
        trainable_params: per task, the chosen method's trainable parameters.
        lora_params_same_rank: plain LoRA's trainable parameters at the same rank.
        seconds: wall time of the night.
        steps: optimizer steps per task.
        before: family -> {"passed", "total"} for the champion(s).
        after: family -> {"passed", "total"} for the candidate(s).
        decisions: the gate's decisions by scope.
        promoted: adapter ids that became champions.
        notes: anything else worth reading (phase 1 bootstrap, phase 3 errors, ...).
    """

    night: str
    method: str
    base_model: str
    per_family: bool = False
    data: dict[str, int] = field(default_factory=dict)
    replayed: int = 0
    trainable_params: int = 0
    lora_params_same_rank: int = 0
    seconds: float = 0.0
    steps: dict[str, int] = field(default_factory=dict)
    before: dict[str, dict[str, int]] = field(default_factory=dict)
    after: dict[str, dict[str, int]] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[str]:
        return sorted({k for d in self.decisions for k in d.regressions})

    @property
    def parameter_ratio(self) -> float:
        return self.lora_params_same_rank / self.trainable_params if self.trainable_params else 0.0


def _rate(cell: Mapping[str, int] | None) -> str:
    if not cell or not cell.get("total"):
        return "-"
    return f"{cell['passed']}/{cell['total']} ({100.0 * cell['passed'] / cell['total']:.1f}%)"


def render_markdown(report: NightReport) -> str:
    """The night report as markdown.

    Args:
        report: the night's report.
    """
    lines = [f"# Night {report.night}: {report.method}{' per family' if report.per_family else ''}", ""]
    lines += [f"- base model: `{report.base_model}`",
              f"- training pairs: {sum(report.data.values())} tonight"
              + (f" + {report.replayed} replayed" if report.replayed else "")
              + (" (" + ", ".join(f"{f} {n}" for f, n in report.data.items()) + ")" if report.data else ""),
              f"- trainable parameters per task: {report.trainable_params:,} "
              f"(plain LoRA at the same rank: {report.lora_params_same_rank:,}; "
              f"{report.parameter_ratio:.0f}x fewer)" if report.method == "share" else
              f"- trainable parameters per adapter: {report.trainable_params:,}",
              "- steps: " + (", ".join(f"{t} {n}" for t, n in report.steps.items()) or "none"),
              f"- time: {report.seconds:.0f} s",
              f"- promoted: {', '.join(report.promoted) if report.promoted else 'nothing (the champion stays)'}", ""]
    if report.decisions:  # a night trained with --no-eval has no scores and no gate to show
        lines += ["| family | before | after |", "| --- | --- | --- |"]
        for family in [*(f for f in FAMILIES if f in report.before or f in report.after), "total"]:
            lines.append(f"| {family} | {_rate(report.before.get(family))} | {_rate(report.after.get(family))} |")
        lines += ["", "| scope | decision | why |", "| --- | --- | --- |"]
        for d in report.decisions:
            lines.append(f"| {d.scope} | {'promote' if d.promote else 'keep champion'} | {d.reason} |")
        lines += ["", f"Regressions: {', '.join(report.regressions) if report.regressions else 'none'}."]
    if report.notes:
        lines += ["", "Notes:", *(f"- {note}" for note in report.notes)]
    return "\n".join(lines) + "\n"


def report_json(report: NightReport) -> dict[str, Any]:
    """The night report as a JSON-ready dict (with derived fields spelled out).

    Args:
        report: the night's report.
    """
    return asdict(report) | {"regressions": report.regressions, "parameter_ratio": report.parameter_ratio}


def write_report(report: NightReport, folder: Path) -> tuple[Path, Path]:
    """Write night-<id>.md and night-<id>.json atomically; returns both paths.

    Args:
        report: the night's report.
        folder: where reports go.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / f"night-{report.night}.md", folder / f"night-{report.night}.json")
    for path, text in zip(paths, (render_markdown(report), json.dumps(report_json(report), indent=2))):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return paths
