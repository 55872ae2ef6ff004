"""The `sleepy` command line: koans, eval, fix, day, models, and (from cli.review) review and telemetry.

May import every room: rust, repair, model, memory, engine, benchmark, server; user errors reach the user as one sentence (run_command_line).
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..benchmark.corpus import check_koan
from ..benchmark.day import run_day
from ..benchmark.evaluate import compare, evaluate, load_results, summarise, write_json
from ..benchmark.judge import Judge
from ..benchmark.koans import DEFAULT_KOANS, LESSON_SPLIT, SPLITS, load_koan, load_koans
from ..engine.engine import TestPolicy
from ..engine.strategies import build_engine
from ..errors import SleepyError
from ..memory.history import lessons_from_history
from ..memory.index import MemoryIndex
from ..memory.store import FixMemory
from ..memory.teaching import crate_file, lesson
from ..model.adapters import champion_adapters
from ..model.backends import make_backend
from ..model.catalog import MODELS, find, local_path, pull
from ..rust.crates import find_crate, target_dir_for
from ..rust.scratch import cache_root
from ..rust.shadow import ShadowPool
from ..rust.sources import read_source, remove_stale_temporaries, write_if_unchanged
from ..vocabulary import BACKENDS, STRATEGIES
from ..vocabulary import KOAN_FAMILIES as FAMILIES
from .review import review, telemetry

console = Console()
err_console = Console(stderr=True)


koans_option = click.option(
    "--koans", "koans_dir", type=click.Path(path_type=Path), default=DEFAULT_KOANS, show_default=True,
    help="A folder in the koan format (one sub-folder per koan).",
)
split_option = click.option("--split", type=click.Choice(SPLITS), help="Only koans of this split.")
family_option = click.option("--family", type=click.Choice(FAMILIES), help="Only koans of this family.")
jobs_option = click.option("--jobs", type=click.IntRange(min=1), help="Koans judged in parallel [default: cores].")


@contextmanager
def progress_bar(description: str, total: int) -> Iterator:
    """A rich progress bar; yields a function to call once per finished item.

    Redirected to a file (a long run under nohup or cron), a bar would show
    nothing until the end, so a line is printed every tenth of the way instead.
    """
    if not err_console.is_terminal:
        done = [0]
        every = max(1, total // 10)

        def report(_result=None) -> None:
            done[0] += 1
            if done[0] % every == 0 or done[0] == total:
                err_console.print(f"{description}: {done[0]}/{total}", highlight=False)

        yield report
        return
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda _result=None: progress.advance(task)


@click.group()
@click.version_option(package_name="sleepy-coder")
def cli() -> None:
    """sleepy-coder: compiler-verified fixes for Rust errors that learn from what you accept."""


@cli.group()
def koans() -> None:
    """List, show and check the koan corpus."""


@koans.command("list")
@koans_option
@split_option
@family_option
def koans_list(koans_dir: Path, split: str | None, family: str | None) -> None:
    """List koans with their family, split and error codes."""
    table = Table("id", "family", "split", "codes", "title")
    for k in load_koans(koans_dir, split, family):
        table.add_row(k.id, k.family, k.split, " ".join(k.error_codes), k.title)
    console.print(table)


@koans.command("show")
@koans_option
@click.argument("koan_id")
def koans_show(koans_dir: Path, koan_id: str) -> None:
    """Show one koan: its metadata and broken code."""
    folder = koans_dir / koan_id
    if not folder.is_dir():
        raise SleepyError(f"There is no koan {koan_id!r} in {koans_dir}: `sleepy koans list` shows the ids.")
    k = load_koan(folder)
    console.print(f"[bold]{k.id}[/bold] {k.title}\nfamily: {k.family}  split: {k.split}  codes: {', '.join(k.error_codes)}")
    console.print(f"--- {k.source_rel}")
    console.print(k.broken, markup=False, highlight=False, soft_wrap=True)


@koans.command("check")
@koans_option
@split_option
@family_option
@jobs_option
def koans_check(koans_dir: Path, split: str | None, family: str | None, jobs: int | None) -> None:
    """Check that every koan fails as stated and its solution passes its hidden tests."""
    selected = load_koans(koans_dir, split, family)
    judge = Judge(jobs=jobs)
    with progress_bar("checking koans", len(selected)) as advance:
        problems = judge.map(selected, lambda k: check_koan(judge, k), advance)
    bad = [(k, p) for k, p in zip(selected, problems) if p]
    for k, found in bad:
        for problem in found:
            console.print(f"[red]{k.id}[/red]: {problem}")
    if bad:
        console.print(f"{len(bad)} of {len(selected)} koans have problems.")
        sys.exit(1)
    console.print(f"All {len(selected)} koans are sound: each fails as stated and its solution passes.")


def engine_options(func):
    """The options every command that runs the fix engine shares."""
    options = [
        click.option("--strategy", type=click.Choice(STRATEGIES), default="full", show_default=True),
        click.option("--backend", type=click.Choice(BACKENDS), default="none", show_default=True,
                     help="Where model fixes come from."),
        click.option("--model", "model_path", help="A .gguf file or model folder [default: the offline SmolLM2-135M]."),
        click.option("--adapters", "adapters_dir", type=click.Path(path_type=Path),
                     help="An adapter registry: each family is routed to its champion."),
        click.option("--db", "db_path", type=click.Path(path_type=Path), help="The fix memory [default: the user's]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_engine(strategy: str, backend: str, model_path: str | None, adapters_dir: Path | None,
                db_path: Path | None):
    """The engine for the command line; the fix memory is only read."""
    chosen = make_backend(backend, model_path)
    if adapters_dir:
        chosen.set_adapters(champion_adapters(adapters_dir, chosen.name))
    with FixMemory.open_existing(db_path, read_only=True) as store:
        index = MemoryIndex.from_store(store)
    return None if strategy == "none" else build_engine(strategy, chosen, index)


@cli.command("eval")
@koans_option
@engine_options
@split_option
@family_option
@jobs_option
@click.option("--baseline", type=click.Path(exists=True, path_type=Path), help="An earlier --json report to compare with.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Also write per-koan results here.")
def eval_command(koans_dir: Path, strategy: str, backend: str, model_path: str | None, adapters_dir: Path | None,
                 db_path: Path | None, split: str | None, family: str | None, jobs: int | None,
                 baseline: Path | None, json_path: Path | None) -> None:
    """Score a fixing strategy on a folder of koans, per family."""
    selected = load_koans(koans_dir, split, family)
    engine = make_engine(strategy, backend, model_path, adapters_dir, db_path)
    judge = Judge(jobs=jobs)
    with progress_bar(f"eval {strategy}", len(selected)) as advance:
        results = evaluate(judge, selected, engine, advance)
    table = Table("family", "koans", "passed", "pass rate", "s/koan", title=f"strategy: {strategy}")
    for s in summarise(results):
        table.add_row(s.family, str(s.koans), str(s.passed), f"{s.rate:.1%}", f"{s.seconds_per_koan:.1f}")
    console.print(table)
    if baseline:
        regressed, improved = compare(load_results(baseline), results)
        console.print(f"vs baseline: improved {', '.join(improved) or 'none'}; regressed {', '.join(regressed) or 'none'}")
    if json_path:
        write_json(json_path, strategy, results)


@cli.command("day")
@koans_option
@engine_options
@family_option
@jobs_option
@click.option("--split", type=click.Choice(SPLITS), default="train", show_default=True)
def day_command(koans_dir: Path, strategy: str, backend: str, model_path: str | None, adapters_dir: Path | None,
                db_path: Path | None, family: str | None, jobs: int | None, split: str) -> None:
    """The day cycle: attempt each training koan and record every attempt in the fix memory."""
    if split != LESSON_SPLIT:
        raise SleepyError(f"The {split} split is a frozen benchmark and is never a lesson: run the day on --split train.")
    selected = load_koans(koans_dir, split, family)
    engine = make_engine(strategy, backend, model_path, adapters_dir, db_path)
    judge = Judge(jobs=jobs)
    with FixMemory.open(db_path) as store:
        if not store.enabled:
            raise SleepyError("Telemetry is switched off, so the day has nowhere to record: unset SLEEPY_TELEMETRY.")
        with progress_bar(f"day ({strategy})", len(selected)) as advance:
            outcome = run_day(judge, selected, engine, store, strategy, on_done=advance)
    console.print(f"day {outcome.day}: {outcome.passed} of {outcome.attempted} koans fixed; "
                  f"{outcome.attempted - outcome.passed} failures recorded with their reference fix in {store.path}")


@cli.command("fix")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@engine_options
@click.option("--apply", is_flag=True, help="Write the best verified fixes into the file.")
@click.option("--allow-risky", is_flag=True,
              help="With --apply, also take a fix that adds a panic, drops code or changes an API when it is all "
                   "there is.")
@click.option("--tests/--no-tests", "run_tests", default=True, show_default=True,
              help="Run the crate's tests on the fixes that compile; a fix that breaks one is dropped.")
@click.option("--test-budget", type=click.FloatRange(min=1), default=60, show_default=True,
              help="Seconds one test run may take.")
def fix_command(path: Path, strategy: str, backend: str, model_path: str | None, adapters_dir: Path | None,
                db_path: Path | None, apply: bool, allow_risky: bool, run_tests: bool, test_budget: float) -> None:
    """Print verified fixes for the errors in a Rust file of any cargo project, as unified diffs."""
    crate = find_crate(path.resolve())
    if crate is None:
        raise SleepyError(f"{path} is not inside a cargo project: no Cargo.toml above it.")
    rel = path.resolve().relative_to(crate.workspace_root).as_posix()
    remove_stale_temporaries(path)  # what a killed `fix --apply` left beside the file
    code = read_source(path)
    engine = make_engine(strategy if strategy != "none" else "rustc", backend, model_path, adapters_dir, db_path)
    tests = TestPolicy(budget=test_budget) if run_tests else None
    pool = ShadowPool(crate.workspace_root, target_dir_for(cache_root(), crate, "fix"), 1)
    with pool.shadow(member=crate.root) as shadow:
        shadow.write(rel, code)
        before = shadow.check()
        errors = [d for d in before.errors if d.primary_span and d.primary_span.file_name == rel]
        if not errors:
            console.print(f"No errors in {rel}.")
            return
        if apply:
            with err_console.status("fixing (with the crate's tests)" if tests else "fixing"):
                result = engine.repair(shadow, rel, code, allow_risky=allow_risky, tests=tests)
            if result.fixes:
                write_if_unchanged(path, code, result.code)
            console.print(f"Applied {len(result.fixes)} verified fix(es) to {rel}; {len(result.remaining)} error(s) "
                          "left." + ("" if allow_risky else " Risky fixes are left out (--allow-risky takes them)."))
            return
        with progress_bar("fixing", len(errors)) as advance:
            found = []
            for diagnostic in errors:
                fixes = engine.fixes(shadow, rel, code, before, diagnostic)
                found.append((diagnostic, engine.test(shadow, fixes, tests) if tests else fixes))
                advance()
        for diagnostic, fixes in found:
            console.print(f"[bold]{diagnostic.code or ''} {diagnostic.message}[/bold]", highlight=False, soft_wrap=True)
            verified = [f for f in fixes if f.verified]
            if not verified:
                console.print("  no verified fix")
            for fix in verified:
                notes = [r.reason for r in fix.risks or ()] + ([fix.tests.label] if fix.tests else [])
                console.print(f"  {fix.title} ({fix.provider}, compiles{''.join(', ' + n for n in notes)})",
                              highlight=False, markup=False, soft_wrap=True)
                console.print(fix.diff(), highlight=False, markup=False, soft_wrap=True)


@cli.command("teach")
@click.argument("before", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("after", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--git", "revisions", metavar="A..B",
              help="Teach from your history instead: the commits after A up to B that turned a cargo error into "
                   "a clean check.")
@click.option("--crate", "crate_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The crate the file belongs to [default: the crate around AFTER, or the current folder's].")
@click.option("--file", "file", help="The file of the crate BEFORE and AFTER are versions of, e.g. src/lib.rs "
                                     "[default: whichever of them lies in the crate].")
@click.option("--db", "db_path", type=click.Path(path_type=Path), help="The fix memory [default: the user's].")
def teach_command(before: Path | None, after: Path | None, revisions: str | None, crate_dir: Path | None,
                  file: str | None, db_path: Path | None) -> None:
    """Teach sleepy a fix: BEFORE is a file with rustc errors, AFTER the same file fixed.

    Each error of the crate with BEFORE in place that is gone with AFTER in place is recorded
    as a fix you wrote; cargo checks both in a copy of the crate, never in your files.
    With --git A..B, each commit of the range that fixed its parent's errors is taught the same way.
    """
    if bool(revisions) == bool(before and after):
        raise SleepyError("Give either BEFORE and AFTER files or --git A..B: `sleepy teach old.rs src/lib.rs` or "
                          "`sleepy teach --git main~20..main`.")
    anchor = crate_dir / "Cargo.toml" if crate_dir else after or Path.cwd() / "Cargo.toml"
    crate = find_crate(anchor.resolve())
    if crate is None:
        raise SleepyError(f"{crate_dir or after or Path.cwd()} is not inside a cargo project: no Cargo.toml above "
                          "it; pass the crate with --crate DIR.")
    target = target_dir_for(cache_root(), crate, "teach")
    if revisions:
        with err_console.status("reading the history") as status:
            history = lessons_from_history(crate, revisions, target, progress=status.update)
        taught = [(f"{commit[:10]}: ", offer) for commit, offer in history.fixes]
        summary = f"{history.commits} commit(s) read, {len(history.fixing)} taught a fix."
    else:
        rel = crate_file(before, after, crate, file)
        pool = ShadowPool(crate.workspace_root, target, 1)
        with err_console.status("checking both versions"), pool.shadow(member=crate.root) as shadow:
            found = lesson(shadow, crate, rel, read_source(before), read_source(after))
        taught = [("", offer) for offer in found.fixes]
        summary = (f"{len(found.remaining)} error(s) of BEFORE are still in AFTER and taught nothing."
                   if found.remaining else "")
    with FixMemory.open(db_path) as store:
        if not store.enabled:
            raise SleepyError("Telemetry is switched off, so there is no fix memory to teach: unset SLEEPY_TELEMETRY.")
        for _, offer in taught:
            store.record_manual(offer)
    for where, offer in taught:
        case = offer.record.case
        console.print(f"taught: {where}{case.code} {case.message} ({case.rel_path}:{case.line})", highlight=False,
                      markup=False, soft_wrap=True)
    if summary:
        console.print(summary)
    console.print(f"Recorded {len(taught)} fix(es) in {store.path}.")


@cli.group()
def model() -> None:
    """The models sleepy-coder can serve and train."""


@model.command("list")
def model_list() -> None:
    """Known models and whether they are on this machine."""
    table = Table("name", "on this machine", "about")
    for known in MODELS:
        path = local_path(known)
        table.add_row(known.name, str(path) if path else "no (sleepy model pull)", known.description)
    console.print(table)


@model.command("pull")
@click.argument("name")
@click.option("--serve-only", is_flag=True, help="Only the GGUF for serving, not the training weights.")
def model_pull(name: str, serve_only: bool) -> None:
    """Download a model with huggingface_hub (needs the internet)."""
    path = pull(find(name), with_training_weights=not serve_only)
    console.print(f"{name} is at {path}")


cli.add_command(review)
cli.add_command(telemetry)


def run_command_line(command: click.Command, prog_name: str, prefix: str, stopped: str,
                     argv: list[str] | None = None) -> None:
    """Run a click command as a console script: a problem with the user's input or machine prints one
    sentence and exits 2, an interruption prints `stopped` and exits 130, never a traceback.

    A ValueError is a value the command could not use (a setting, a data file, a length limit) and is
    reported the same way; SLEEPY_DEBUG=1 shows its traceback instead.
    """
    try:
        command.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        err_console.print(f"{prefix}: {stopped}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (SleepyError, ValueError) as exc:
        if isinstance(exc, ValueError) and os.environ.get("SLEEPY_DEBUG"):
            raise
        err_console.print(f"{prefix}: {_sentence(exc)}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(2)


def _sentence(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if text.endswith((".", "!", "?")) else text + "."


def main(argv: list[str] | None = None) -> None:
    """The `sleepy` console script."""
    run_command_line(cli, "sleepy", "error", "interrupted.", argv)

