"""The night report: what one night did, as markdown and JSON files and as rows of the fix memory's nights table.

The night fills a `NightReport` phase by phase (data, training, the gate's
decisions); this module renders it, writes it atomically and records it for
`sleepy review`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from sleepy_lsp.errors import SleepyError
from sleepy_lsp.memory.store import FixMemory, Night
from sleepy_lsp.vocabulary import KOAN_FAMILIES

from .gate import Decision

if TYPE_CHECKING:
    from .night import NightPlan

Log = Callable[[str], None]


@dataclass
class ShareAccount:
    """Share's sizes and phase 3 for one night: what a fair comparison with LoRA has to count.

    Args:
        loadings_params: one task's loadings ((K_a + K_b) x r per layer) while it trained.
        rank_update_params: one task's rank-update vectors while it trained.
        basis_params: frozen parameters of the basis after phase 3 (stored, not trained).
        k_before: (fewest, most) directions per side across layers while tonight's tasks trained.
        k_after: the same after phase 3.
        bootstrap_params: trainable parameters of the LoRA a first night trains to find its basis (0: none).
        bootstrap_steps: that LoRA's optimizer steps.
        bootstrap_learning_rate: its learning rate.
        phase1_error: worst relative delta-W error of that LoRA projected onto the first basis.
        phase3_errors: task -> its worst relative delta-W error across layers after phase 3.
        phase3_without_growth: task -> the error a merge keeping K fixed would have left.
        merge_tolerance: the error phase 3 keeps every task within, unless max_k stops it.
        capped_layers: layers where max_k stopped the growth short of the tolerance.
        reexported: earlier nights' tasks whose delta W phase 3 changed, exported again tonight.
    """

    loadings_params: int = 0
    rank_update_params: int = 0
    basis_params: int = 0
    k_before: tuple[int, int] = (0, 0)
    k_after: tuple[int, int] = (0, 0)
    bootstrap_params: int = 0
    bootstrap_steps: int = 0
    bootstrap_learning_rate: float | None = None
    phase1_error: float | None = None
    phase3_errors: dict[str, float] = field(default_factory=dict)
    phase3_without_growth: dict[str, float] = field(default_factory=dict)
    merge_tolerance: float = 0.0
    capped_layers: list[str] = field(default_factory=list)
    reexported: list[str] = field(default_factory=list)

    @property
    def phase3_worst(self) -> float:
        return max(self.phase3_errors.values(), default=0.0)

    def lines(self) -> list[str]:
        """The account as markdown list items."""
        def span(k: tuple[int, int]) -> str:
            return str(k[0]) if k[0] == k[1] else f"{k[0]}-{k[1]}"

        lines = [f"- Share basis: {span(self.k_before)} -> {span(self.k_after)} directions per side, "
                 f"{self.basis_params:,} frozen parameters ({4 * self.basis_params / 2**20:.1f} MB in float32)"]
        if self.bootstrap_params:
            lines.append(f"- first night's bootstrap: one LoRA of {self.bootstrap_params:,} parameters trained "
                         f"{self.bootstrap_steps} steps at lr {self.bootstrap_learning_rate:g} to find the basis"
                         + (f" (its delta W kept within {self.phase1_error:.1e})" if self.phase1_error is not None
                            else ""))
        if self.phase3_errors:
            worst = max(self.phase3_errors, key=self.phase3_errors.get)
            fixed = max(self.phase3_without_growth.values(), default=0.0)
            lines.append(f"- phase 3: worst relative delta-W error {self.phase3_errors[worst]:.1e} ({worst}; "
                         f"tolerance {self.merge_tolerance:g}); keeping K fixed would have left {fixed:.1e}")
        if self.capped_layers:
            lines.append(f"- phase 3: max_k stopped the growth short of the tolerance in {len(self.capped_layers)} "
                         f"layer(s), e.g. {self.capped_layers[0]}")
        if self.reexported:
            lines.append(f"- re-exported after phase 3 changed their delta W: {', '.join(self.reexported)}")
        return lines


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
        notes: anything else worth reading.
        share: for Share, the sizes, the bootstrap and phase 3 (None for LoRA and replay).
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
    share: ShareAccount | None = None

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
              f"- trainable parameters per task: {report.trainable_params:,}"
              + (f" ({report.share.loadings_params:,} loadings + {report.share.rank_update_params:,} rank updates)"
                 if report.share else "")
              + f" (plain LoRA at the same rank: {report.lora_params_same_rank:,}; "
              f"{report.parameter_ratio:.1f}x fewer)" if report.method == "share" else
              f"- trainable parameters per adapter: {report.trainable_params:,}",
              "- steps: " + (", ".join(f"{t} {n}" for t, n in report.steps.items()) or "none"),
              f"- time: {report.seconds:.0f} s",
              f"- promoted: {', '.join(report.promoted) if report.promoted else 'nothing (the champion stays)'}"]
    lines += [*(report.share.lines() if report.share else []), ""]
    if report.decisions:  # a night trained with --no-eval has no scores and no gate to show
        lines += ["| family | before | after |", "| --- | --- | --- |"]
        for family in [*(f for f in KOAN_FAMILIES if f in report.before or f in report.after), "total"]:
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


def record_night_in_memory(plan: NightPlan, report: NightReport, entries: dict[str, str], log: Log) -> None:
    """Add the night to the fix memory's nights table (for `sleepy review`); skipped when there is no memory.

    A failure here is logged, not raised: the night's adapters and report are already written.

    Args:
        plan: tonight's plan.
        report: the night report.
        entries: task -> adapter id.
        log: notes.
    """
    if not plan.use_memory:
        return
    try:
        memory = FixMemory.open(plan.memory_path)
    except SleepyError as exc:
        log(f"the night was not recorded in the fix memory: {exc}")
        return
    before, after = _fraction(report.before.get("total")), _fraction(report.after.get("total"))
    with memory:
        for task, adapter_id in entries.items():
            memory.record_night(Night(night=report.night, method=plan.method, family=task, adapter=adapter_id,
                                      base_model=str(plan.base_model), trainable_params=report.trainable_params,
                                      examples=sum(report.data.values()), seconds=report.seconds,
                                      score_before=before, score_after=after, regressions=len(report.regressions),
                                      promoted=adapter_id in report.promoted, report=report_json(report)))


def _fraction(cell: Mapping[str, int] | None) -> float:
    return cell.get("passed", 0) / cell["total"] if cell and cell.get("total") else 0.0
