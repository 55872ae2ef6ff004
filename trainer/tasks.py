"""Training tonight's tasks: one LoRA adapter per task, or Share's three phases over them.

A task is what one adapter (or one set of Share loadings) learns: a family's
records, or every family's under ALL_FAMILIES. Each task trains in turn
and checkpoints under its own folder, so a night killed halfway resumes
task by task. Share's phase 3 changes earlier nights' tasks too (within its
tolerance); those whose delta W it changed are exported again beside
tonight's, so that what the registry holds matches the basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
from .report import ShareAccount
from .share import (
    add_task,
    attach_share,
    freeze_for_task,
    load_share,
    phase1_basis,
    phase3_merge,
    project_factors,
    projection_error,
    share_layers,
    share_size,
    task_factors,
    tasks_of,
)

if TYPE_CHECKING:
    from .night import NightPlan

Log = Callable[[str], None]
# A relative delta-W change above the float32 round-off of re-projecting onto a basis that still spans the task.
CHANGED = 1e-5


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
        share: for Share, the sizes, the bootstrap and phase 3.
    """

    model: Any
    factors: dict[str, dict[str, tuple[Any, Any]]]
    results: dict[str, TrainResult] = field(default_factory=dict)
    trainable_params: int = 0
    notes: list[str] = field(default_factory=list)
    parent_basis: str | None = None
    share: ShareAccount | None = None


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
        raise ValueError(f"every training pair of task {task!r} is longer than --max-length {plan.max_length} tokens: "
                         "raise --max-length")
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
    """Share's three phases for tonight's tasks; trained.factors also holds every earlier task phase 3 changed.

    Args:
        model: the base model.
        tokenizer: its tokenizer.
        tasks: records by task.
        plan: tonight's plan.
        run: the run's checkpoints and deadline.
        parent: the Share basis entry to grow from (None: phase 1 now).
        log: progress messages.
    """
    trained = Trained(model, {}, parent_basis=parent, share=ShareAccount(merge_tolerance=plan.share.merge_tolerance))
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
    merge_and_export(trained, list(tasks), plan)
    return trained


def merge_and_export(trained: Trained, tonight: list[str], plan: NightPlan) -> None:
    """Phase 3, and what it changes: the tasks to publish tonight (tonight's, and every earlier task whose delta W
    the merge changed), the account of sizes and errors, and the notes.

    Args:
        trained: holds the model with Share layers after tonight's training; its factors, share account and notes
            are filled in.
        tonight: tonight's tasks.
        plan: tonight's plan.
    """
    model, account = trained.model, trained.share or ShareAccount(merge_tolerance=plan.share.merge_tolerance)
    trained.share = account
    account.loadings_params = share_size(model).loadings_params
    account.rank_update_params = max(trained.trainable_params - account.loadings_params, 0)
    merge = phase3_merge(model, plan.share)
    account.basis_params = share_size(model).basis_params
    account.k_before, account.k_after = merge.k_before, merge.k_after
    account.phase3_errors, account.phase3_without_growth = merge.errors, merge.without_growth
    account.capped_layers = merge.capped
    trained.notes.append(f"phase 3: the basis went from {merge.k_before[0]}-{merge.k_before[1]} to "
                         f"{merge.k_after[0]}-{merge.k_after[1]} directions per side; worst relative delta-W error "
                         "per task: " + ", ".join(f"{t} {e:.1e}" for t, e in sorted(merge.errors.items()))
                         + f" (keeping K fixed: {merge.worst_without_growth:.1e})")
    if merge.capped:
        trained.notes.append(f"phase 3: max_k={plan.share.max_k} stopped the growth in {len(merge.capped)} layer(s) "
                             f"before every task was within {plan.share.merge_tolerance:g}")
    if plan.combine == "average":
        trained.factors = {ALL_FAMILIES: averaged_factors(model)}
        trained.notes.append("combine=average: every task's loadings averaged into one adapter "
                             "(the study's failure mode)")
        return
    account.reexported = [t for t in tasks_of(model) if t not in tonight and merge.errors.get(t, 0.0) > CHANGED]
    trained.factors = {task: task_factors(model, task) for task in [*tonight, *account.reexported]}
    if account.reexported:
        trained.notes.append("re-exported after phase 3 changed their delta W: " + ", ".join(
            f"{t} ({merge.errors[t]:.1e})" for t in account.reexported))


def share_phase1(trained: Trained, tokenizer: Any, tasks: dict[str, list[FixRecord]], plan: NightPlan, run: Run,
                 log: Log) -> dict[str, dict[str, tuple[Any, Any]]]:
    """Give trained.model a Share basis: the parent's, else one decomposed from the registry's LoRA adapters, else
    from one LoRA trained tonight on all of tonight's records; returns the loadings tonight's tasks start from
    (the bootstrap's projection, for every task; none otherwise).

    The bootstrap is the one full LoRA Share ever trains; it runs at LoRA's
    learning rate (plan.bootstrap_learning_rate) and is counted in the report.

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
    if sources:
        basis = phase1_basis(sources, plan.share)
        attach_share(trained.model, basis, plan.share)
        k = share_size(trained.model).k
        trained.notes.append(f"phase 1 decomposed the registry's {len(sources)} LoRA adapter(s) into {k[0]}-{k[1]} "
                             "directions per side")
        return {}
    log("no adapters yet: phase 1 starts from one LoRA trained on tonight's records")
    pooled = [record for records in tasks.values() for record in records]
    bootstrap_plan = replace(plan, train=replace(plan.train, learning_rate=plan.bootstrap_learning_rate))
    boot = train_lora_tasks(trained.model, tokenizer, {ALL_FAMILIES: pooled}, bootstrap_plan, run, log,
                            prefix="bootstrap")
    trained.model = boot.model.unload()
    trained.results |= {f"bootstrap-{t}": r for t, r in boot.results.items()}
    factors = boot.factors[ALL_FAMILIES]
    basis = phase1_basis([factors], plan.share)
    attach_share(trained.model, basis, plan.share)
    account = trained.share
    account.bootstrap_params = boot.trainable_params
    account.bootstrap_steps = boot.results[ALL_FAMILIES].steps
    account.bootstrap_learning_rate = plan.bootstrap_learning_rate
    account.phase1_error = projection_error(basis, factors)
    k = share_size(trained.model).k
    trained.notes.append(f"phase 1: the registry held no adapter, so one LoRA ({boot.trainable_params:,} parameters) "
                         f"trained {account.bootstrap_steps} steps at lr {plan.bootstrap_learning_rate:g} on tonight's "
                         f"{len(pooled)} records gave the first basis ({k[0]}-{k[1]} directions per side; its delta W "
                         f"kept within {account.phase1_error:.1e})")
    start = project_factors(basis, factors)
    return {task: start for task in tasks}


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
