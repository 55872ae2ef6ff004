"""One night: gather the data, train with the chosen method, evaluate, gate, publish and report.

Everything a night writes goes through the registry (adapters, champions),
the replay buffer, the reports folder and a run folder of checkpoints that
is removed once the night finishes. A night killed halfway resumes from its
checkpoints when the same command runs again with the same data.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import platformdirs
import sleepy_lsp

from sleepy_lsp.errors import SleepyError
from sleepy_lsp.koans import FAMILIES as KOAN_FAMILIES
from sleepy_lsp.koans import load_koans

from .data import (FixRecord, ReplayBuffer, dedup, examples_from_koans, examples_from_memory, family_counts,
                   first_error, read_jsonl, tokenize_records)
from .gate import NightReport, decide, decide_per_family, pass_rates, write_report
from .loop import TrainResult, TrainSettings, batch_schedule, latest_checkpoint, train
from .lora import LoraSettings, attach_lora, lora_factors, lora_parameter_count, linear_shapes, save_factors_as_peft
from .registry import ALL_FAMILIES, Manifest, Registry
from .share import (ShareSettings, add_task, attach_share, freeze_for_task, share_layers, load_share, phase1_basis,
                    phase3_merge, project_factors, save_share, share_parameter_count, task_factors, tasks_of)

METHODS = ("lora", "replay", "share")
COMBINES = ("route", "average")
DEFAULT_KOANS = Path(sleepy_lsp.__file__).resolve().parent.parent / "koans"
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


# Data -------------------------------------------------------------------------------------------

def koan_records(koans_dir: Path, judge: Any, log: Log) -> list[FixRecord]:
    """Fix records from a koan folder's train split, errors rendered by `cargo check` in parallel.

    Args:
        koans_dir: the koan folder.
        judge: a Judge.
        log: progress messages.
    """
    koans = load_koans(koans_dir, split="train")
    log(f"checking {len(koans)} train koans for their rustc errors")
    rendered = judge.map(koans, lambda k: first_error(k, judge))
    errors = {k.id: r for k, r in zip(koans, rendered) if r is not None}
    return examples_from_koans([k for k in koans if k.id in errors], errors=errors)


def memory_records(path: Path | None, log: Log) -> list[FixRecord]:
    """Fix records from the fix memory; none (with a note) when there is no memory yet.

    Args:
        path: the database (None: the user's).
        log: notes.
    """
    try:
        from sleepy_lsp.store import FixMemory
    except ImportError:
        log("the fix memory module is not available: training on koans and data files only")
        return []
    with FixMemory.open_existing(path) as memory:
        if not getattr(memory, "enabled", True):
            log("there is no fix memory yet: training on koans and data files only")
            return []
        return examples_from_memory(memory)


def gather_records(plan: NightPlan, judge_factory: Callable[[], Any], log: Log) -> list[FixRecord]:
    """Tonight's deduplicated records: koans' train split, data files, then the fix memory.

    Koan records come first so that, between duplicates, the one with
    rustc's full rendered error is kept.

    Args:
        plan: tonight's plan.
        judge_factory: makes a Judge when koans need checking.
        log: progress messages.
    """
    records: list[FixRecord] = []
    if plan.koans_dir is not None:
        records += koan_records(plan.koans_dir, judge_factory(), log)
    for path in plan.data_files:
        records += read_jsonl(path)
    if plan.use_memory:
        records += memory_records(plan.memory_path, log)
    records = dedup(records)
    if plan.families is not None:
        records = [r for r in records if r.family in plan.families]
    return records


def task_data(records: list[FixRecord], per_family: bool) -> dict[str, list[FixRecord]]:
    """Records by task: one task per family present, or the single task "all".

    Args:
        records: tonight's records.
        per_family: split by family.
    """
    if not per_family:
        return {ALL_FAMILIES: list(records)} if records else {}
    return {family: [r for r in records if r.family == family] for family in family_counts(records)}


def with_replay(plan: NightPlan, tasks: dict[str, list[FixRecord]], night: str) -> tuple[dict[str, list[FixRecord]], int]:
    """For method "replay": each task's data plus earlier nights' records (same family for per-family tasks).

    Args:
        plan: tonight's plan.
        tasks: tonight's records by task.
        night: tonight's id (its own file is never replayed).
    """
    if plan.method != "replay":
        return tasks, 0
    buffer = ReplayBuffer(plan.work / "replay")
    mixed, replayed = {}, 0
    for task, records in tasks.items():
        family = None if task == ALL_FAMILIES else task
        extra = buffer.sample(math.ceil(plan.replay_ratio * len(records)), plan.train.seed, records, night, family)
        mixed[task] = records + extra
        replayed += len(extra)
    return mixed, replayed


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
               "train": settings, "max_length": plan.max_length, "parent": parent,
               "tasks": {t: sorted(r.key for r in rs) for t, rs in sorted(tasks.items())}}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


# Share's starting point -------------------------------------------------------------------------

def share_parent(registry: Registry, base_model: str) -> str | None:
    """The Share basis tonight grows from: the one behind a current champion, else the newest; None for a first night.

    Args:
        registry: the adapter registry.
        base_model: only bases built on this model count.
    """
    bases = [m for m in registry.manifests("share", "basis") if m.base_model == base_model]
    if not bases:
        return None
    champions = {c.adapter for c in registry.champions().values()}
    behind = {registry.manifest(a).parent_basis for a in champions}
    chosen = [m for m in bases if m.id in behind] or bases
    return chosen[-1].id


def registry_lora_factors(registry: Registry, base_model: str) -> list[dict[str, tuple[Any, Any]]]:
    """Every servable LoRA adapter's factors (scaling folded into B) for phase 1.

    Args:
        registry: the adapter registry.
        base_model: only adapters of this base model count.
    """
    return [read_peft_factors(registry.path(m.id)) for m in registry.manifests(kind="adapter")
            if m.method in ("lora", "replay") and m.base_model == base_model]


def read_peft_factors(folder: Path) -> dict[str, tuple[Any, Any]]:
    """A peft LoRA folder's factors, module name -> (A, B) with the scaling folded into B.

    Args:
        folder: a folder with adapter_config.json and adapter_model.safetensors.
    """
    from safetensors.torch import load_file

    config = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
    scale = float(config.get("lora_alpha", config["r"])) / float(config["r"])
    tensors = load_file(str(folder / "adapter_model.safetensors"))
    factors = {}
    for name, tensor in tensors.items():
        if name.endswith(".lora_A.weight"):
            module = name.removeprefix("base_model.model.").removesuffix(".lora_A.weight")
            factors[module] = (tensor.float(), tensors[name.replace("lora_A", "lora_B")].float() * scale)
    return factors


def lora_warm_starts(registry: Registry, tasks: dict[str, list[FixRecord]], plan: NightPlan) -> dict[str, str]:
    """task -> the champion LoRA adapter it continues from (same base model and rank); empty for Share.

    Continuing from the champion is what makes a sequence of LoRA nights
    continual learning (and what makes forgetting, and replay against it,
    possible); a task without such a champion starts fresh.

    Args:
        registry: the adapter registry.
        tasks: tonight's tasks.
        plan: tonight's plan.
    """
    if plan.method == "share":
        return {}
    starts = {}
    for task in tasks:
        champion = registry.champions().get(task) if task != ALL_FAMILIES else registry.champions().get(ALL_FAMILIES)
        if champion is None:
            continue
        manifest = registry.manifest(champion.adapter)
        if manifest.method not in ("lora", "replay") or manifest.base_model != str(plan.base_model):
            continue
        config = json.loads((registry.path(manifest.id) / "adapter_config.json").read_text(encoding="utf-8"))
        if int(config.get("r", -1)) == plan.lora.r:
            starts[task] = manifest.id
    return starts


def warm_start(model: Any, task: str, factors: dict[str, tuple[Any, Any]]) -> None:
    """Copy saved factors into a freshly attached LoRA adapter (undoing the folded scaling on B).

    Args:
        model: a PeftModel with the task's adapter attached.
        task: the adapter's name.
        factors: module name -> (A, B) with the scaling folded into B.
    """
    import torch

    with torch.no_grad():
        for name, module in model.named_modules():
            lora_a = getattr(module, "lora_A", None)
            key = name.removeprefix("base_model.model.")
            if lora_a is None or task not in lora_a or key not in factors:
                continue
            a, b = factors[key]
            lora_a[task].weight.copy_(a)
            module.lora_B[task].weight.copy_(b / module.scaling[task])


# Training ---------------------------------------------------------------------------------------

@dataclass
class Trained:
    """What training produced: the model, per-task factors, step counts and notes.

    Args:
        model: the model with tonight's adapters.
        factors: task -> module name -> (A, B), what gets published.
        results: task -> its training result.
        trainable_params: per task.
        notes: what the report should mention.
        parent_basis: for Share, the basis entry tonight grew from.
    """

    model: Any
    factors: dict[str, dict[str, tuple[Any, Any]]]
    results: dict[str, TrainResult] = field(default_factory=dict)
    trainable_params: int = 0
    notes: list[str] = field(default_factory=list)
    parent_basis: str | None = None


def train_lora_tasks(model: Any, tokenizer: Any, tasks: dict[str, list[FixRecord]], plan: NightPlan,
                     run_dir: Path, fp: str, deadline: float | None, log: Log, prefix: str = "lora",
                     starts: dict[str, str] | None = None) -> Trained:
    """One LoRA adapter per task, trained in turn (each resumes from its own checkpoints).

    Args:
        model: the base model.
        tokenizer: its tokenizer.
        tasks: records by task.
        plan: tonight's plan.
        run_dir: the run's checkpoint folder.
        fp: the run's fingerprint.
        deadline: time.monotonic() value at which training stops.
        log: progress messages.
        prefix: checkpoint sub-folder prefix.
        starts: task -> champion adapter id to continue from.
    """
    trained = Trained(model, {})
    for task, records in tasks.items():
        trained.model = attach_lora(trained.model, plan.lora, task, str(plan.base_model))
        if starts and task in starts:
            warm_start(trained.model, task, read_peft_factors(plan.registry.path(starts[task])))
            trained.notes.append(f"{task}: continued from the champion {starts[task]}")
        pairs = tokenize_records(tokenizer, records, plan.max_length)
        if len(pairs) < len(records):
            log(f"{task}: {len(records) - len(pairs)} pair(s) longer than --max-length {plan.max_length} left out")
        result = _train_task(trained.model, tokenizer, pairs, plan, run_dir / f"{prefix}-{task}", fp, deadline, log, task)
        trained.results[task] = result
        trained.factors[task] = lora_factors(trained.model, task)
    trained.trainable_params = sum(p.numel() for n, p in trained.model.named_parameters()
                                   if "lora_" in n and f".{task}." in n)
    return trained


def _train_task(model: Any, tokenizer: Any, pairs: list, plan: NightPlan, checkpoints: Path, fp: str,
                deadline: float | None, log: Log, task: str) -> TrainResult:
    if not pairs:
        raise ValueError(f"task {task!r} has no training pair short enough for max_length={plan.max_length}")
    result = train(model, pairs, plan.train, tokenizer.pad_token_id, checkpoints, f"{fp}:{checkpoints.name}",
                   deadline, label=f"{checkpoints.name} ({len(pairs)} pairs)")
    if result.resumed_from:
        log(f"{checkpoints.name}: resumed from step {result.resumed_from}")
    log(f"{checkpoints.name}: {result.steps}/{result.total_steps} steps, stopped: {result.stopped}"
        + (f", last loss {result.losses[-1]:.3f}" if result.losses else ""))
    return result


def train_share_tasks(model: Any, tokenizer: Any, tasks: dict[str, list[FixRecord]], plan: NightPlan,
                      run_dir: Path, fp: str, deadline: float | None, parent: str | None, log: Log) -> Trained:
    """Share's three phases for tonight's tasks.

    Args:
        model: the base model.
        tokenizer: its tokenizer.
        tasks: records by task.
        plan: tonight's plan.
        run_dir: the run's checkpoint folder.
        fp: the run's fingerprint.
        deadline: time.monotonic() value at which training stops.
        parent: the Share basis entry to grow from (None: phase 1 now).
        log: progress messages.
    """
    registry = plan.registry
    notes: list[str] = []
    initial: dict[str, dict[str, tuple[Any, Any]]] = {}
    results: dict[str, TrainResult] = {}
    if parent is not None:
        model, _ = load_share(model, registry.path(parent) / "share")
        notes.append(f"phase 1: grew from the Share basis {parent} (tasks: {', '.join(tasks_of(model)) or 'none'})")
    else:
        sources = registry_lora_factors(registry, str(plan.base_model))
        if not sources:
            log("no adapters yet: phase 1 starts from tonight's LoRA adapters")
            notes.append("phase 1 started from tonight's LoRA adapters (the registry held none)")
            boot = train_lora_tasks(model, tokenizer, tasks, plan, run_dir, fp, deadline, log, prefix="bootstrap")
            model = boot.model.unload()
            sources = list(boot.factors.values())
            results = {f"bootstrap-{t}": r for t, r in boot.results.items()}
            bootstrap = boot.factors
        else:
            notes.append(f"phase 1 decomposed the registry's {len(sources)} LoRA adapter(s)")
            bootstrap = {}
        basis = phase1_basis(sources, plan.share)
        attach_share(model, basis, plan.share)
        initial = {task: project_factors(basis, factors) for task, factors in bootstrap.items()}
    trainable = 0
    for index, (task, records) in enumerate(tasks.items()):
        existing = None
        if task in tasks_of(model):
            existing = {name: (layer.share_eps_a[task].detach().clone(), layer.share_eps_b[task].detach().clone())
                        for name, layer in share_layers(model).items()}
        add_task(model, task, initial.get(task) or existing, seed=plan.train.seed + index,
                 rank_updates=plan.share.rank_updates)
        trainable = freeze_for_task(model, task)
        pairs = tokenize_records(tokenizer, records, plan.max_length)
        if len(pairs) < len(records):
            log(f"{task}: {len(records) - len(pairs)} pair(s) longer than --max-length {plan.max_length} left out")
        results[task] = _train_task(model, tokenizer, pairs, plan, run_dir / f"share-{task}", fp, deadline, log, task)
    errors = phase3_merge(model, plan.share)
    notes.append("phase 3: worst relative delta-W reconstruction error per task after re-projection: "
                 + ", ".join(f"{t} {e:.2e}" for t, e in sorted(errors.items())))
    factors = {task: task_factors(model, task) for task in tasks}
    if plan.combine == "average":
        factors = {ALL_FAMILIES: _averaged_factors(model)}
        notes.append("combine=average: every task's loadings averaged into one adapter (the study's failure mode)")
    return Trained(model, factors, results, trainable, notes, parent)


def _averaged_factors(model: Any) -> dict[str, tuple[Any, Any]]:
    import torch

    factors = {}
    with torch.no_grad():
        for name, layer in share_layers(model).items():
            side_a, side_b = layer.averaged_side_matrices(layer.tasks)
            factors[name] = (side_a.t().cpu().contiguous(), side_b.cpu().contiguous())
    return factors


# Evaluation and the gate ------------------------------------------------------------------------

def baseline_results(plan: NightPlan, koans: list[Any], run_eval: Callable[[Any], dict[str, bool]],
                     log: Log) -> dict[str, bool]:
    """The base model's results on the eval koans, cached per base model, koan set and strategy.

    Args:
        plan: tonight's plan.
        koans: the eval koans.
        run_eval: evaluates a routing (the base routing here) and returns koan id -> passed.
        log: progress messages.
    """
    from .evaluate import Routing

    key = hashlib.sha1(json.dumps([str(plan.base_model), plan.eval_strategy, sorted(k.id for k in koans)]).encode())
    path = plan.work / "evals" / f"base-{key.hexdigest()[:16]}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    log("evaluating the base model once (cached for later nights)")
    results = run_eval(Routing("base"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


def champion_results(registry: Registry, koans: list[Any], baseline: dict[str, bool]) -> dict[str, bool]:
    """What the current champions pass: each koan scored by its family's champion (recorded when it was gated).

    Args:
        registry: the adapter registry.
        koans: the eval koans.
        baseline: the base model's results, for families without a champion.
    """
    results = {}
    for koan in koans:
        champion = registry.champion_for(koan.family)
        recorded = registry.manifest(champion.adapter).eval_results if champion else {}
        results[koan.id] = bool(recorded.get(koan.id, baseline[koan.id]))
    return results


# The night --------------------------------------------------------------------------------------

def night_id() -> str:
    """A sortable, unique id for tonight (UTC time to the millisecond)."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}"


def run_night(plan: NightPlan, log: Log, judge_factory: Callable[[], Any] | None = None,
              records: list[FixRecord] | None = None) -> NightReport:
    """Run one night end to end and return its report (also written to disk).

    Args:
        plan: tonight's plan.
        log: progress messages.
        judge_factory: makes the Judge (default: one with the platform cache).
        records: tonight's records when already gathered (else gathered here).
    """
    from sleepy_lsp.judge import Judge

    from .models import load_model, load_tokenizer, pick_placement

    started = time.monotonic()
    judge_factory = judge_factory or (lambda: Judge(jobs=plan.jobs))
    night = night_id()
    records = gather_records(plan, judge_factory, log) if records is None else records
    tasks = task_data(records, plan.per_family)
    if not tasks:
        raise NoData()
    tasks, replayed = with_replay(plan, tasks, night)
    registry = plan.registry
    parent = share_parent(registry, str(plan.base_model)) if plan.method == "share" else None
    starts = lora_warm_starts(registry, tasks, plan)
    fp = fingerprint(plan, tasks, parent or json.dumps(starts, sort_keys=True))
    run_dir = plan.work / "runs" / fp
    placement = pick_placement(plan.device)
    log(f"night {night}: {plan.method}{' per family' if plan.per_family else ''}, tasks "
        + ", ".join(f"{t} ({len(rs)})" for t, rs in tasks.items()) + f", on {placement.device} in {placement.dtype_name}")
    tokenizer = load_tokenizer(plan.base_model)
    model = load_model(plan.base_model, placement)
    shapes = linear_shapes(model, plan.lora.target_modules)
    deadline = started + plan.train.time_budget if plan.train.time_budget else None
    if plan.method == "share":
        trained = train_share_tasks(model, tokenizer, tasks, plan, run_dir, fp, deadline, parent, log)
    else:
        trained = train_lora_tasks(model, tokenizer, tasks, plan, run_dir, fp, deadline, log, starts=starts)
    report = NightReport(night, plan.method, str(plan.base_model), plan.per_family,
                         data=family_counts(records), replayed=replayed,
                         trainable_params=trained.trainable_params,
                         lora_params_same_rank=lora_parameter_count(shapes, plan.lora.r),
                         steps={t: r.steps for t, r in trained.results.items()}, notes=list(trained.notes))
    entries = publish(plan, trained, night, report, log)
    if plan.evaluate:
        gate_and_promote(plan, trained, entries, tokenizer, judge_factory, report, log)
    else:
        report.notes.append("not evaluated (--no-eval): nothing was promoted")
    ReplayBuffer(plan.work / "replay").add_night(night, records)
    unfinished = [t for t, r in trained.results.items() if not r.finished]
    if unfinished:
        report.notes.append(f"the time budget stopped {', '.join(unfinished)} early: the same command resumes them")
    else:
        shutil.rmtree(run_dir, ignore_errors=True)
    report.seconds = time.monotonic() - started
    write_report(report, plan.work / "nights")
    record_night_in_memory(plan, report, entries, log)
    return report


def publish(plan: NightPlan, trained: Trained, night: str, report: NightReport, log: Log) -> dict[str, str]:
    """Write tonight's adapters (and Share's basis) into the registry; returns task -> adapter id.

    Args:
        plan: tonight's plan.
        trained: what training produced.
        night: tonight's id.
        report: the night report (for parameter counts).
        log: progress messages.
    """
    registry = plan.registry
    basis_id = None
    if plan.method == "share":
        basis = Manifest(registry.new_id("share", "basis"), "share", str(plan.base_model), ALL_FAMILIES, "basis",
                         ALL_FAMILIES, trained.parent_basis, report.trainable_params, report.lora_params_same_rank,
                         night=night, files={"share": "share"})
        with registry.adding(basis) as folder:
            save_share(trained.model, folder / "share", plan.share, {"night": night, "notes": trained.notes})
        basis_id = basis.id
    entries = {}
    for task, factors in trained.factors.items():
        manifest = Manifest(registry.new_id(plan.method, task), plan.method, str(plan.base_model), task, "adapter",
                            task, basis_id, report.trainable_params, report.lora_params_same_rank, night=night,
                            files={"peft": "."})
        with registry.adding(manifest) as folder:
            save_factors_as_peft(factors, folder, str(plan.base_model))
            if plan.base_model.suffix == ".gguf":
                manifest.files["gguf"] = _export_gguf(folder / "adapter.gguf", factors, plan.base_model, log)
        entries[task] = manifest.id
        log(f"registered {manifest.id}")
    return entries


def _export_gguf(path: Path, factors: dict[str, tuple[Any, Any]], base: Path, log: Log) -> str | None:
    from .gguf_export import write_gguf_lora

    try:
        write_gguf_lora(path, factors, base)
        return path.name
    except (ValueError, KeyError) as exc:
        log(f"no GGUF LoRA for llama.cpp: {exc}")
        return None


def gate_and_promote(plan: NightPlan, trained: Trained, entries: dict[str, str], tokenizer: Any,
                     judge_factory: Callable[[], Any], report: NightReport, log: Log) -> None:
    """Evaluate the candidates on the eval split, gate them against the champions and promote the winners.

    Args:
        plan: tonight's plan.
        trained: what training produced.
        entries: task -> registered adapter id.
        tokenizer: the tokenizer.
        judge_factory: makes the Judge.
        report: the night report, filled in here.
        log: progress messages.
    """
    from .evaluate import InProcessBackend, Routing, evaluate_koans

    registry = plan.registry
    koans = load_koans(plan.eval_koans_dir, split="eval")
    families = {k.id: k.family for k in koans}
    judge = judge_factory()

    def run_eval(routing: Routing, subset: list[Any] | None = None) -> dict[str, bool]:
        backend = InProcessBackend(trained.model, tokenizer, routing, routing.kind)
        chosen = subset if subset is not None else koans
        with eval_progress(f"evaluating the {routing.kind} model", len(chosen)) as advance:
            return evaluate_koans(judge, chosen, backend, plan.eval_strategy, advance)

    baseline = baseline_results(plan, koans, run_eval, log)
    champion = champion_results(registry, koans, baseline)
    routing = candidate_routing(plan, trained)
    covered = set(KOAN_FAMILIES) if routing.table.get(ALL_FAMILIES) or plan.combine == "average" \
        else set(routing.table)
    subset = [k for k in koans if k.family in covered]
    log(f"evaluating tonight's candidate on {len(subset)} eval koans")
    candidate = dict(champion) | run_eval(routing, subset)
    report.before, report.after = pass_rates(champion, families), pass_rates(candidate, families)
    if plan.per_family and plan.combine == "route":
        decisions = decide_per_family(champion, candidate, families, sorted(covered))
    else:
        decisions = {ALL_FAMILIES: decide(champion, candidate)}
    report.decisions = list(decisions.values())
    for task, adapter_id in entries.items():
        scope = [k for k in koans if task == ALL_FAMILIES or k.family == task]
        manifest = registry.manifest(adapter_id)
        manifest.eval_results = {k.id: candidate[k.id] for k in scope}
        manifest.eval_scores = pass_rates(manifest.eval_results, families)
        registry.update_manifest(manifest)
        decision = decisions.get(task if plan.per_family and plan.combine == "route" else ALL_FAMILIES)
        if decision and decision.promote:
            report.promoted.append(adapter_id)
    if report.promoted:
        version = registry.promote(*report.promoted)
        log(f"promoted {', '.join(report.promoted)} (champions version {version})")
    else:
        log("nothing promoted: the champions stay")


@contextmanager
def eval_progress(label: str, total: int) -> Iterator[Callable[[Any], None]]:
    """A rich progress bar over koans being evaluated; yields the per-koan callback.

    Args:
        label: the bar's description.
        total: koans to evaluate.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task(label, total=total)
        yield lambda _result=None: progress.advance(task)


def candidate_routing(plan: NightPlan, trained: Trained) -> Any:
    """How the candidate model routes families during evaluation.

    Args:
        plan: tonight's plan.
        trained: what training produced.
    """
    from .evaluate import Routing

    if plan.method == "share":
        if plan.combine == "average":
            return Routing("share", {t: t for t in tasks_of(trained.model)}, "average")
        return Routing("share", {t: t for t in trained.factors})
    return Routing("lora", {t: t for t in trained.factors})


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
        from sleepy_lsp.store import FixMemory, Night
    except ImportError:
        return
    total_before = report.before.get("total", {})
    total_after = report.after.get("total", {})
    rate = lambda cell: cell.get("passed", 0) / cell["total"] if cell.get("total") else 0.0
    from .gate import report_json

    try:
        memory = FixMemory.open(plan.memory_path)
    except SleepyError as exc:
        log(f"the night was not recorded in the fix memory: {exc}")
        return
    with memory:
        for task, adapter_id in entries.items():
            memory.record_night(Night(night=report.night, method=plan.method, family=task, adapter=adapter_id,
                                      base_model=str(plan.base_model), trainable_params=report.trainable_params,
                                      examples=sum(report.data.values()), seconds=report.seconds,
                                      score_before=rate(total_before), score_after=rate(total_after),
                                      regressions=len(report.regressions), promoted=adapter_id in report.promoted,
                                      report=report_json(report)))


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
    parent = share_parent(plan.registry, str(plan.base_model)) if plan.method == "share" else None
    starts = lora_warm_starts(plan.registry, tasks, plan)
    fp = fingerprint(plan, tasks, parent or json.dumps(starts, sort_keys=True))
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
            ("Share params / task", f"{share_count:,} (k={plan.share.k or f'by variance {plan.share.variance}'}, "
                                    f"{lora_count / share_count:.0f}x fewer)"),
            ("continues from", ", ".join(f"{t}: {a}" for t, a in starts.items()) or "-"),
            ("Share basis", parent or ("phase 1 from the registry's LoRA adapters or tonight's" if plan.method == "share" else "-")),
            ("registry", str(plan.registry.root)),
            ("checkpoints", f"{run_dir}" + (f" (resumes {', '.join(resumable)})" if resumable else "")),
            ("evaluation", f"eval split, strategy {plan.eval_strategy}" if plan.evaluate else "off")]
    return rows
