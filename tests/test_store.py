"""The fix memory on real SQLite files: round trips, migrations, bad files, locks, kills and concurrency."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import make_offer

from sleepy_lsp.errors import SleepyError
from sleepy_lsp.memory import store as store_module
from sleepy_lsp.memory.store import (
    SCHEMA_VERSION,
    Episode,
    FixMemory,
    Night,
    Offer,
    StoreError,
    database_path,
    new_fix_id,
    remove_database,
)

WRITER = Path(__file__).resolve().parent / "store_writer.py"


@pytest.fixture(autouse=True)
def telemetry_on(monkeypatch):
    monkeypatch.delenv("SLEEPY_TELEMETRY", raising=False)
    monkeypatch.delenv("SLEEPY_DB", raising=False)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "memory" / "fix-memory.sqlite3"


def offer(**changes) -> Offer:
    values = dict(fix_id=new_fix_id(), file="/home/me/crate/src/lib.rs", error_code="E0502", family="borrow",
                  provider="rustc", message="cannot borrow `v` as mutable", title="make `v` mutable",
                  crate_root="/home/me/crate", model="qwen2.5-coder-1.5b", adapter="borrow-0003",
                  verified=True, latency_ms=123.5, code_before="let v = 1;", code_after="let mut v = 1;",
                  edits=[{"range": {"start": [3, 8], "end": [3, 8]}, "newText": "mut "}])
    values.update(changes)
    return make_offer(**values)


def one_sentence(message: str) -> bool:
    return "\n" not in message and message.endswith(".") and message.count(": ") >= 1


# --- round trips -------------------------------------------------------------------------------


def test_offer_and_outcome_round_trip(db):
    with FixMemory.open(db) as store:
        made = offer(created_at="2025-03-01T10:00:00Z")
        assert store.record_offer(made)
        assert store.record_outcome(made.fix_id, "accepted", note="applied from the lightbulb")
        [(back, outcome)] = store.offers_with_outcomes()
    assert back == replace(made, created_at="2025-03-01T10:00:00.000000+00:00")
    assert (outcome.fix_id, outcome.outcome, outcome.note) == (made.fix_id, "accepted", "applied from the lightbulb")
    assert outcome.created_at.endswith("+00:00")


def test_episode_and_night_round_trip(db):
    episode = Episode(day="day-2025-03-01", koan_id="bc_003", family="borrow", passed=False, stage="compile",
                      error_code="E0499", strategy="model", model="gemma-3-270m", adapter="",
                      code_before="broken", candidate="still broken", fix_that_worked="the solution",
                      created_at="2025-03-01T09:00:00+00:00")
    night = Night(night="night-2025-03-01", method="share", family="borrow", adapter="borrow-0004",
                  base_model="qwen2.5-coder-1.5b", trainable_params=73728, examples=42, seconds=812.5,
                  score_before=0.55, score_after=0.7, regressions=0, promoted=True,
                  report={"per_family": {"borrow": 0.7}, "koans": ["bc_001"]},
                  created_at="2025-03-02T03:00:00+00:00")
    with FixMemory.open(db) as store:
        assert store.record_episode(episode) and store.record_night(night)
        assert store.episodes() == [Episode(**{**episode.__dict__, "created_at": "2025-03-01T09:00:00.000000+00:00"})]
        assert store.nights() == [Night(**{**night.__dict__, "created_at": "2025-03-02T03:00:00.000000+00:00"})]
        assert store.episodes(day="other") == [] and store.episodes(passed=True) == []
        assert store.episodes(passed=False, day="day-2025-03-01")[0].koan_id == "bc_003"
        assert store.nights(since="2025-03-03T00:00:00+00:00") == []


def accepted(store, **filters) -> list[str]:
    return [o.fix_id for o, _ in store.fixes_by_outcome(("accepted",), **filters)]


def test_fixes_by_outcome_filters_newest_first(db):
    with FixMemory.open(db) as store:
        made = []
        for i, (code, family, outcome) in enumerate([
            ("E0502", "borrow", "accepted"), ("E0502", "borrow", "rejected"), ("E0277", "trait_bounds", "accepted"),
            ("E0502", "borrow", "accepted"), ("E0502", "borrow", None), ("E0308", "type_mismatch", "ignored"),
        ]):
            item = offer(error_code=code, family=family, created_at=f"2025-03-01T10:0{i}:00+00:00")
            store.record_offer(item)
            if outcome:
                store.record_outcome(item.fix_id, outcome)
            made.append(item)
        assert accepted(store) == [made[3].fix_id, made[2].fix_id, made[0].fix_id]
        assert accepted(store, error_code="E0502") == [made[3].fix_id, made[0].fix_id]
        assert len(accepted(store, limit=1)) == 1
        assert [(o.fix_id, x) for o, x in store.fixes_by_outcome(("rejected", "ignored"))] == [
            (made[5].fix_id, "ignored"), (made[1].fix_id, "rejected")]
        assert len(store.offers_with_outcomes(since="2025-03-01T10:03:00+00:00")) == 3


def test_taking_back_an_acceptance_replaces_it(db):
    with FixMemory.open(db) as store:
        made = offer()
        store.record_offer(made)
        assert store.record_outcome(made.fix_id, "accepted")
        assert store.record_outcome(made.fix_id, "rejected", "taken back", replace=True)
        [(_, outcome)] = store.offers_with_outcomes()
        assert (outcome.outcome, outcome.note) == ("rejected", "taken back")
        assert accepted(store) == []


def test_first_outcome_wins(db):
    with FixMemory.open(db) as store:
        made = offer()
        store.record_offer(made)
        assert store.record_outcome(made.fix_id, "rejected")
        assert not store.record_outcome(made.fix_id, "accepted")
        assert not store.record_outcome("no-such-fix", "accepted")
        assert store.offers_with_outcomes()[0][1].outcome == "rejected"
        assert accepted(store) == []
        assert not store.record_offer(made), "a fix_id is stored once"
        with pytest.raises(ValueError):
            store.record_outcome(made.fix_id, "loved")
        with pytest.raises(ValueError):
            store.record_offer(offer(provider="oracle"))


# --- file, schema, migrations ------------------------------------------------------------------


def test_new_file_is_created_in_wal_mode_at_the_current_version(db):
    with FixMemory.open(db) as store:
        assert store.path == db and db.exists()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"offers", "outcomes", "episodes", "nights"} <= tables
    conn.close()


def test_migrates_an_empty_file(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with FixMemory.open(empty) as store:
        assert store.record_offer(offer())
        assert store.counts()["offers"] == 1
    assert sqlite3.connect(empty).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migrations_are_applied_in_order_from_an_older_version(db, monkeypatch):
    with FixMemory.open(db) as store:
        store.record_offer(offer(title="kept across the migration"))
    v2 = ("ALTER TABLE offers ADD COLUMN rating INTEGER NOT NULL DEFAULT 0",
          "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + (v2,))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with FixMemory.open(db) as store:
        assert store.offers_with_outcomes()[0][0].title == "kept across the migration"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert conn.execute("SELECT rating FROM offers").fetchone()[0] == 0
    conn.close()


def test_reopening_a_current_database_does_not_write(db):
    with FixMemory.open(db) as store:
        store.record_offer(offer())
    before = db.read_bytes()
    with FixMemory.open_existing(db) as store:
        assert len(store.offers_with_outcomes()) == 1
    assert db.read_bytes() == before


def test_database_path_resolution(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module.platformdirs, "user_data_dir", lambda app: str(tmp_path / "data" / app))
    assert database_path() == tmp_path / "data" / "sleepy-coder" / "fix-memory.sqlite3"
    monkeypatch.setenv("SLEEPY_DB", str(tmp_path / "env.sqlite3"))
    assert database_path() == tmp_path / "env.sqlite3"
    assert database_path(tmp_path / "explicit.sqlite3") == tmp_path / "explicit.sqlite3"


# --- telemetry off -----------------------------------------------------------------------------


@pytest.mark.parametrize("env", [None, "0", "off", "false", "OFF", "no"])
def test_telemetry_off_writes_nothing(db, monkeypatch, env):
    if env is None:
        store = FixMemory.open(db, enabled=False)
    else:
        monkeypatch.setenv("SLEEPY_TELEMETRY", env)
        store = FixMemory.open(db)
    made = offer()
    assert not store.enabled
    assert not store.record_offer(made)
    assert not store.record_outcome(made.fix_id, "accepted")
    assert not store.record_episode(Episode("d", "bc_001", "borrow", True, "passed"))
    assert not store.record_night(Night("n", "lora", "borrow", "a", "m"))
    assert store.offers_with_outcomes() == [] and store.fixes_by_outcome() == [] and store.nights() == []
    store.close()
    assert not db.exists() and not db.parent.exists()


def test_telemetry_on_by_environment(db, monkeypatch):
    monkeypatch.setenv("SLEEPY_TELEMETRY", "1")
    with FixMemory.open(db) as store:
        assert store.enabled and store.record_offer(offer())


def test_open_existing_never_creates_a_file(db):
    with FixMemory.open_existing(db) as store:
        assert not store.enabled and store.offers_with_outcomes() == []
    assert not db.exists()


# --- bad databases -----------------------------------------------------------------------------


def malformed_database(path: Path) -> None:
    """A real SQLite file whose table pages were overwritten with garbage."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE offers (id INTEGER PRIMARY KEY, text TEXT)")
    conn.executemany("INSERT INTO offers (text) VALUES (?)", [("x" * 300,)] * 200)
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):
        data[start:start + 64] = bytes(range(64))
    path.write_bytes(bytes(data))


def newer_database(path: Path, wal: bool) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()


BAD_FILES = {
    "text": (lambda p: p.write_text("this is my shopping list, not a database\n"), "not a readable SQLite database"),
    "random": (lambda p: p.write_bytes(os.urandom(8192)), "not a readable SQLite database"),
    "malformed": (malformed_database, "not a readable SQLite database"),
    "newer": (lambda p: newer_database(p, wal=False), "upgrade sleepy-coder"),
    "newer-wal": (lambda p: newer_database(p, wal=True), "upgrade sleepy-coder"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("opener", ["open", "open_existing"])
def test_bad_database_is_reported_and_never_modified(tmp_path, kind, opener):
    path = tmp_path / "fix-memory.sqlite3"
    make, expected = BAD_FILES[kind]
    make(path)
    before = path.read_bytes()
    siblings = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(StoreError) as caught:
        getattr(FixMemory, opener)(path)
    message = str(caught.value)
    assert isinstance(caught.value, SleepyError)
    assert expected in message and str(path) in message and one_sentence(message), message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-shm", "-wal"))) == siblings


def test_locked_database_raises_instead_of_hanging(db):
    with FixMemory.open(db) as store:
        store.record_offer(offer())
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = FixMemory.open(db, timeout=0.3)
        started = time.monotonic()
        with pytest.raises(StoreError, match="locked by another process"):
            store.record_offer(offer())
        assert time.monotonic() - started < 5
        assert len(store.offers_with_outcomes()) == 1, "readers still read in WAL mode"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.record_offer(offer())
    store.close()


# --- purge -------------------------------------------------------------------------------------


def test_purge_before_a_date_and_everything(db):
    with FixMemory.open(db) as store:
        old, new = offer(created_at="2025-01-01T00:00:00+00:00", code_before="SECRET-OLD-CODE"), offer()
        for item in (old, new):
            store.record_offer(item)
            store.record_outcome(item.fix_id, "accepted")
        store.record_episode(Episode("d1", "bc_001", "borrow", True, "passed", created_at="2025-01-01T00:00:00Z"))
        store.record_night(Night("n1", "lora", "borrow", "a", "m", created_at="2025-01-02T00:00:00Z"))
        store.record_night(Night("n2", "lora", "borrow", "b", "m"))
        assert store.purge(before="2025-02-01T00:00:00+00:00") == {
            "offers": 1, "outcomes": 1, "episodes": 1, "nights": 1}
        assert [o.fix_id for o, _ in store.offers_with_outcomes()] == [new.fix_id]
        assert b"SECRET-OLD-CODE" not in db.read_bytes()
        assert store.purge() == {"offers": 1, "outcomes": 1, "episodes": 0, "nights": 1}
        assert store.counts() == {"offers": 0, "outcomes": 0, "episodes": 0, "nights": 0}


def test_remove_database_deletes_the_file_and_side_files(tmp_path):
    path = tmp_path / "fix-memory.sqlite3"
    path.write_text("garbage")
    Path(f"{path}-wal").write_text("")
    assert remove_database(path) == [path, Path(f"{path}-wal")]
    assert list(tmp_path.iterdir()) == []


# --- threads and processes ---------------------------------------------------------------------


def test_threads_share_one_store(db):
    with FixMemory.open(db) as store:
        def work(n: int) -> None:
            for i in range(50):
                made = offer(title=f"thread {n} fix {i}")
                store.record_offer(made)
                store.record_outcome(made.fix_id, "accepted" if i % 2 else "rejected")
                store.fixes_by_outcome(limit=5)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.counts()["offers"] == 400 and store.counts()["outcomes"] == 400


def writer(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), str(db), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stored_ids(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in conn.execute("SELECT fix_id FROM offers")}
    finally:
        conn.close()


def test_sigkill_loses_no_committed_record(db):
    child = writer(db)
    printed = []
    try:
        for line in child.stdout:
            printed.append(line.strip())
            if len(printed) == 60:
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, child.stderr.read()
    assert len(printed) == 60
    ids = stored_ids(db)
    assert set(printed) <= ids
    assert len(ids) - len(printed) <= 1, "at most the record in flight when killed"
    with FixMemory.open(db) as store:  # and the store still opens and writes after the crash
        assert store.record_offer(offer())


def test_two_processes_writing_at_once_lose_nothing(db):
    FixMemory.open(db).close()
    children = [writer(db, "--count", "200", "--tag", tag, "--wait", "--pause", "0.002") for tag in ("left", "right")]
    for child in children:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
    for child in children:  # both start writing at the same moment
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=300) for child in children]
    for child, (_, err) in zip(children, outputs):
        assert child.returncode == 0, err
    printed = [line for out, _ in outputs for line in out.split()]
    assert len(printed) == len(set(printed)) == 400
    assert stored_ids(db) == set(printed)
    conn = sqlite3.connect(db)
    order = [row[0] for row in conn.execute("SELECT file FROM offers ORDER BY id")]
    conn.close()
    switches = sum(1 for a, b in zip(order, order[1:]) if a != b)
    assert switches > 1, "the two writers really wrote at the same time (one after the other switches once)"
    with FixMemory.open(db) as store:
        assert len(store.fixes_by_outcome(limit=1000)) == 200


# --- privacy and hostile disks -------------------------------------------------------------------


def test_the_memory_is_private_to_its_user(db):
    with FixMemory.open(db) as store:
        store.record_offer(offer())
        modes = {p.name: oct(p.stat().st_mode & 0o777) for p in db.parent.iterdir() if p.name.startswith(db.name)}
    assert oct(db.parent.stat().st_mode & 0o777) == "0o700"
    assert len(modes) == 3 and set(modes.values()) == {"0o600"}, modes  # the file, its -wal and -shm


def _in_a_mount_namespace(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run a shell script where it may mount (a private mount namespace); the test needs it."""
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.fail("`unshare -m` is refused here: these tests need a mount namespace (run as root or with "
                    "unprivileged user namespaces)")
    return subprocess.run(["unshare", "-m", "sh", "-ec", script], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)


def sleepy_command(*args: str) -> str:
    return " ".join([sys.executable, "-c", "'from sleepy_lsp.cli import main; main()'", *args])


def test_review_and_export_read_a_memory_on_a_read_only_mount(db, tmp_path):
    with FixMemory.open(db) as store:
        store.record_offer(offer(fix_id="ro-1"))
        store.record_outcome("ro-1", "accepted")
    before = db.read_bytes()
    folder = db.parent
    run = _in_a_mount_namespace(
        f"mount --bind {folder} {folder}; mount -o remount,bind,ro {folder}\n"
        f"{sleepy_command('review', '--db', str(db), '--json', '--days', '0')} > {tmp_path}/review.json\n"
        f"{sleepy_command('telemetry', 'export', '--db', str(db), '--jsonl', str(tmp_path / 'dump.jsonl'))}\n",
        tmp_path)
    assert run.returncode == 0, run.stderr
    assert '"accepted": 1' in (tmp_path / "review.json").read_text()
    assert '"ro-1"' in (tmp_path / "dump.jsonl").read_text()
    assert db.read_bytes() == before


def test_purge_works_on_a_full_disk(tmp_path):
    """A full disk cannot take the deletes (they need room in the log), so the file goes as a whole."""
    disk = tmp_path / "disk"
    disk.mkdir()
    db = disk / "fix-memory.sqlite3"
    fill = (f"{sys.executable} -c '"
            f"import sys; sys.path.insert(0, \"{Path(__file__).parent}\"); from conftest import make_offer\n"
            "from sleepy_lsp.memory.store import FixMemory, StoreError\n"
            "store = FixMemory.open(sys.argv[1])\n"
            "try:\n"
            "    for i in range(100000): store.record_offer(make_offer(str(i), \"f\", \"E0502\", \"borrow\", \"rustc\", "
            "code_before=\"x\" * 4000))\n"
            "except StoreError as exc: print(\"full:\", exc)\n"
            f"' {db}")
    run = _in_a_mount_namespace(
        f"mount -t tmpfs -o size=600k tmpfs {disk}\n{fill}\n"
        f"{sleepy_command('telemetry', 'purge', '--yes', '--db', str(db))}\nls -a {disk}\n", tmp_path)
    assert run.returncode == 0, run.stderr
    assert "full:" in run.stdout and "disk is full" in run.stdout
    assert "deleted as a whole" in run.stdout
    assert run.stdout.split()[-2:] == [".", ".."]  # `ls -a` of the disk: nothing left


def test_a_memory_written_by_the_previous_release_is_upgraded_in_place_and_loses_nothing(tmp_path):
    """Schema 1 (the release before fix records) kept whole files and no place of the error; schema 2
    keeps every value it had and derives the record from them."""
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db)
    for statement in store_module.MIGRATIONS[0]:
        conn.execute(statement)
    before = "fn main() {\n    let v = vec![1];\n    v.push(2);\n}\n"
    after = before.replace("let v", "let mut v")
    conn.execute("INSERT INTO offers (fix_id, created_at, file, crate_root, error_code, family, message, provider, "
                 "verified, latency_ms, title, code_before, code_after, edits) VALUES ('old-1', "
                 "'2025-01-02T03:04:05.000000+00:00', '/home/me/crate/src/main.rs', '/home/me/crate', 'E0596', "
                 "'borrow', 'cannot borrow `v` as mutable', 'rustc', 1, 12.5, 'rustc: make v mutable', ?, ?, '[]')",
                 (before, after))
    conn.execute("INSERT INTO outcomes (fix_id, outcome, created_at) VALUES ('old-1', 'accepted', "
                 "'2025-01-02T03:05:00.000000+00:00')")
    conn.execute("INSERT INTO episodes (created_at, day, koan_id, family, passed, stage, code_before) VALUES "
                 "('2025-01-02T03:04:05.000000+00:00', 'd1', 'bc_001', 'borrow', 0, 'compile', 'x')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with FixMemory.open(db) as store:
        [(offer, outcome)] = store.offers_with_outcomes()
        [episode] = store.episodes()
    assert SCHEMA_VERSION >= 2 and outcome.outcome == "accepted" and offer.replaced_by == ""
    record = offer.record
    assert (offer.fix_id, offer.file, offer.verified, offer.latency_ms, offer.title) == (
        "old-1", "/home/me/crate/src/main.rs", True, 12.5, "rustc: make v mutable")
    assert (record.before, record.after) == (before, after)  # the whole files are kept as they were
    assert record.answer == "LINE 2:     let mut v = vec![1];" and record.case.line == 2
    assert record.case.rel_path == "src/main.rs" and "  2 |     let v = vec![1];" in record.case.context
    assert record.case.file_hash and episode.koan_id == "bc_001" and episode.case is None


def test_a_memory_of_schema_2_is_upgraded_to_link_replaced_offers_and_loses_nothing(tmp_path):
    """Schema 3 adds the successor of an offer replaced by the same fix checked; schema 2's offers stand
    for themselves, with every value and outcome they had."""
    db = tmp_path / "v2.sqlite3"
    conn = sqlite3.connect(db)
    for migration in store_module.MIGRATIONS[:2]:
        for step in migration:
            step(conn) if callable(step) else conn.execute(step)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    old = offer(title="rustc: make `v` mutable (compiles ✓)", tests="tests pass (3)", risks=["adds a panic"])
    with sqlite3.connect(db) as conn:  # written as release 2 wrote it: no replaced_by column
        values = {k: v for k, v in store_module._offer_columns(old).items() if k != "replaced_by"}
        conn.execute(f"INSERT INTO offers ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})", values)
        conn.execute("INSERT INTO outcomes (fix_id, outcome, created_at) VALUES (?, 'accepted', ?)",
                     (old.fix_id, old.created_at))
    with FixMemory.open(db) as store:
        [(kept, outcome)] = store.offers_with_outcomes()
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert kept == replace(old, created_at=kept.created_at) and outcome.outcome == "accepted"
    assert kept.replaced_by == ""


def test_an_undecided_offer_is_linked_to_its_successor_once(db):
    quick, checked, decided = offer(verified=False), offer(), offer(verified=False)
    with FixMemory.open(db) as store:
        for each in (quick, checked, decided):
            store.record_offer(each)
        store.record_outcome(decided.fix_id, "accepted")
        assert store.record_replaced(quick.fix_id, checked.fix_id)
        assert not store.record_replaced(quick.fix_id, "another")  # linked once
        assert not store.record_replaced(decided.fix_id, checked.fix_id)  # the user decided on it: it stands
        assert not store.record_replaced(checked.fix_id, checked.fix_id)
        assert not store.record_replaced("unknown", checked.fix_id)
        assert store.retitle(checked.fix_id, "rustc: make `v` mutable (compiles ✓, tests pass (2))", "tests pass (2)")
        assert not store.retitle(decided.fix_id, "changed", "")
        by_id = {o.fix_id: o for o, _ in store.offers_with_outcomes()}
    assert by_id[quick.fix_id].replaced_by == checked.fix_id
    assert by_id[checked.fix_id].replaced_by == by_id[decided.fix_id].replaced_by == ""
    assert by_id[checked.fix_id].title.endswith("tests pass (2))") and by_id[checked.fix_id].tests == "tests pass (2)"
    assert by_id[decided.fix_id].title == decided.title
