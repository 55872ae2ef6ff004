"""Tonight's dataset: fix records gathered from the koans, data files and the fix memory, split into tasks.

`data` says what a record is and how it becomes a training pair; this module
says where tonight's records come from, which task each trains and, for the
replay method, which earlier nights' records are mixed back in.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sleepy_lsp.benchmark.koans import load_koans
from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.model.records import FixRecord
from sleepy_lsp.vocabulary import ALL_FAMILIES

from .data import ReplayBuffer, dedup, examples_from_koans, examples_from_memory, family_counts, first_error, read_jsonl

if TYPE_CHECKING:
    from .night import NightPlan

Log = Callable[[str], None]


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
    with FixMemory.open_existing(path, read_only=True) as memory:
        if not memory.enabled:
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
    """Records by task: one task per family present, or the single task ALL_FAMILIES.

    Args:
        records: tonight's records.
        per_family: split by family.
    """
    if not per_family:
        return {ALL_FAMILIES: list(records)} if records else {}
    return {family: [r for r in records if r.family == family] for family in family_counts(records)}


def with_replay(plan: NightPlan, tasks: dict[str, list[FixRecord]], night: str) -> tuple[dict[str, list[FixRecord]], int]:
    """For method "replay": each task's data plus earlier nights' records (same family for per-family tasks).

    Returns the tasks' records and how many of them were replayed.

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
