"""`sleepy review` and `sleepy telemetry`: what the local fix memory holds, and its export and deletion.

The main CLI registers these with `cli.add_command(review)` and
`cli.add_command(telemetry)`. Problems are raised as SleepyError (one
sentence, exit 2 from the main entry point).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Iterator

import click
from rich.console import Console
from rich.table import Table

from ..errors import SleepyError
from ..memory.review import (
    PENDING_AFTER,
    SLOW_HEADERS,
    TALLY_HEADERS,
    Review,
    Tally,
    build_review,
    export_records,
    model_label,
    render_html,
    review_json,
    slow_cells,
    tally_cells,
)
from ..memory.store import (
    TELEMETRY_ENV,
    FixMemory,
    Night,
    StoreError,
    StoreFull,
    database_path,
    remove_database,
    telemetry_enabled,
)

db_option = click.option(
    "--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
    help="The fix memory file [default: $SLEEPY_DB, else fix-memory.sqlite3 in the user data dir].",
)


def _err(message: str) -> None:
    click.echo(message, err=True)


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SleepyError(f"Cannot write {path} ({exc.strerror}): choose a path in a writable folder.") from exc


# --- sleepy review -----------------------------------------------------------------------------


def _right(table: Table, first: int = 1) -> Table:
    for column in table.columns[first:]:
        column.justify = "right"
    return table


def _short_count(n: int) -> str:
    return f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n / 1e3:.1f}k" if n >= 1e3 else str(n)


NIGHT_COLUMNS = ["when", "family", "method", "adapter", "params", "examples", "min", "pass rate", "regr.", "promoted"]


def night_row(night: Night) -> list[str]:
    when = datetime.fromisoformat(night.created_at).astimezone().strftime("%m-%d %H:%M")
    return [when, night.family, night.method, night.adapter, _short_count(night.trainable_params),
            str(night.examples), f"{night.seconds / 60:.0f}", f"{night.score_before:.0%} → {night.score_after:.0%}",
            str(night.regressions), "yes" if night.promoted else "no"]


def tally_table(title: str, key: str, rows: list[tuple[str, Tally]]) -> Table:
    table = _right(Table(key, *TALLY_HEADERS, title=title))
    for name, tally in rows:
        table.add_row(name, *tally_cells(tally))
    return table


def review_tables(review: Review) -> list[Table]:
    """The rich tables `sleepy review` prints, in order."""
    lowest = _right(Table("code", "family", *TALLY_HEADERS,
                          title="Lowest acceptance by error code (where learning should aim next)"), 2)
    for code, tally in review.lowest_acceptance:
        lowest.add_row(code, review.code_family[code], *tally_cells(tally))
    slowest = _right(Table(*SLOW_HEADERS, title="Slowest fixes"), 0)
    for column in slowest.columns[1:]:
        column.justify = "left"
    for slow in review.slowest:
        slowest.add_row(*slow_cells(slow))
    practice = _right(Table("family", "episodes", "passed", "pass rate", title="Koan practice by family"))
    for family, tally in review.practice_by_family.items():
        if tally.episodes:
            practice.add_row(family, str(tally.episodes), str(tally.passed), f"{tally.rate:.1%}")
    nights = Table(*NIGHT_COLUMNS, title="Night history (koan pass rate: champion → candidate)")
    for column in nights.columns[4:9]:
        column.justify = "right"
    nights.columns[0].no_wrap = True
    nights.columns[3].overflow = "fold"
    for night in review.nights:
        nights.add_row(*night_row(night))
    return [
        tally_table("Offers", "window", [("all", review.totals)]),
        tally_table("Offers by family", "family", [(k, t) for k, t in review.by_family.items() if t.offers]),
        tally_table("Offers by provider", "provider",
                    [(k, t) for k, t in review.by_provider.items() if t.offers or t.manual]),
        tally_table("Offers by what vouched for them", "checked", [(k, t) for k, t in review.by_check.items() if t.offers]),
        tally_table("Offers by model and adapter", "model / adapter",
                    [(model_label(*key), t) for key, t in review.by_model.items()]),
        tally_table("Offers per day", "day", list(review.by_day.items())),
        slowest, lowest, practice, nights,
    ]


@click.command("review")
@db_option
@click.option("--days", type=click.IntRange(min=0), default=7, show_default=True,
              help="Look back this many days; 0 for everything stored.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of tables.")
@click.option("--html", "html_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write a self-contained HTML report with charts here.")
@click.option("--open", "open_report", is_flag=True, help="Open the HTML report in the browser.")
def review(db_path: Path | None, days: int, as_json: bool, html_path: Path | None, open_report: bool) -> None:
    """What the fix memory holds: offers and outcomes by family, provider, model and day, and the nights.

    An offer with no outcome counts as pending for its first hour, then as ignored.
    Nothing is sent anywhere; the database is only read.
    """
    if open_report and not html_path:
        raise SleepyError("--open needs --html FILE: say where to write the report, e.g. --html review.html --open.")
    with FixMemory.open_existing(db_path, read_only=True) as store:
        if not store.enabled:
            _err(f"There is no fix memory at {store.path} yet: it fills as fixes are offered in the editor.")
        result = build_review(store, days)
    if html_path:
        _write_text(html_path, render_html(result))
    if as_json:
        click.echo(json.dumps(review_json(result), indent=2, ensure_ascii=False))
    else:
        console = Console(highlight=False)
        window = f"the last {days} days" if days else "all time"
        console.print(f"Fix memory review, {window}: {result.database}", markup=False)
        console.print(f"(an offer with no outcome is pending for {PENDING_AFTER.total_seconds() / 3600:g} h, "
                      "then counts as ignored)", markup=False)
        for table in review_tables(result):
            console.print(table)
    if html_path:
        _err(f"Wrote the report to {html_path}.")
        if open_report:
            click.launch(str(html_path.resolve()))


# --- sleepy telemetry --------------------------------------------------------------------------


@click.group("telemetry")
def telemetry() -> None:
    """The local fix memory: where it is, export it, delete it. Nothing ever leaves this machine."""


@telemetry.command("where")
@db_option
def where(db_path: Path | None) -> None:
    """Print the path of the fix memory database."""
    path = database_path(db_path)
    click.echo(str(path))
    if not path.exists():
        _err("(not created yet)")
    if not telemetry_enabled():
        _err(f"Telemetry is off ({TELEMETRY_ENV}={os.environ.get(TELEMETRY_ENV)}): nothing new is recorded.")


@contextmanager
def _jsonl_output(path: Path) -> Iterator[IO[str]]:
    """stdout for "-", else a file written beside the target and moved into place when complete."""
    if str(path) == "-":
        yield sys.stdout
        return
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "w", encoding="utf-8") as out:
            yield out
        os.replace(partial, path)
    except OSError as exc:
        raise SleepyError(f"Cannot write {path} ({exc.strerror}): choose a path in a writable folder.") from exc
    finally:
        partial.unlink(missing_ok=True)


@telemetry.command("export")
@db_option
@click.option("--jsonl", "jsonl_path", required=True, type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="Write one JSON object per record here (- for stdout).")
def export(db_path: Path | None, jsonl_path: Path) -> None:
    """Export every record (offers, outcomes, episodes, nights) as JSON lines."""
    counts: Counter[str] = Counter()
    with FixMemory.open_existing(db_path, read_only=True) as store, _jsonl_output(jsonl_path) as out:
        for record in export_records(store):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts[record["kind"]] += 1
    _err(f"Exported {counts['offer']} offers, {counts['outcome']} outcomes, {counts['episode']} episodes "
         f"and {counts['night']} nights to {jsonl_path}.")


def parse_before(text: str) -> datetime:
    """A --before value: an ISO date or date-time, local time unless it names its zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise SleepyError(f"--before {text!r} is not a date: give one like 2025-03-01 or 2025-03-01T18:30.") from None
    return moment if moment.tzinfo else moment.astimezone()


@telemetry.command("purge")
@db_option
@click.option("--before", "before_text", metavar="DATE",
              help="Only delete records made before this local date or time (e.g. 2025-03-01).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(db_path: Path | None, before_text: str | None, yes: bool) -> None:
    """Delete the fix memory's records (all of them, or those before a date) and scrub the freed space."""
    before = parse_before(before_text) if before_text else None
    path = database_path(db_path)
    if not path.exists():
        click.echo(f"There is no fix memory at {path}: nothing to delete.")
        return
    try:
        store = FixMemory.open_existing(path)
    except StoreError:
        if before:
            raise
        if not yes and not click.confirm(f"{path} cannot be opened as a fix memory; delete the file?"):
            click.echo("Nothing deleted.")
            return
        removed = remove_database(path)
        click.echo(f"Deleted {', '.join(str(p) for p in removed)}.")
        return
    scope = f"every record made before {before:%Y-%m-%d %H:%M %Z}".rstrip() if before else "every record"
    with store:
        if not yes and not click.confirm(f"Delete {scope} in {path}? This cannot be undone"):
            click.echo("Nothing deleted.")
            return
        try:
            deleted = store.purge(before)
        except StoreFull:
            if before:
                raise
            full = True
        else:
            full = False
    if full:  # deleting rows needs room on the disk; deleting the file frees it
        removed = remove_database(path)
        click.echo(f"The disk is full, so the fix memory was deleted as a whole: {', '.join(map(str, removed))}.")
        return
    click.echo(f"Deleted {deleted['offers']} offers, {deleted['outcomes']} outcomes, {deleted['episodes']} episodes "
               f"and {deleted['nights']} nights from {path}.")
