"""One night, phase by phase: gather the data, train, publish, evaluate and gate, report.

Each phase is a call into the module that owns it: `dataset` (tonight's
records and tasks), `tasks` (LoRA or Share training), `publish` (the
registry), `evaluate` and `gate` (scores and promotion), `report`. Everything
a night writes goes through the registry (adapters, champions), the replay
buffer, the reports folder and a run folder of checkpoints that is removed
once the night finishes. A night killed halfway resumes from its checkpoints
when the same command runs again with the same data.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import platformdirs

from sleepy_lsp.benchmark.koans import DEFAULT_KOANS
from sleepy_lsp.errors import SleepyError

from .data import FixRecord, ReplayBuffer, family_counts
from .dataset import gather_records, task_data, with_replay
from .evaluate import evaluate_candidates
from .gate import gate_and_promote, pass_rates
from .loop import TrainSettings, batch_schedule, latest_checkpoint
from .lora import LoraSettings, linear_shapes, lora_parameter_count, lora_warm_starts
from .publish import publish
from .registry import Registry, share_parent
from .report import NightReport, record_night_in_memory, write_report
from .share import ShareSettings, share_parameter_count
from .tasks import Run, train_lora_tasks, train_share_tasks

METHODS = ("lora", "replay", "share")
COMBINES = ("route", "average")
Log = Callable[[str], None]


class NoData(SleepyError):
    """Tonight has nothing to learn from."""

    def __init__(self) -> None:
        super().__init__("There is no training data tonight: accept some fixes, run `sleepy day`, "
                         "or pass --koans DIR / --data FILE.jsonl.")


def default_work_root() -> Path:
    """Where checkpoints, the replay buffer, evaluation caches and night reports live."""
    return Path(platformdirs.user_data_dir("sleepy-coder"))


@dataclass(frozen=True)
class NightPlan:
    """What tonight does.

    Args:
        method: "lora", "replay" or "share".
        base_model: a .gguf file or a Hugging Face folder.
        per_family: one adapter (or one set of Share loadings) per error family.
        combine: "route" (select per family) or "average" (average Share loadings: the study's failure mode).
        lora: LoRA's shape (also the rank Share tasks use).
        share: Share's shape.
        train: steps, limits, learning rate, seed.
        bootstrap_learning_rate: Share's first night, when no adapter exists yet, trains one LoRA on tonight's
            records to find its basis; at this rate (LoRA's own default), with train's other settings.
        registry_root: the adapter registry folder.
        work_root: checkpoints, replay buffer, evaluation caches and reports.
        koans_dir: a koan folder whose train split becomes data (None: no koans).
        eval_koans_dir: the koan folder whose eval split the gate scores on.
        data_files: extra JSON-lines files of fix records.
        use_memory: read the fix memory.
        memory_path: the fix memory's database (None: the user's).
        families: only these families' data tonight (None: all).
        evaluate: evaluate and gate the candidates.
        eval_strategy: the engine strategy evaluation runs ("model" or "full").
        replay_ratio: replayed pairs per new pair for method "replay".
        max_length: longest training sequence in tokens.
        device: "cuda", "cpu" or None to choose.
        jobs: koans judged in parallel.
    """

    method: str
    base_model: Path
    per_family: bool = False
    combine: str = "route"
    lora: LoraSettings = field(default_factory=LoraSettings)
    share: ShareSettings = field(default_factory=ShareSettings)
    train: TrainSettings = field(default_factory=TrainSettings)
    bootstrap_learning_rate: float = 2e-4
    registry_root: Path | None = None
    work_root: Path | None = None
    koans_dir: Path | None = DEFAULT_KOANS
    eval_koans_dir: Path = DEFAULT_KOANS
    data_files: tuple[Path, ...] = ()
    use_memory: bool = True
    memory_path: Path | None = None
    families: tuple[str, ...] | None = None
    evaluate: bool = True
    eval_strategy: str = "model"
    replay_ratio: float = 1.0
    max_length: int = 1024
    device: str | None = None
    jobs: int | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method {self.method!r} must be one of {METHODS}")
        if self.combine not in COMBINES:
            raise ValueError(f"combine {self.combine!r} must be one of {COMBINES}")
        if self.combine == "average" and self.method != "share":
            raise ValueError(f"combine='average' averages Share loadings; method {self.method!r} has none")
        if self.combine == "average" and not self.per_family:
            raise ValueError("combine='average' needs per-family loadings to average: add per_family")
        if self.lora.r != self.share.r:
            raise ValueError(f"LoRA rank {self.lora.r} and Share rank {self.share.r} must agree for a fair comparison")
        if not self.bootstrap_learning_rate > 0:
            raise ValueError(f"bootstrap_learning_rate={self.bootstrap_learning_rate!r} must be positive")
        if self.replay_ratio < 0:
            raise ValueError(f"replay_ratio={self.replay_ratio!r} must be 0 or more")
        if self.eval_strategy not in ("model", "full"):
            raise ValueError(f"eval_strategy {self.eval_strategy!r} must be 'model' or 'full'")

    @property
    def registry(self) -> Registry:
        return Registry(self.registry_root)

    @property
    def work(self) -> Path:
        return Path(self.work_root) if self.work_root else default_work_root()


def night_id() -> str:
    """A sortable, unique id for tonight (UTC time to the millisecond)."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}"


def fingerprint(plan: NightPlan, tasks: dict[str, list[FixRecord]], parent: str | None) -> str:
    """Identifies a night's training: same data, method and settings give the same value.

    Step and time limits are left out so a rerun with another limit still resumes.

    Args:
        plan: tonight's plan.
        tasks: the records each task trains on.
        parent: the Share basis tonight starts from.
    """
    settings = asdict(plan.train) | {"max_steps": None, "time_budget": None}
    payload = {"method": plan.method, "per_family": plan.per_family, "combine": plan.combine,
               "base": str(plan.base_model), "lora": asdict(plan.lora), "share": asdict(plan.share),
               "train": settings, "bootstrap_learning_rate": plan.bootstrap_learning_rate,
               "max_length": plan.max_length, "parent": parent,
               "tasks": {t: sorted(r.key for r in rs) for t, rs in sorted(tasks.items())}}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def starting_point(plan: NightPlan, tasks: dict[str, list[FixRecord]]) -> tuple[str | None, dict[str, str], str]:
    """Where tonight's training starts: the Share basis it grows from, the champion LoRAs it continues, and the
    run's fingerprint, which covers both so that a changed starting point never resumes another run's checkpoints.

    Args:
        plan: tonight's plan.
        tasks: the records each task trains on.
    """
    if plan.method == "share":
        parent, starts = share_parent(plan.registry, str(plan.base_model)), {}
    else:
        parent, starts = None, lora_warm_starts(plan.registry, tasks, str(plan.base_model), plan.lora.r)
    return parent, starts, fingerprint(plan, tasks, parent or json.dumps(starts, sort_keys=True))


# The night --------------------------------------------------------------------------------------

def run_night(plan: NightPlan, log: Log, judge_factory: Callable[[], Any] | None = None,
              records: list[FixRecord] | None = None) -> NightReport:
    """Run one night end to end and return its report (also written to disk).

    Args:
        plan: tonight's plan.
        log: progress messages.
        judge_factory: makes the Judge (default: one with the platform cache).
        records: tonight's records when already gathered (else gathered here).
    """
    from sleepy_lsp.benchmark.judge import Judge

    from .models import load_model, load_tokenizer, pick_placement

    started = time.monotonic()
    judge_factory = judge_factory or (lambda: Judge(jobs=plan.jobs))
    night = night_id()
    # Data: tonight's records by task, with earlier nights' mixed in for the replay method.
    records = gather_records(plan, judge_factory, log) if records is None else records
    tasks = task_data(records, plan.per_family)
    if not tasks:
        raise NoData()
    tasks, replayed = with_replay(plan, tasks, night)
    parent, starts, fp = starting_point(plan, tasks)
    run = Run(plan.work / "runs" / fp, fp, started + plan.train.time_budget if plan.train.time_budget else None)
    placement = pick_placement(plan.device)
    log(f"night {night}: {plan.method}{' per family' if plan.per_family else ''}, tasks "
        + ", ".join(f"{t} ({len(rs)})" for t, rs in tasks.items()) + f", on {placement.device} in {placement.dtype_name}")
    # Training.
    tokenizer = load_tokenizer(plan.base_model)
    model = load_model(plan.base_model, placement)
    shapes = linear_shapes(model, plan.lora.target_modules)
    if plan.method == "share":
        trained = train_share_tasks(model, tokenizer, tasks, plan, run, parent, log)
    else:
        trained = train_lora_tasks(model, tokenizer, tasks, plan, run, log, starts=starts)
    report = NightReport(night, plan.method, str(plan.base_model), plan.per_family,
                         data=family_counts(records), replayed=replayed,
                         trainable_params=trained.trainable_params,
                         lora_params_same_rank=lora_parameter_count(shapes, plan.lora.r),
                         steps={t: r.steps for t, r in trained.results.items()}, notes=list(trained.notes),
                         share=trained.share)
    # Publishing, then evaluation and the gate: only a candidate measured better becomes a champion.
    entries = publish(plan, trained, night, report, log)
    if plan.evaluate:
        scores = evaluate_candidates(plan, trained, tokenizer, judge_factory, log)
        report.before = pass_rates(scores.champion, scores.families)
        report.after = pass_rates(scores.candidate, scores.families)
        per_family = plan.per_family and plan.combine == "route"
        report.decisions, report.promoted = gate_and_promote(plan.registry, scores, entries, per_family, log)
    else:
        report.notes.append("not evaluated (--no-eval): nothing was promoted")
    # Remembering: the replay buffer, the checkpoints of an unfinished run, the report.
    ReplayBuffer(plan.work / "replay").add_night(night, records)
    unfinished = [t for t, r in trained.results.items() if not r.finished]
    if unfinished:
        report.notes.append(f"the time budget stopped {', '.join(unfinished)} early: the same command resumes them")
    else:
        shutil.rmtree(run.folder, ignore_errors=True)
    report.seconds = time.monotonic() - started
    write_report(report, plan.work / "nights")
    record_night_in_memory(plan, report, entries, log)
    return report


# The plan, printed ------------------------------------------------------------------------------

def describe_plan(plan: NightPlan, records: list[FixRecord], log: Log) -> list[tuple[str, str]]:
    """What a night would do, without loading weights (for --dry-run).

    Args:
        plan: tonight's plan.
        records: tonight's records.
        log: notes.
    """
    from .models import meta_model, model_shapes_config, pick_placement

    tasks, replayed = with_replay(plan, task_data(records, plan.per_family), night_id())
    parent, starts, fp = starting_point(plan, tasks)
    shapes = linear_shapes(meta_model(model_shapes_config(plan.base_model)), plan.lora.target_modules)
    lora_count = lora_parameter_count(shapes, plan.lora.r)
    share_count = share_parameter_count(shapes, plan.share)
    placement = pick_placement(plan.device)
    run_dir = plan.work / "runs" / fp
    resumable = [p.name for p in run_dir.glob("*") if p.is_dir() and latest_checkpoint(p, f"{fp}:{p.name}")]
    rows = [("method", plan.method + (" per family" if plan.per_family else "") + f", combine={plan.combine}"),
            ("base model", str(plan.base_model)),
            ("device", f"{placement.device} ({placement.dtype_name})"),
            ("data", ", ".join(f"{f} {n}" for f, n in family_counts(records).items()) or "none"),
            ("replayed", str(replayed)),
            ("tasks", ", ".join(f"{t}: {len(batch_schedule(len(rs), plan.train))} steps" for t, rs in tasks.items()) or "none"),
            ("time budget", f"{plan.train.time_budget:.0f} s" if plan.train.time_budget else "none"),
            ("LoRA params / adapter", f"{lora_count:,} (r={plan.lora.r}, {len(shapes)} layers)"),
            ("Share params / task", f"{share_count:,} at K={plan.share.k or f'by variance {plan.share.variance}'} "
                                    f"with {plan.share.rank_updates} rank update(s) per side "
                                    f"({lora_count / share_count:.1f}x fewer; K grows to at most {plan.share.max_k}, "
                                    f"and a first night also trains one bootstrap LoRA)"),
            ("continues from", ", ".join(f"{t}: {a}" for t, a in starts.items()) or "-"),
            ("Share basis", parent or ("phase 1 from the registry's LoRA adapters or tonight's" if plan.method == "share" else "-")),
            ("registry", str(plan.registry.root)),
            ("checkpoints", f"{run_dir}" + (f" (resumes {', '.join(resumable)})" if resumable else "")),
            ("evaluation", f"eval split, strategy {plan.eval_strategy}" if plan.evaluate else "off")]
    return rows
