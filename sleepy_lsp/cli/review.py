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
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from ..errors import SleepyError
from ..memory.review import (
    HOW_IT_FILLS,
    PENDING_AFTER,
    Review,
    SlowFix,
    Tally,
    build_review,
    export_records,
    format_ms,
    model_label,
    render_html,
    review_json,
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


# Tables are laid out here, not by rich, so that they fit the terminal (80 columns in a pipe): every
# column as wide as its widest cell except one, the flexible column (a name or a title), which gets
# what is left and is cut with an ellipsis; headers are short and never squeezed. No vertical lines:
# a rule under the headers marks the columns.
RULED = box.Box("    \n    \n ─  \n    \n    \n    \n    \n    \n")
GAP = 2  # columns between two columns
MIN_FLEX = 8

TEXT_TALLY_HEADERS = ["offers", "acc", "rej", "ign", "pend", "hand", "acc%", "rej%", "ign%"]
LEGEND = ("acc, rej, ign: offers accepted, rejected, ignored; %: of the decided offers",
          "pend: an offer with no outcome is pending for {hours:g} h, then counts as ignored",
          "hand: fixes written by hand after an error (no offer)")


def fit_table(title: str, headers: list[str], rows: list[list[str]], width: int, flex: int = 0,
              numeric: tuple[int, ...] = ()) -> Table:
    """A table at most `width` columns wide; the `numeric` columns right-aligned."""
    widths = [max([cell_len(h), *(cell_len(row[i]) for row in rows)]) for i, h in enumerate(headers)]
    others = sum(w for i, w in enumerate(widths) if i != flex) + GAP * (len(headers) - 1)
    widths[flex] = max(min(widths[flex], width - others), MIN_FLEX, cell_len(headers[flex]))
    table = Table(title=title, title_justify="left", box=RULED, show_edge=False, pad_edge=False,
                  collapse_padding=True, title_style="bold", header_style="bold")
    for i, (header, column_width) in enumerate(zip(headers, widths)):
        table.add_column(header, width=column_width, no_wrap=True, overflow="ellipsis",
                         justify="right" if i in numeric else "left")
    for row in rows:
        table.add_row(*row)
    return table


NIGHT_COLUMNS = ["when", "family", "method", "adapter", "min", "pass rate", "regr.", "promoted"]


def night_row(night: Night) -> list[str]:
    when = datetime.fromisoformat(night.created_at).astimezone().strftime("%m-%d %H:%M")
    return [when, night.family, night.method, night.adapter, f"{night.seconds / 60:.0f}",
            f"{night.score_before:.0%} → {night.score_after:.0%}", str(night.regressions),
            "yes" if night.promoted else "no"]


SLOW_COLUMNS = ["latency", "day", "code", "provider", "status", "title"]


def slow_row(slow: SlowFix) -> list[str]:
    offer = slow.offer
    when = datetime.fromisoformat(offer.created_at).astimezone().strftime("%m-%d")
    return [format_ms(round(offer.latency_ms)), when, offer.error_code, offer.provider, slow.status, " ".join(offer.title.split())]


def review_tables(review: Review, width: int = 80) -> list[Table]:
    """The tables `sleepy review` prints, in order; those with no rows are left out."""

    counts = tuple(range(1, 1 + len(TEXT_TALLY_HEADERS)))

    def tally(title: str, key: str, rows: list[tuple[str, Tally]]) -> tuple:
        return title, [key, *TEXT_TALLY_HEADERS], [[name, *tally_cells(t)] for name, t in rows], 0, counts

    specs = [
        tally("Offers", "window", [("all", review.totals)] if review.totals.offers or review.totals.manual else []),
        tally("Offers by family", "family", [(k, t) for k, t in review.by_family.items() if t.offers]),
        tally("Offers by provider", "provider", [(k, t) for k, t in review.by_provider.items() if t.offers or t.manual]),
        tally("Offers by what vouched for them", "checked", [(k, t) for k, t in review.by_check.items() if t.offers]),
        tally("Offers by model and adapter", "model / adapter",
              [(model_label(*key), t) for key, t in review.by_model.items() if t.offers]),
        tally("Offers per day", "day", [(k, t) for k, t in review.by_day.items() if t.offers or t.manual]),
        ("Slowest fixes", SLOW_COLUMNS, [slow_row(s) for s in review.slowest], 5, ()),
        ("Lowest acceptance by error code (where learning should aim next)", ["code", "family", *TEXT_TALLY_HEADERS],
         [[code, review.code_family[code], *tally_cells(t)] for code, t in review.lowest_acceptance], 1,
         tuple(i + 1 for i in counts)),
        ("Koan practice by family", ["family", "episodes", "passed", "pass rate"],
         [[family, str(t.episodes), str(t.passed), f"{t.rate:.1%}"]
          for family, t in review.practice_by_family.items() if t.episodes], 0, (1, 2, 3)),
        ("Night history (koan pass rate: champion → candidate)", NIGHT_COLUMNS,
         [night_row(night) for night in review.nights], 3, (4, 6)),
    ]
    return [fit_table(title, headers, rows, width, flex, numeric) for title, headers, rows, flex, numeric in specs
            if rows]


def empty_sentence(review: Review, exists: bool) -> str | None:
    """The one sentence that answers an empty window, or None when there is something to show."""
    if review.totals.offers or review.totals.manual or review.nights or any(
            t.episodes for t in review.practice_by_family.values()):
        return None
    if not exists:
        return f"There is no fix memory at {review.database} yet: {HOW_IT_FILLS}."
    window = f"in the last {review.days} days" if review.days else "yet"
    hint = " (--days 0 shows all it holds)" if review.days else ""
    return f"The fix memory at {review.database} holds nothing {window}{hint}: {HOW_IT_FILLS}."


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
        exists = store.enabled
        result = build_review(store, days)
    if html_path:
        _write_text(html_path, render_html(result))
    if as_json:
        if not exists:
            _err(f"There is no fix memory at {result.database} yet: {HOW_IT_FILLS}.")
        click.echo(json.dumps(review_json(result), indent=2, ensure_ascii=False))
    else:
        console = Console(highlight=False)
        empty = empty_sentence(result, exists)
        if empty:
            console.print(empty, markup=False)
        else:
            window = f"the last {days} days" if days else "all time"
            console.print(f"Fix memory review, {window}: {result.database}", markup=False)
            for line in LEGEND:
                console.print(line.format(hours=PENDING_AFTER.total_seconds() / 3600), markup=False)
            for table in review_tables(result, console.width):
                console.print()
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
