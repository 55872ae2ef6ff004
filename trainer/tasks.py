"""Training tonight's tasks: one LoRA adapter per task, or Share's three phases over them.

A task is what one adapter (or one set of Share loadings) learns: a family's
records, or every family's under ALL_FAMILIES. Each task trains in turn
and checkpoints under its own folder, so a night killed halfway resumes
task by task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sleepy_lsp.vocabulary import ALL_FAMILIES

from .data import FixRecord, tokenize_records
from .loop import TrainResult, train
from .lora import (
    attach_lora,
    linear_shapes,
    lora_factors,
    lora_parameter_count,
    read_peft_factors,
    registry_lora_factors,
    warm_start,
)
from .share import (
    add_task,
    attach_share,
    freeze_for_task,
    load_share,
    phase1_basis,
    phase3_merge,
    project_factors,
    share_layers,
    task_factors,
    tasks_of,
)

if TYPE_CHECKING:
    from .night import NightPlan

Log = Callable[[str], None]


@dataclass
class Trained:
    """What training produced: the model, per-task factors, step counts and notes.

    Args:
        model: the model with tonight's adapters.
        factors: task -> module name -> (A, B), what gets published.
        results: task -> its training result.
        trainable_params: what one task trains (the same for every task of a night).
        notes: what the report should mention.
        parent_basis: for Share, the basis entry tonight grew from.
    """

    model: Any
    factors: dict[str, dict[str, tuple[Any, Any]]]
    results: dict[str, TrainResult] = field(default_factory=dict)
    trainable_params: int = 0
    notes: list[str] = field(default_factory=list)
    parent_basis: str | None = None


@dataclass(frozen=True)
class Run:
    """Where and until when tonight's tasks train.

    Args:
        folder: the run's checkpoint folder (one sub-folder per task).
        fingerprint: the run's fingerprint; a checkpoint of another run is never resumed.
        deadline: time.monotonic() value at which training stops (None: no time budget).
    """

    folder: Path
    fingerprint: str
    deadline: float | None = None


def train_task(model: Any, tokenizer: Any, records: list[FixRecord], plan: NightPlan, run: Run, name: str,
               task: str, log: Log) -> TrainResult:
    """Tokenize a task's records and train the model's trainable parameters on them, resuming where it stopped.

    Args:
        model: the model, with only this task's parameters trainable.
        tokenizer: its tokenizer.
        records: the task's records.
        plan: tonight's plan.
        run: the run's checkpoints and deadline.
        name: the task's checkpoint sub-folder, also its label in the log.
        task: the task.
        log: progress messages.
    """
    pairs = tokenize_records(tokenizer, records, plan.max_length)
    if len(pairs) < len(records):
        log(f"{task}: {len(records) - len(pairs)} pair(s) longer than --max-length {plan.max_length} left out")
    if not pairs:
        raise ValueError(f"task {task!r} has no training pair short enough for max_length={plan.max_length}")
    result = train(model, pairs, plan.train, tokenizer.pad_token_id, run.folder / name, f"{run.fingerprint}:{name}",
                   run.deadline, label=f"{name} ({len(pairs)} pairs)")
    if result.resumed_from:
        log(f"{name}: resumed from step {result.resumed_from}")
    log(f"{name}: {result.steps}/{result.total_steps} steps, stopped: {result.stopped}"
        + (f", last loss {result.losses[-1]:.3f}" if result.losses else ""))
    return result


def train_lora_tasks(model: Any, tokenizer: Any, tasks: dict[str, list[FixRecord]], plan: NightPlan, run: Run,
                     log: Log, prefix: str = "lora", starts: dict[str, str] | None = None) -> Trained:
    """One LoRA adapter per task, trained in turn (each resumes from its own checkpoints).

    Args:
        model: the base model.
        tokenizer: its tokenizer.
        tasks: records by task.
        plan: tonight's plan.
        run: the run's checkpoints and deadline.
        log: progress messages.
        prefix: checkpoint sub-folder prefix.
        starts: task -> champion adapter id to continue from.
    """
    # Every task's adapter has the same rank over the same layers, so one count serves them all.
    per_task = lora_parameter_count(linear_shapes(model, plan.lora.target_modules), plan.lora.r)
    trained = Trained(model, {}, trainable_params=per_task)
    for task, records in tasks.items():
        trained.model = attach_lora(trained.model, plan.lora, task, str(plan.base_model))
        if starts and task in starts:
            warm_start(trained.model, task, read_peft_factors(plan.registry.path(starts[task])))
            trained.notes.append(f"{task}: continued from the champion {starts[task]}")
        trained.results[task] = train_task(trained.model, tokenizer, records, plan, run, f"{prefix}-{task}", task, log)
        trained.factors[task] = lora_factors(trained.model, task)
    return trained


def train_share_tasks(model: Any, tokenizer: Any, tasks: dict[str, list[FixRecord]], plan: NightPlan, run: Run,
                      parent: str | None, log: Log) -> Trained:
    """Share's three phases for tonight's tasks.

    Args:
        model: the base model.
        tokenizer: its tokenizer.
        tasks: records by task.
        plan: tonight's plan.
        run: the run's checkpoints and deadline.
        parent: the Share basis entry to grow from (None: phase 1 now).
        log: progress messages.
    """
    trained = Trained(model, {}, parent_basis=parent)
    initial = share_phase1(trained, tokenizer, tasks, plan, run, log)
    model = trained.model
    for index, (task, records) in enumerate(tasks.items()):
        existing = None
        if task in tasks_of(model):
            existing = {name: (layer.share_eps_a[task].detach().clone(), layer.share_eps_b[task].detach().clone())
                        for name, layer in share_layers(model).items()}
        add_task(model, task, initial.get(task) or existing, seed=plan.train.seed + index,
                 rank_updates=plan.share.rank_updates)
        # Every task's loadings have the same shape in one basis, so any task's count is the per-task figure.
        trained.trainable_params = freeze_for_task(model, task)
        trained.results[task] = train_task(model, tokenizer, records, plan, run, f"share-{task}", task, log)
    errors = phase3_merge(model, plan.share)
    trained.notes.append("phase 3: worst relative delta-W reconstruction error per task after re-projection: "
                         + ", ".join(f"{t} {e:.2e}" for t, e in sorted(errors.items())))
    trained.factors = {task: task_factors(model, task) for task in tasks}
    if plan.combine == "average":
        trained.factors = {ALL_FAMILIES: averaged_factors(model)}
        trained.notes.append("combine=average: every task's loadings averaged into one adapter "
                             "(the study's failure mode)")
    return trained


def share_phase1(trained: Trained, tokenizer: Any, tasks: dict[str, list[FixRecord]], plan: NightPlan, run: Run,
                 log: Log) -> dict[str, dict[str, tuple[Any, Any]]]:
    """Give trained.model a Share basis: the parent's, else one decomposed from the registry's LoRA adapters, else
    from LoRA adapters trained tonight; returns the loadings tonight's tasks start from (bootstrap only).

    Args:
        trained: holds the base model (replaced by the model with Share layers) and collects notes and results.
        tokenizer: its tokenizer.
        tasks: records by task.
        plan: tonight's plan.
        run: the run's checkpoints and deadline.
        log: progress messages.
    """
    registry, parent = plan.registry, trained.parent_basis
    if parent is not None:
        trained.model, _ = load_share(trained.model, registry.path(parent) / "share")
        trained.notes.append(f"phase 1: grew from the Share basis {parent} "
                             f"(tasks: {', '.join(tasks_of(trained.model)) or 'none'})")
        return {}
    sources = registry_lora_factors(registry, str(plan.base_model))
    bootstrap: dict[str, dict[str, tuple[Any, Any]]] = {}
    if sources:
        trained.notes.append(f"phase 1 decomposed the registry's {len(sources)} LoRA adapter(s)")
    else:
        log("no adapters yet: phase 1 starts from tonight's LoRA adapters")
        trained.notes.append("phase 1 started from tonight's LoRA adapters (the registry held none)")
        boot = train_lora_tasks(trained.model, tokenizer, tasks, plan, run, log, prefix="bootstrap")
        trained.model = boot.model.unload()
        trained.results |= {f"bootstrap-{t}": r for t, r in boot.results.items()}
        bootstrap = boot.factors
        sources = list(bootstrap.values())
    basis = phase1_basis(sources, plan.share)
    attach_share(trained.model, basis, plan.share)
    return {task: project_factors(basis, factors) for task, factors in bootstrap.items()}


def averaged_factors(model: Any) -> dict[str, tuple[Any, Any]]:
    """Every task's loadings averaged into one LoRA (the study's failure mode): module name -> (A, B).

    Args:
        model: a model with Share layers.
    """
    import torch

    factors = {}
    with torch.no_grad():
        for name, layer in share_layers(model).items():
            side_a, side_b = layer.averaged_side_matrices(layer.tasks)
            factors[name] = (side_a.t().cpu().contiguous(), side_b.cpu().contiguous())
    return factors
