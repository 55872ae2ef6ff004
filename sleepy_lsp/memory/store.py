"""The fix memory: a local SQLite file of fix offers, their outcomes, koan episodes and nights.

One file (WAL mode, a versioned schema) at an explicit path, else `$SLEEPY_DB`,
else `fix-memory.sqlite3` in the platformdirs user data dir. Every write is its
own committed transaction, so a killed process loses nothing it recorded. The
store is safe to share between threads (one connection behind a lock) and
between processes (SQLite's locks, with a busy timeout that ends in StoreError
rather than a hang).

A file this code cannot read safely (not SQLite, damaged, or of a newer
schema) is checked through a read-only connection first and is never modified:
opening it raises StoreError. With telemetry switched off (`enabled=False` or
`SLEEPY_TELEMETRY=0`) the store writes nothing, never creates the file, and
its reads return nothing. Nothing here talks to the network.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import platformdirs

from ..errors import SleepyError
from ..model.answers import answer_for
from ..model.records import ErrorCase, FixRecord, code_window, file_hash
from ..vocabulary import FAMILIES, OUTCOMES, PROVIDERS

DB_ENV = "SLEEPY_DB"
TELEMETRY_ENV = "SLEEPY_TELEMETRY"
TELEMETRY_OFF = ("0", "off", "false", "no")
DB_FILENAME = "fix-memory.sqlite3"
DEFAULT_TIMEOUT = 10.0
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(SleepyError):
    """The fix memory cannot be used: damaged, of a newer schema, locked or unwritable."""


class StoreFull(StoreError):
    """The disk under the fix memory is full."""


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def utc_iso(value: str | datetime) -> str:
    """A timestamp in the one form stored (UTC, microseconds), so that text order is time order.

    A naive datetime or string is taken to be UTC already.
    """
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def new_fix_id() -> str:
    return str(uuid.uuid4())


def telemetry_enabled(environ: dict[str, str] | None = None) -> bool:
    """False when SLEEPY_TELEMETRY is 0, off, false or no: the user's master switch."""
    value = (os.environ if environ is None else environ).get(TELEMETRY_ENV, "")
    return value.strip().lower() not in TELEMETRY_OFF


def database_path(path: str | os.PathLike | None = None) -> Path:
    """The explicit path, else $SLEEPY_DB, else the file in the platformdirs user data dir."""
    chosen = path or os.environ.get(DB_ENV) or Path(platformdirs.user_data_dir("sleepy-coder")) / DB_FILENAME
    return Path(chosen).expanduser().absolute()


# --- records ---------------------------------------------------------------------------------


@dataclass
class Offer:
    """One fix shown to the user as a code action, or (provider "user") one the user wrote.

    The fix itself is its FixRecord: the error, where it is, the code the model is
    shown, and the change. The rest says where and how it was offered.
    """

    fix_id: str
    record: FixRecord
    file: str = ""
    crate_root: str = ""
    model: str = ""
    adapter: str = ""
    verified: bool = False
    latency_ms: float = 0.0
    risks: list[str] = field(default_factory=list)  # why the fix is risky; stored as JSON text
    tests: str = ""  # what the project's tests said ("tests pass (12)"), if they ran
    edits: list[dict[str, Any]] = field(default_factory=list)  # stored as JSON text
    created_at: str = field(default_factory=utc_now)
    # The fix id of the offer that took this one's place (rustc's unchecked fix, once checked): the same
    # fix, so it is counted once, as its successor. Empty for an offer that stands for itself.
    replaced_by: str = ""

    @property
    def error_code(self) -> str:
        return self.record.case.code

    @property
    def family(self) -> str:
        return self.record.case.family

    @property
    def message(self) -> str:
        return self.record.case.message

    @property
    def provider(self) -> str:
        return self.record.provider

    @property
    def title(self) -> str:
        return self.record.title


@dataclass
class Outcome:
    """What became of an offer; the first one recorded is final."""

    fix_id: str
    outcome: str  # one of OUTCOMES
    note: str = ""
    created_at: str = field(default_factory=utc_now)


@dataclass
class Episode:
    """One koan tried in the day cycle; fix_that_worked is the candidate if it passed, else the solution.

    `case` is the koan's first error as the model is shown it (None in episodes recorded before it was kept).
    """

    day: str
    koan_id: str
    family: str
    passed: bool
    stage: str
    error_code: str = ""
    strategy: str = ""
    model: str = ""
    adapter: str = ""
    code_before: str = ""
    candidate: str = ""
    fix_that_worked: str = ""
    case: ErrorCase | None = None
    created_at: str = field(default_factory=utc_now)

    def record(self) -> FixRecord | None:
        """The lesson: the koan's first error and the fix that worked; None without a case or a change."""
        if self.case is None or not self.fix_that_worked or self.fix_that_worked == self.code_before:
            return None
        return FixRecord.of(self.case, self.code_before, self.fix_that_worked, "koan", f"koan {self.koan_id}")


@dataclass
class Night:
    """One adapter trained in the night cycle; scores are koan pass rates from 0 to 1."""

    night: str
    method: str
    family: str
    adapter: str
    base_model: str
    trainable_params: int = 0
    examples: int = 0
    seconds: float = 0.0
    score_before: float = 0.0
    score_after: float = 0.0
    regressions: int = 0
    promoted: bool = False
    report: dict[str, Any] = field(default_factory=dict)  # stored as JSON text
    created_at: str = field(default_factory=utc_now)


# --- schema ----------------------------------------------------------------------------------

def derive_records(conn: sqlite3.Connection) -> None:
    """Migration 2's data step: the record of each earlier offer, from the whole files it kept.

    Earlier offers stored the whole file before and after, not where the error was: the error's
    line is taken to be the first changed line, and its rendering to be its message.
    """
    rows = conn.execute("SELECT id, file, crate_root, message, code_before, code_after FROM offers").fetchall()
    for row_id, file, crate_root, message, before, after in rows:
        line = _first_changed_line(before, after)
        try:
            rel_path = Path(file).relative_to(crate_root).as_posix() if crate_root else Path(file).name
        except ValueError:
            rel_path = Path(file).name
        conn.execute("UPDATE offers SET rendered = ?, rel_path = ?, line = ?, context = ?, answer = ?, "
                     "hunk_line = ?, file_hash = ? WHERE id = ?",
                     (message, rel_path, line, code_window(before, line), answer_for(before, after),
                      line, file_hash(before), row_id))


def _first_changed_line(before: str, after: str) -> int:
    old, new = before.splitlines(), after.splitlines()
    return next((n for n, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)


# Migration n (1-based) takes the schema from user_version n-1 to n: SQL statements, or a function of the
# connection for a data step. Only ever append.
MIGRATIONS: tuple[tuple[Any, ...], ...] = (
    (
        """CREATE TABLE offers (
            id INTEGER PRIMARY KEY,
            fix_id TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            file TEXT NOT NULL DEFAULT '',
            crate_root TEXT NOT NULL DEFAULT '',
            error_code TEXT NOT NULL DEFAULT '',
            family TEXT NOT NULL DEFAULT 'other',
            message TEXT NOT NULL DEFAULT '',
            provider TEXT NOT NULL,
            model TEXT NOT NULL DEFAULT '',
            adapter TEXT NOT NULL DEFAULT '',
            verified INTEGER NOT NULL DEFAULT 0,
            latency_ms REAL NOT NULL DEFAULT 0,
            title TEXT NOT NULL DEFAULT '',
            code_before TEXT NOT NULL DEFAULT '',
            code_after TEXT NOT NULL DEFAULT '',
            edits TEXT NOT NULL DEFAULT '[]')""",
        "CREATE INDEX offers_created_at ON offers (created_at)",
        "CREATE INDEX offers_error_code ON offers (error_code)",
        "CREATE INDEX offers_family ON offers (family)",
        """CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            fix_id TEXT NOT NULL UNIQUE,
            outcome TEXT NOT NULL,
            created_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '')""",
        """CREATE TABLE episodes (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            day TEXT NOT NULL,
            koan_id TEXT NOT NULL,
            family TEXT NOT NULL,
            error_code TEXT NOT NULL DEFAULT '',
            strategy TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            adapter TEXT NOT NULL DEFAULT '',
            code_before TEXT NOT NULL DEFAULT '',
            candidate TEXT NOT NULL DEFAULT '',
            passed INTEGER NOT NULL,
            stage TEXT NOT NULL,
            fix_that_worked TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX episodes_day ON episodes (day)",
        "CREATE INDEX episodes_created_at ON episodes (created_at)",
        """CREATE TABLE nights (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            night TEXT NOT NULL,
            method TEXT NOT NULL,
            family TEXT NOT NULL,
            adapter TEXT NOT NULL,
            base_model TEXT NOT NULL,
            trainable_params INTEGER NOT NULL DEFAULT 0,
            examples INTEGER NOT NULL DEFAULT 0,
            seconds REAL NOT NULL DEFAULT 0,
            score_before REAL NOT NULL DEFAULT 0,
            score_after REAL NOT NULL DEFAULT 0,
            regressions INTEGER NOT NULL DEFAULT 0,
            promoted INTEGER NOT NULL DEFAULT 0,
            report TEXT NOT NULL DEFAULT '{}')""",
        "CREATE INDEX nights_created_at ON nights (created_at)",
    ),
    # 2: every fix keeps its whole record (the rendered error, its place, the code the model is shown,
    # the change as an answer and a hunk, the file's hash, its rank) and what the risk check and the
    # project's tests said. Earlier offers keep every value they had; derive_records fills the new ones.
    (
        *(f"ALTER TABLE offers ADD COLUMN {column}" for column in (
            "rendered TEXT NOT NULL DEFAULT ''", "level TEXT NOT NULL DEFAULT 'error'",
            "rel_path TEXT NOT NULL DEFAULT ''", "line INTEGER NOT NULL DEFAULT 1", "col INTEGER NOT NULL DEFAULT 1",
            "context TEXT NOT NULL DEFAULT ''", "answer TEXT NOT NULL DEFAULT ''",
            "hunk_line INTEGER NOT NULL DEFAULT 1", "file_hash TEXT NOT NULL DEFAULT ''",
            "rank INTEGER NOT NULL DEFAULT 0", "risks TEXT NOT NULL DEFAULT '[]'", "tests TEXT NOT NULL DEFAULT ''")),
        *(f"ALTER TABLE episodes ADD COLUMN {column}" for column in (
            "rendered TEXT NOT NULL DEFAULT ''", "message TEXT NOT NULL DEFAULT ''",
            "rel_path TEXT NOT NULL DEFAULT ''", "line INTEGER NOT NULL DEFAULT 1", "col INTEGER NOT NULL DEFAULT 1",
            "context TEXT NOT NULL DEFAULT ''")),
        "CREATE INDEX outcomes_outcome ON outcomes (outcome)",
        derive_records,
    ),
    # 3: one offer per fix. An offer shown before it was checked and then replaced by the checked fix with
    # the same edit names its successor; earlier offers stand for themselves.
    (
        "ALTER TABLE offers ADD COLUMN replaced_by TEXT NOT NULL DEFAULT ''",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = ("offers", "outcomes", "episodes", "nights")


# --- errors ----------------------------------------------------------------------------------


def _corrupt(path: Path, detail: str) -> StoreError:
    detail = " ".join(detail.split())
    return StoreError(
        f"The fix memory at {path} is not a readable SQLite database ({detail}): move it away, "
        "or delete it with `sleepy telemetry purge --yes`, and a fresh one will be started."
    )


def _store_error(path: Path, exc: sqlite3.Error, timeout: float) -> StoreError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    detail = " ".join(str(exc).split())
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in detail:
        return StoreError(
            f"The fix memory at {path} stayed locked by another process for more than {timeout:g} s: "
            "let the other sleepy process finish (or close it) and try again."
        )
    if name.startswith("SQLITE_FULL") or "disk is full" in detail:
        return StoreFull(
            f"The disk holding the fix memory at {path} is full: free some space, or delete every record "
            "with `sleepy telemetry purge --yes`, which removes the file."
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in detail or "not a database" in detail:
        return _corrupt(path, detail)
    return StoreError(
        f"The fix memory at {path} cannot be used ({detail}): check that its folder is writable "
        f"and the disk is not full, or set {DB_ENV} to another file."
    )


def _newer(path: Path, version: int) -> StoreError:
    return StoreError(
        f"The fix memory at {path} has schema version {version}, newer than the {SCHEMA_VERSION} this "
        f"sleepy-coder knows: upgrade sleepy-coder, or set {DB_ENV} to another file."
    )


@contextmanager
def _sqlite_errors(path: Path, timeout: float) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise _store_error(path, exc, timeout) from exc


# --- opening ---------------------------------------------------------------------------------


def check_database(path: Path, timeout: float = DEFAULT_TIMEOUT) -> int:
    """The schema version of an existing file, read without ever writing to it, or StoreError."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"The fix memory at {path} cannot be read ({exc.strerror}): check its permissions.") from exc
    if header and header != SQLITE_MAGIC:
        raise _corrupt(path, "it does not start with the SQLite header")
    with _sqlite_errors(path, timeout):
        probe = _read_only(path, timeout)
        try:
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _newer(path, version)
            problems = [row[0] for row in probe.execute("PRAGMA quick_check(1)")]
            if problems != ["ok"]:
                raise _corrupt(path, "its integrity check found damaged pages")
            return version
        finally:
            probe.close()


def _read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that cannot write; on a read-only mount (where SQLite cannot make its WAL index)
    the file is read as immutable, which is what it is there."""
    for options in ("mode=ro", "mode=ro&immutable=1"):
        conn = sqlite3.connect(f"{path.as_uri()}?{options}", uri=True, timeout=timeout, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
            if options.endswith("immutable=1"):
                raise
    raise AssertionError("unreachable")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the migrations this file lacks, all in one transaction; a current file is not written."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise _newer(path, version)
        for migration in MIGRATIONS[version:]:
            for step in migration:
                if callable(step):
                    step(conn)
                else:
                    conn.execute(step)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _create_private(path: Path) -> None:
    """The file, new and readable by this user only (it holds code); a new folder for it is 0700.

    SQLite gives its -wal and -shm files the database file's permissions.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError(
            f"Cannot create the fix memory at {path} ({exc.strerror}): set {DB_ENV} to a writable place."
        ) from exc


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    if path.exists() and path.stat().st_size:
        check_database(path, timeout)
    else:
        _create_private(path)
    with _sqlite_errors(path, timeout):
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            _migrate(conn, path)
        except BaseException:
            conn.close()
            raise
    return conn


# --- the store -------------------------------------------------------------------------------


def _row_record(cls: type, row: sqlite3.Row, prefix: str = "") -> Any:
    """A record of a flat table (outcomes, nights) from its row."""
    values = {f.name: row[prefix + f.name] for f in fields(cls)}
    for name in ("passed", "promoted"):
        if name in values:
            values[name] = bool(values[name])
    if "report" in values:
        values["report"] = json.loads(values["report"])
    return cls(**values)


def _columns(record: Any) -> dict[str, Any]:
    """A flat record's row (outcomes, nights)."""
    values = asdict(record)
    values["created_at"] = utc_iso(values["created_at"])
    if "report" in values:
        values["report"] = json.dumps(values["report"], ensure_ascii=False)
    return values


def _case_columns(case: ErrorCase | None) -> dict[str, Any]:
    case = case or ErrorCase("", "", "error", "", "", 1, 1, "other", "", "")
    return {"rendered": case.error, "message": case.message, "rel_path": case.rel_path, "line": case.line,
            "col": case.column, "context": case.context}


def _offer_columns(offer: Offer) -> dict[str, Any]:
    record, case = offer.record, offer.record.case
    return {"fix_id": offer.fix_id, "created_at": utc_iso(offer.created_at), "file": offer.file,
            "crate_root": offer.crate_root, "error_code": case.code, "family": case.family, "provider": record.provider,
            "model": offer.model, "adapter": offer.adapter, "verified": offer.verified, "latency_ms": offer.latency_ms,
            "title": record.title, "code_before": record.before, "code_after": record.after,
            "edits": json.dumps(offer.edits, ensure_ascii=False), "level": case.level, "answer": record.answer,
            "hunk_line": record.hunk_line, "file_hash": case.file_hash, "rank": record.rank,
            "risks": json.dumps(offer.risks, ensure_ascii=False), "tests": offer.tests,
            "replaced_by": offer.replaced_by, **_case_columns(case)}


def _case_of(row: sqlite3.Row, code: str, family: str, level: str, file_hash_: str) -> ErrorCase:
    return ErrorCase(row["rendered"], code, level, row["message"], row["rel_path"], row["line"], row["col"], family,
                     row["context"], file_hash_)


def _offer_of(row: sqlite3.Row) -> Offer:
    case = _case_of(row, row["error_code"], row["family"], row["level"], row["file_hash"])
    record = FixRecord(case, row["answer"], row["code_before"], row["code_after"], row["hunk_line"], row["provider"],
                       row["title"], row["rank"])
    return Offer(row["fix_id"], record, row["file"], row["crate_root"], row["model"], row["adapter"],
                 bool(row["verified"]), row["latency_ms"], json.loads(row["risks"]), row["tests"],
                 json.loads(row["edits"]), row["created_at"], row["replaced_by"])


def _episode_columns(episode: Episode) -> dict[str, Any]:
    values = {f.name: getattr(episode, f.name) for f in fields(Episode) if f.name != "case"}
    values["created_at"] = utc_iso(values["created_at"])
    return values | _case_columns(episode.case)


def _episode_of(row: sqlite3.Row) -> Episode:
    case = _case_of(row, row["error_code"], row["family"], "error", file_hash(row["code_before"])) \
        if row["rendered"] else None
    values = {f.name: row[f.name] for f in fields(Episode) if f.name != "case"}
    return Episode(**(values | {"passed": bool(values["passed"]), "case": case}))


def _check_choice(kind: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{kind} must be one of {', '.join(allowed)}, not {value!r}")



def _insert_row(conn: sqlite3.Connection, table: str, values: dict[str, Any], conflict: str = "") -> bool:
    """Insert one row from a mapping of column -> value; True when a row was written."""
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks}) {conflict}", values).rowcount == 1

class FixMemory:
    """The fix memory of one SQLite file; safe to call from several threads and processes."""

    def __init__(self, path: Path, conn: sqlite3.Connection | None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self._conn = conn
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, enabled: bool = True,
             timeout: float = DEFAULT_TIMEOUT) -> "FixMemory":
        """The store for recording; with telemetry off (here or by SLEEPY_TELEMETRY) it records nothing."""
        resolved = database_path(path)
        if not (enabled and telemetry_enabled()):
            return cls(resolved, None, timeout)
        return cls(resolved, _connect(resolved, timeout), timeout)

    @classmethod
    def open_existing(cls, path: str | os.PathLike | None = None, timeout: float = DEFAULT_TIMEOUT,
                      read_only: bool = False) -> "FixMemory":
        """The store for review, export and purge, whatever the telemetry switch; never creates the file.

        read_only: only read (review, export): works on a read-only mount and never changes the file,
            but a file of an older schema must first be opened once where it can be upgraded.
        """
        resolved = database_path(path)
        if not resolved.exists():
            return cls(resolved, None, timeout)
        if not read_only:
            return cls(resolved, _connect(resolved, timeout), timeout)
        if check_database(resolved, timeout) < SCHEMA_VERSION:
            if not os.access(resolved.parent, os.W_OK):
                raise StoreError(
                    f"The fix memory at {resolved} was written by an older sleepy-coder and cannot be upgraded "
                    "where it is (read-only): open it once with sleepy where it is writable.")
            _connect(resolved, timeout).close()
        with _sqlite_errors(resolved, timeout):
            conn = _read_only(resolved, timeout)
        conn.row_factory = sqlite3.Row
        return cls(resolved, conn, timeout)

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "FixMemory":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ---

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection | None]:
        """One committed write transaction, holding the write lock from its start."""
        with self._lock, _sqlite_errors(self.path, self.timeout):
            conn = self._conn
            if conn is None:
                yield None
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _query(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock, _sqlite_errors(self.path, self.timeout):
            if self._conn is None:
                return []
            return self._conn.execute(sql, params).fetchall()

    def _insert(self, table: str, values: dict[str, Any], conflict: str = "") -> bool:
        with self._transaction() as conn:
            if conn is None:
                return False
            return _insert_row(conn, table, values, conflict)

    # --- writes ---

    def record_offer(self, offer: Offer) -> bool:
        """Store an offer; False when telemetry is off or its fix_id is already stored."""
        _check_choice("family", offer.family, FAMILIES)
        _check_choice("provider", offer.provider, PROVIDERS)
        return self._insert("offers", _offer_columns(offer), "ON CONFLICT (fix_id) DO NOTHING")

    def record_outcome(self, fix_id: str, outcome: str, note: str = "", replace: bool = False) -> bool:
        """Store an offer's final outcome; False when the offer is unknown or already has one.

        The first outcome wins, except with replace=True: a user taking back a fix
        they accepted turns that acceptance into a rejection.
        """
        _check_choice("outcome", outcome, OUTCOMES)
        conflict = ("DO UPDATE SET outcome = excluded.outcome, created_at = excluded.created_at, note = excluded.note"
                    if replace else "DO NOTHING")
        with self._transaction() as conn:
            if conn is None:
                return False
            cursor = conn.execute(
                "INSERT INTO outcomes (fix_id, outcome, created_at, note) "
                "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM offers WHERE fix_id = ?) "
                f"ON CONFLICT (fix_id) {conflict}",
                (fix_id, outcome, utc_now(), note, fix_id),
            )
            return cursor.rowcount == 1

    def record_replaced(self, fix_id: str, successor: str) -> bool:
        """Link an undecided offer to the offer of the same fix that took its place (rustc's unchecked fix,
        once checked); False when the offer is unknown, already has an outcome, or was replaced already."""
        return self._update_undecided(fix_id, "replaced_by = ?", (successor,), "AND replaced_by = '' AND ? != fix_id",
                                      (successor,))

    def retitle(self, fix_id: str, title: str, tests: str) -> bool:
        """An undecided offer's title and test verdict as now shown (the project's tests finished after
        it was first shown); False when it is unknown or already decided."""
        return self._update_undecided(fix_id, "title = ?, tests = ?", (title, tests))

    def _update_undecided(self, fix_id: str, assignments: str, values: tuple, condition: str = "",
                          condition_values: tuple = ()) -> bool:
        """Set columns of an offer that has no outcome yet; False when none was changed."""
        with self._transaction() as conn:
            if conn is None:
                return False
            cursor = conn.execute(
                f"UPDATE offers SET {assignments} WHERE fix_id = ? {condition} "
                "AND NOT EXISTS (SELECT 1 FROM outcomes WHERE outcomes.fix_id = offers.fix_id)",
                (*values, fix_id, *condition_values))
            return cursor.rowcount == 1

    def record_manual(self, offer: Offer) -> bool:
        """Store a fix the user wrote by hand: the offer row (provider "user") and its "manual" outcome, at once."""
        _check_choice("family", offer.family, FAMILIES)
        with self._transaction() as conn:
            if conn is None:
                return False
            _insert_row(conn, "offers", _offer_columns(replace(offer, record=replace(offer.record, provider="user"))))
            return _insert_row(conn, "outcomes", {"fix_id": offer.fix_id, "outcome": "manual", "created_at": utc_now(),
                                                  "note": "written by the user"})

    def record_episode(self, episode: Episode) -> bool:
        return self._insert("episodes", _episode_columns(episode))

    def record_night(self, night: Night) -> bool:
        return self._insert("nights", _columns(night))

    # --- reads ---

    def fixes_by_outcome(self, outcomes: tuple[str, ...] = ("accepted", "manual"), error_code: str | None = None,
                         limit: int = 5000) -> list[tuple[Offer, str]]:
        """Fixes with one of these outcomes and the outcome, newest first: by default those the user took
        or wrote, which the fix memory and the night learn from."""
        for outcome in outcomes:
            _check_choice("outcome", outcome, OUTCOMES)
        marks = ", ".join("?" for _ in outcomes)
        sql = (f"SELECT o.*, x.outcome AS x_outcome FROM offers o JOIN outcomes x ON x.fix_id = o.fix_id "
               f"WHERE x.outcome IN ({marks})")
        params: list[Any] = list(outcomes)
        if error_code is not None:
            sql += " AND o.error_code = ?"
            params.append(error_code)
        sql += " ORDER BY o.created_at DESC, o.id DESC LIMIT ?"
        params.append(limit)
        return [(_offer_of(row), row["x_outcome"]) for row in self._query(sql, tuple(params))]

    def offers_with_outcomes(self, since: str | datetime | None = None) -> list[tuple[Offer, Outcome | None]]:
        """Every offer made at or after `since`, oldest first, with its outcome if it has one."""
        rows = self._query(
            "SELECT o.*, x.fix_id AS x_fix_id, x.outcome AS x_outcome, x.note AS x_note, "
            "x.created_at AS x_created_at FROM offers o LEFT JOIN outcomes x ON x.fix_id = o.fix_id "
            "WHERE o.created_at >= ? ORDER BY o.created_at, o.id",
            (utc_iso(since) if since else "",),
        )
        return [(_offer_of(row), _row_record(Outcome, row, "x_") if row["x_outcome"] else None)
                for row in rows]

    def episodes(self, day: str | None = None, passed: bool | None = None,
                 since: str | datetime | None = None) -> list[Episode]:
        """Koan episodes, oldest first, optionally of one day run, one result, or since a time."""
        sql, params = "SELECT * FROM episodes WHERE created_at >= ?", [utc_iso(since) if since else ""]
        if day is not None:
            sql += " AND day = ?"
            params.append(day)
        if passed is not None:
            sql += " AND passed = ?"
            params.append(int(passed))
        rows = self._query(sql + " ORDER BY created_at, id", tuple(params))
        return [_episode_of(row) for row in rows]

    def nights(self, since: str | datetime | None = None) -> list[Night]:
        """Night-cycle records, oldest first."""
        rows = self._query("SELECT * FROM nights WHERE created_at >= ? ORDER BY created_at, id",
                           (utc_iso(since) if since else "",))
        return [_row_record(Night, row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Rows per table (zeros when nothing is stored)."""
        return {table: (self._query(f"SELECT count(*) FROM {table}") or [[0]])[0][0] for table in TABLES}

    # --- deletion ---

    def purge(self, before: str | datetime | None = None) -> dict[str, int]:
        """Delete every record (or those created before `before`) and scrub the freed space; rows deleted per table."""
        cut = utc_iso(before) if before else None
        where = " WHERE created_at < ?" if cut else ""
        params = (cut,) if cut else ()
        deleted: dict[str, int] = {}
        with self._transaction() as conn:
            if conn is None:
                return {table: 0 for table in TABLES}
            conn.execute("PRAGMA secure_delete = ON")
            deleted["outcomes"] = conn.execute(
                f"DELETE FROM outcomes WHERE fix_id IN (SELECT fix_id FROM offers{where})", params).rowcount
            for table in ("offers", "episodes", "nights"):
                deleted[table] = conn.execute(f"DELETE FROM {table}{where}", params).rowcount
        with self._lock, _sqlite_errors(self.path, self.timeout):
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {table: deleted[table] for table in TABLES}


def remove_database(path: Path) -> list[Path]:
    """Delete the database file and its WAL side files (for a file too damaged to open); the paths removed."""
    removed = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            candidate.unlink()
            removed.append(candidate)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreError(
                f"Cannot delete {candidate} ({exc.strerror}): check its permissions and delete it by hand."
            ) from exc
    return removed
