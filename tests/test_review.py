"""`sleepy review` and `sleepy telemetry` on a realistic few days of fix memory.

The figures are checked against counts made here from the generated records,
never through the code under test. The HTML report is opened in real headless
Chromium, which must draw every chart with data.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import shutil
import sqlite3
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import make_offer

from sleepy_lsp.cli.review import review, telemetry
from sleepy_lsp.errors import SleepyError
from sleepy_lsp.memory.review import offer_status, summarise
from sleepy_lsp.memory.store import SCHEMA_VERSION, Episode, FixMemory, Night, Offer, new_fix_id

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

FAMILIES = ("borrow", "trait_bounds", "result", "type_mismatch", "missing_item", "other")
CODES = {"borrow": ("E0502", "E0499", "E0382", "E0596"), "trait_bounds": ("E0277", "E0599"),
         "result": ("E0061", "E0070"), "type_mismatch": ("E0308", "E0053"),
         "missing_item": ("E0425", "E0433", "E0412"), "other": ("E0601",)}
ACCEPT = {"borrow": 0.7, "trait_bounds": 0.45, "result": 0.55, "type_mismatch": 0.6, "missing_item": 0.35, "other": 0.2}
MODELS = (("qwen2.5-coder-1.5b", ""), ("qwen2.5-coder-1.5b", "borrow-0003"), ("gemma-3-270m", "share-0002"))
LATENCY = {"rustc": 300.0, "memory": 40.0, "model": 2500.0}


@dataclass
class Generated:
    """What was written, kept here to count from independently."""

    offers: list[tuple[Offer, str | None]] = field(default_factory=list)  # (offer, outcome or None)
    episodes: list[Episode] = field(default_factory=list)
    nights: list[Night] = field(default_factory=list)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def fill(store: FixMemory, seed: int = 6, now: datetime | None = None) -> Generated:
    """Five busy days, a few offers still pending, and one older day outside a 7-day window."""
    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    made = Generated()
    ages = [timedelta(days=d, hours=rng.uniform(1.5, 22)) for d in range(5) for _ in range(rng.randint(60, 90))]
    ages += [timedelta(minutes=rng.uniform(2, 40)) for _ in range(7)]  # still pending
    ages += [timedelta(days=11, hours=rng.uniform(0, 20)) for _ in range(25)]  # outside --days 7
    for age in ages:
        family = rng.choice(FAMILIES)
        provider = rng.choices(("rustc", "memory", "model"), weights=(5, 2, 4))[0]
        model, adapter = rng.choice(MODELS) if provider == "model" else ("", "")
        offer = make_offer(
            fix_id=new_fix_id(), file=f"/home/dev/app/src/{rng.choice(('main', 'lib', 'db', 'http'))}.rs",
            error_code=rng.choice(CODES[family]), family=family, provider=provider, model=model, adapter=adapter,
            message="cannot borrow `items` as mutable more than once", title=f"fix {family} #{len(made.offers)}",
            crate_root="/home/dev/app", verified=rng.random() < 0.9,
            latency_ms=round(rng.lognormvariate(math.log(LATENCY[provider]), 0.6), 1),
            code_before="let x = 1;", code_after="let mut x = 1;", edits=[{"newText": "mut "}],
            created_at=iso(now - age))
        store.record_offer(offer)
        outcome = None
        if age > timedelta(hours=1):
            roll = rng.random()
            p = ACCEPT[family]
            outcome = ("accepted" if roll < p else "rejected" if roll < p + (1 - p) / 2
                       else "ignored" if roll < p + 3 * (1 - p) / 4 else None)
        if outcome:
            assert store.record_outcome(offer.fix_id, outcome)
        made.offers.append((offer, outcome))
    for d in range(5):
        start = now - timedelta(days=d, hours=3)
        for k in range(rng.randint(20, 30)):
            family = rng.choice(FAMILIES[:5])
            passed = rng.random() < ACCEPT[family]
            episode = Episode(day=f"day-{start:%Y%m%d}", koan_id=f"{family[:2]}_{k:03d}", family=family,
                              passed=passed, stage="passed" if passed else rng.choice(("compile", "test")),
                              strategy="full", model="qwen2.5-coder-1.5b", candidate="fn main() {}",
                              fix_that_worked="fn main() {}", created_at=iso(start + timedelta(seconds=30 * k)))
            store.record_episode(episode)
            made.episodes.append(episode)
    for d in (4, 3, 2, 1, 11):
        run = f"night-{now - timedelta(days=d):%Y%m%d}"
        for family in rng.sample(FAMILIES[:5], 3):
            before = rng.uniform(0.3, 0.7)
            for method in ("lora", "share"):
                after = min(1.0, max(0.0, before + rng.uniform(-0.1, 0.2)))
                night = Night(night=run, method=method, family=family, adapter=f"{family}-{method}-{d}",
                              base_model="qwen2.5-coder-1.5b", trainable_params=rng.choice((73728, 1179648)),
                              examples=rng.randint(20, 80), seconds=rng.uniform(300, 1800),
                              score_before=before, score_after=after, regressions=rng.choice((0, 0, 1)),
                              promoted=method == "share" and after > before,
                              report={"koans": 20}, created_at=iso(now - timedelta(days=d, hours=-2)))
                store.record_night(night)
                made.nights.append(night)
    return made


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.delenv("SLEEPY_TELEMETRY", raising=False)
    monkeypatch.delenv("SLEEPY_DB", raising=False)


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, Generated]:
    db = tmp_path_factory.mktemp("review") / "fix-memory.sqlite3"
    with FixMemory.open(db) as store:
        made = fill(store)
    return db, made


# --- independent counting ----------------------------------------------------------------------


def status(offer: Offer, outcome: str | None, now: datetime) -> str:
    if outcome:
        return outcome
    return "pending" if now - datetime.fromisoformat(offer.created_at) < timedelta(hours=1) else "ignored"


def in_window(made: Generated, days: int, now: datetime) -> list[tuple[Offer, str]]:
    since = now - timedelta(days=days)
    return [(o, status(o, x, now)) for o, x in made.offers if not days or datetime.fromisoformat(o.created_at) >= since]


def counts(rows: list[tuple[Offer, str]]) -> dict:
    c = Counter(s for _, s in rows)
    decided = len(rows) - c["pending"]
    return {"offers": len(rows), "accepted": c["accepted"], "rejected": c["rejected"], "ignored": c["ignored"],
            "pending": c["pending"], "decided": decided,
            "acceptance_rate": c["accepted"] / decided if decided else None}


def grouped(rows, key) -> dict:
    groups = defaultdict(list)
    for offer, s in rows:
        groups[key(offer)].append((offer, s))
    return {k: counts(v) for k, v in groups.items()}


def day_of(timestamp: str) -> str:
    return datetime.fromisoformat(timestamp).astimezone().strftime("%Y-%m-%d")


def pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "–"


# --- running the commands ----------------------------------------------------------------------


@dataclass
class Ran:
    code: int
    out: str
    err: str


def sleepy(*args: str, input: str | None = None, env: dict | None = None) -> Ran:
    """Run `sleepy ARGS` on a group holding only these commands, as the main entry point would."""
    group = click.Group("sleepy", commands={"review": review, "telemetry": telemetry})
    result = CliRunner().invoke(group, list(args), input=input, env={"COLUMNS": "220", **(env or {})})
    if isinstance(result.exception, SleepyError):
        return Ran(2, result.stdout, f"error: {result.exception}")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def table_body(output: str, title: str) -> list[list[str]]:
    """The body rows of the table with this title, as lists of cells: the rule under the headers
    (one run of ─ per column) says where each column starts."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    rule = lines[start + 2]  # title, header, rule
    assert set(rule.strip()) <= {"─", " "}, rule
    starts = [m.start() for m in re.finditer("─+", rule)] + [None]
    rows = []
    for line in lines[start + 3:]:
        if not line.strip():
            break
        rows.append([line[a:b].strip() for a, b in zip(starts, starts[1:])])
    return rows


def table_rows(output: str, title: str) -> dict[str, list[str]]:
    """The body rows of the rich table with this title, by first cell."""
    return {row[0]: row[1:] for row in table_body(output, title)}


# --- figures -----------------------------------------------------------------------------------


def test_json_figures_match_independent_counts(filled):
    db, made = filled
    ran = sleepy("review", "--db", str(db), "--json")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    now = datetime.fromisoformat(data["generated_at"])
    rows = in_window(made, 7, now)
    assert 300 <= len(rows) < len(made.offers), "hundreds of offers, the oldest day outside the window"

    def same(got: dict, want: dict) -> None:
        for key in ("offers", "accepted", "rejected", "ignored", "pending", "decided"):
            assert got[key] == want[key], key
        assert got["acceptance_rate"] == pytest.approx(want["acceptance_rate"])

    same(data["totals"], counts(rows))
    assert data["totals"]["pending"] == 7
    expected = grouped(rows, lambda o: o.family)
    assert set(expected) == set(FAMILIES)
    for family, want in expected.items():
        same(data["by_family"][family], want)
    for provider, want in grouped(rows, lambda o: o.provider).items():
        same(data["by_provider"][provider], want)
    models = {(m["model"], m["adapter"]): m for m in data["by_model"]}
    for key, want in grouped(rows, lambda o: (o.model, o.adapter)).items():
        same(models[key], want)
    assert len(models) == len(MODELS) + 1
    by_day = grouped(rows, lambda o: day_of(o.created_at))
    assert list(data["by_day"]) == sorted(by_day)
    for day, want in by_day.items():
        same(data["by_day"][day], want)

    slowest = sorted(rows, key=lambda r: -r[0].latency_ms)[:10]
    assert [s["fix_id"] for s in data["slowest"]] == [o.fix_id for o, _ in slowest]
    assert [s["status"] for s in data["slowest"]] == [s for _, s in slowest]

    by_code = {k: v for k, v in grouped(rows, lambda o: o.error_code).items() if v["decided"] >= 3}
    lowest = sorted(by_code, key=lambda k: (by_code[k]["acceptance_rate"], -by_code[k]["decided"], k))[:10]
    assert [row["error_code"] for row in data["lowest_acceptance"]] == lowest
    family_of = {code: family for family, codes in CODES.items() for code in codes}
    assert all(row["family"] == family_of[row["error_code"]] for row in data["lowest_acceptance"])

    latencies = sorted(o.latency_ms for o, _ in rows)
    assert data["latency_ms"]["count"] == len(latencies) and data["latency_ms"]["max"] == latencies[-1]
    assert data["latency_ms"]["p50"] == latencies[math.ceil(len(latencies) / 2) - 1]
    assert sum(b["offers"] for b in data["latency_ms"]["histogram"]) == len(latencies)
    assert sum(b["offers"] for b in data["latency_ms"]["histogram"] if b["high_ms"] and b["high_ms"] <= 100) == \
        sum(1 for ms in latencies if ms < 100)

    since = now - timedelta(days=7)
    episodes = [e for e in made.episodes if datetime.fromisoformat(e.created_at) >= since]
    for family in FAMILIES[:5]:
        mine = [e for e in episodes if e.family == family]
        assert data["practice"]["by_family"][family]["episodes"] == len(mine)
        assert data["practice"]["by_family"][family]["passed"] == sum(e.passed for e in mine)
    nights = [n for n in made.nights if datetime.fromisoformat(n.created_at) >= since]
    assert len(data["nights"]) == len(nights) == 24
    assert sum(n["promoted"] for n in data["nights"]) == sum(n.promoted for n in nights)


def test_days_zero_covers_everything(filled):
    db, made = filled
    data = json.loads(sleepy("review", "--db", str(db), "--json", "--days", "0").out)
    assert data["totals"]["offers"] == len(made.offers)
    assert len(data["nights"]) == len(made.nights)
    assert data["since"] is None


def test_tables_match_independent_counts(filled):
    db, made = filled
    ran = sleepy("review", "--db", str(db))
    assert ran.code == 0, ran.err
    now = datetime.now(timezone.utc)
    rows = in_window(made, 7, now)

    def cells(c: dict) -> list[str]:
        return [str(c["offers"]), str(c["accepted"]), str(c["rejected"]), str(c["ignored"]), str(c["pending"]),
                "0", pct(c["accepted"], c["decided"]), pct(c["rejected"], c["decided"]), pct(c["ignored"], c["decided"])]

    assert table_rows(ran.out, "Offers") == {"all": cells(counts(rows))}
    def expected(key) -> dict[str, list[str]]:
        return {k: cells(v) for k, v in grouped(rows, key).items()}

    assert table_rows(ran.out, "Offers by family") == expected(lambda o: o.family)
    assert table_rows(ran.out, "Offers by provider") == expected(lambda o: o.provider)
    assert table_rows(ran.out, "Offers by model and adapter") == expected(
        lambda o: f"{o.model or '(none)'} / {o.adapter or 'base'}")
    assert table_rows(ran.out, "Offers per day") == expected(lambda o: day_of(o.created_at))
    slowest = table_rows(ran.out, "Slowest fixes")
    assert len(slowest) == 10
    since = now - timedelta(days=7)
    nights = [n for n in made.nights if datetime.fromisoformat(n.created_at) >= since]
    night_rows = table_body(ran.out, "Night history (koan pass rate: champion → candidate)")
    when = lambda n: datetime.fromisoformat(n.created_at).astimezone().strftime("%m-%d %H:%M")  # noqa: E731
    assert [(r[0], r[1], r[2], r[3]) for r in night_rows] == [(when(n), n.family, n.method, n.adapter) for n in nights]
    assert [r[-1] for r in night_rows] == ["yes" if n.promoted else "no" for n in nights]
    assert [r[5] for r in night_rows] == [f"{n.score_before:.0%} → {n.score_after:.0%}" for n in nights]
    practice = table_rows(ran.out, "Koan practice by family")
    episodes = [e for e in made.episodes if datetime.fromisoformat(e.created_at) >= since]
    for family in FAMILIES[:5]:
        mine = [e for e in episodes if e.family == family]
        assert practice[family][:2] == [str(len(mine)), str(sum(e.passed for e in mine))]
    assert "pending for 1 h, then counts as ignored" in ran.out


def test_summarise_an_empty_memory():
    now = datetime.now(timezone.utc)
    result = summarise([], [], [], now)
    assert result.totals.offers == 0 and result.totals.acceptance is None
    assert result.lowest_acceptance == [] and result.slowest == []


def test_status_rule(filled):
    _, made = filled
    now = datetime.now(timezone.utc)
    for offer, outcome in made.offers[:50] + made.offers[-40:]:
        recorded = None if outcome is None else type("O", (), {"outcome": outcome})()
        assert offer_status(offer, recorded, now) == status(offer, outcome, now)


# --- HTML --------------------------------------------------------------------------------------


def expected_chart_values(made: Generated, now: datetime) -> dict[str, int]:
    since = now - timedelta(days=7)
    rows = in_window(made, 7, now)
    return {
        "acceptance": sum(1 for _, s in rows if s != "pending"),
        "latency": len(rows),
        "nights": sum(1 for n in made.nights if datetime.fromisoformat(n.created_at) >= since),
        "practice": sum(1 for e in made.episodes if datetime.fromisoformat(e.created_at) >= since),
    }


def chart_attributes(markup: str) -> dict[str, dict[str, str]]:
    charts = {}
    for tag in re.findall(r"<svg [^>]*>", markup):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        charts[attributes["data-chart"]] = attributes
    return charts


def test_html_report_is_self_contained_with_data(filled, tmp_path):
    db, made = filled
    report = tmp_path / "review.html"
    ran = sleepy("review", "--db", str(db), "--html", str(report))
    assert ran.code == 0, ran.err
    markup = report.read_text()
    assert "http://" not in markup and "https://" not in markup and "<link" not in markup and "src=" not in markup
    charts = chart_attributes(markup)
    assert set(charts) == {"acceptance", "latency", "nights", "practice"}
    now = datetime.now(timezone.utc)
    for name, values in expected_chart_values(made, now).items():
        assert int(charts[name]["data-values"]) == values, name
        assert int(charts[name]["data-points"]) > 0
    days = {day_of(o.created_at) for o, s in in_window(made, 7, now)}
    assert int(charts["acceptance"]["data-series"]) == 6
    assert len(days) * 3 <= int(charts["acceptance"]["data-points"]) <= len(days) * 6
    assert int(charts["nights"]["data-points"]) == 4 * 3  # (night, family) pairs in the window
    assert int(charts["practice"]["data-points"]) == 5
    assert markup.count('class="point"') == int(charts["acceptance"]["data-points"]) + 12


def test_html_escapes_what_it_shows(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    with FixMemory.open(db) as store:
        offer = make_offer(new_fix_id(), "src/lib.rs", "E0502", "borrow", "model", title="<script>alert(1)</script>",
                      model="<b>m</b>", latency_ms=5)
        store.record_offer(offer)
        store.record_outcome(offer.fix_id, "accepted")
    report = tmp_path / "r.html"
    assert sleepy("review", "--db", str(db), "--html", str(report)).code == 0
    markup = report.read_text()
    assert "<script>alert" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "<b>m</b>" not in markup


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)")
def test_report_renders_in_headless_chromium(filled, tmp_path):
    db, made = filled
    report = tmp_path / "review.html"
    assert sleepy("review", "--db", str(db), "--html", str(report)).code == 0
    dom = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    charts = chart_attributes(dom.stdout)
    assert set(charts) == {"acceptance", "latency", "nights", "practice"}, dom.stdout[:2000]
    for name, attributes in charts.items():
        assert "data-rendered" in attributes, f"the browser did not run the check on {name}"
        assert int(attributes["data-points"]) > 0
        assert attributes["data-rendered"] == attributes["data-points"], name
    for name, values in expected_chart_values(made, datetime.now(timezone.utc)).items():
        assert int(charts[name]["data-values"]) == values, name
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "review.png"
    screenshot.unlink(missing_ok=True)
    shot = chromium(f"--screenshot={screenshot}", "--window-size=1200,2000", "--hide-scrollbars",
                    report.as_uri(), profile=tmp_path / "profile-shot")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    shutil.copy(report, ARTIFACTS / "review.html")


def test_open_needs_html_and_launches_the_browser(filled, tmp_path, monkeypatch):
    db, _ = filled
    ran = sleepy("review", "--db", str(db), "--open")
    assert ran.code == 2 and "--open needs --html" in ran.err
    opened = []
    monkeypatch.setattr(click, "launch", lambda url, *a, **k: opened.append(url))
    report = tmp_path / "r.html"
    assert sleepy("review", "--db", str(db), "--html", str(report), "--open").code == 0
    assert opened == [str(report.resolve())]


# --- bad and missing databases -----------------------------------------------------------------


def corrupt(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a database" + os.urandom(4000))


def newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE offers (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make, words", [(corrupt, "not a readable SQLite database"), (newer, "upgrade sleepy-coder")])
@pytest.mark.parametrize("args", [[], ["--json"], ["--html", "REPORT"], ["--days", "0"]])
def test_review_of_a_bad_database_says_one_sentence_and_changes_nothing(tmp_path, make, words, args):
    db = tmp_path / "fix-memory.sqlite3"
    make(db)
    before = db.read_bytes()
    report = tmp_path / "report.html"
    ran = sleepy("review", "--db", str(db), *[str(report) if a == "REPORT" else a for a in args])
    assert ran.code == 2
    assert ran.err.startswith("error: The fix memory at ") and words in ran.err
    assert "\n" not in ran.err.strip() and ran.err.endswith(".")
    assert db.read_bytes() == before and not report.exists()


def test_review_through_the_real_entry_point_exits_2(tmp_path):
    """The main entry point prints the sentence and exits 2."""
    db = tmp_path / "fix-memory.sqlite3"
    corrupt(db)
    before = db.read_bytes()
    script = "import sys\nfrom sleepy_lsp import cli\nsys.argv = ['sleepy', 'review', '--db', sys.argv[1]]\ncli.main()\n"
    env = {**os.environ, "COLUMNS": "1000"}  # rich wraps the sentence at the terminal width
    run = subprocess.run([os.sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=60,
                         env=env)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("error: The fix memory at ") and len(run.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before


def test_review_of_a_missing_database_creates_nothing(tmp_path):
    db = tmp_path / "none" / "fix-memory.sqlite3"
    ran = sleepy("review", "--db", str(db), "--json")
    assert ran.code == 0 and json.loads(ran.out)["totals"]["offers"] == 0
    assert "There is no fix memory" in ran.err and not db.parent.exists()


def test_review_reads_with_telemetry_off(filled):
    db, _ = filled
    ran = sleepy("review", "--db", str(db), "--json", env={"SLEEPY_TELEMETRY": "0"})
    assert json.loads(ran.out)["totals"]["offers"] > 300


# --- telemetry where, export, purge ------------------------------------------------------------


def test_where_prints_the_path(tmp_path):
    db = tmp_path / "memory.sqlite3"
    assert sleepy("telemetry", "where", "--db", str(db)).out.strip() == str(db)
    ran = sleepy("telemetry", "where", env={"SLEEPY_DB": str(db), "SLEEPY_TELEMETRY": "off"})
    assert ran.out.strip() == str(db)
    assert "not created yet" in ran.err and "Telemetry is off" in ran.err


def test_export_writes_every_record(filled, tmp_path):
    db, made = filled
    out = tmp_path / "export.jsonl"
    ran = sleepy("telemetry", "export", "--db", str(db), "--jsonl", str(out))
    assert ran.code == 0, ran.err
    records = [json.loads(line) for line in out.read_text().splitlines()]
    kinds = Counter(r["kind"] for r in records)
    assert kinds == {"offer": len(made.offers), "outcome": sum(1 for _, x in made.offers if x),
                     "episode": len(made.episodes), "night": len(made.nights)}
    first, outcome = made.offers[0]
    exported = next(r for r in records if r["kind"] == "offer" and r["fix_id"] == first.fix_id)
    assert exported["record"]["title"] == first.title and exported["edits"] == first.edits
    assert f"Exported {len(made.offers)} offers" in ran.err
    assert not list(tmp_path.glob("*.part"))
    stdout = sleepy("telemetry", "export", "--db", str(db), "--jsonl", "-")
    assert len(stdout.out.splitlines()) == len(records)


def copy_of(filled, tmp_path) -> tuple[Path, Generated]:
    db, made = filled
    target = tmp_path / "copy.sqlite3"
    source = sqlite3.connect(db)
    dest = sqlite3.connect(target)
    source.backup(dest)
    source.close()
    dest.close()
    return target, made


def test_purge_before_a_date(filled, tmp_path):
    db, made = copy_of(filled, tmp_path)
    cut = (datetime.now() - timedelta(days=2)).strftime("%Y-%m-%d")
    moment = datetime.fromisoformat(cut).astimezone()
    old = lambda ts: datetime.fromisoformat(ts) < moment  # noqa: E731
    ran = sleepy("telemetry", "purge", "--db", str(db), "--before", cut, "--yes")
    assert ran.code == 0, ran.err
    gone_offers = [o for o, _ in made.offers if old(o.created_at)]
    gone_outcomes = [o for o, x in made.offers if x and old(o.created_at)]
    gone_episodes = [e for e in made.episodes if old(e.created_at)]
    gone_nights = [n for n in made.nights if old(n.created_at)]
    assert ran.out.strip() == (f"Deleted {len(gone_offers)} offers, {len(gone_outcomes)} outcomes, "
                               f"{len(gone_episodes)} episodes and {len(gone_nights)} nights from {db}.")
    with FixMemory.open_existing(db) as store:
        assert store.counts() == {"offers": len(made.offers) - len(gone_offers),
                                  "outcomes": sum(1 for _, x in made.offers if x) - len(gone_outcomes),
                                  "episodes": len(made.episodes) - len(gone_episodes),
                                  "nights": len(made.nights) - len(gone_nights)}


def test_purge_asks_first(filled, tmp_path):
    db, made = copy_of(filled, tmp_path)
    ran = sleepy("telemetry", "purge", "--db", str(db), input="n\n")
    assert "Delete every record" in ran.out and "Nothing deleted." in ran.out
    with FixMemory.open_existing(db) as store:
        assert store.counts()["offers"] == len(made.offers)
    ran = sleepy("telemetry", "purge", "--db", str(db), input="y\n")
    assert ran.code == 0 and f"Deleted {len(made.offers)} offers" in ran.out
    with FixMemory.open_existing(db) as store:
        assert store.counts() == {"offers": 0, "outcomes": 0, "episodes": 0, "nights": 0}
    assert b"cannot borrow" not in db.read_bytes(), "deleted text does not linger in free pages"


def test_purge_of_bad_input_and_bad_files(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    ran = sleepy("telemetry", "purge", "--db", str(db), "--before", "last tuesday", "--yes")
    assert ran.code == 2 and ran.err.startswith("error: --before 'last tuesday' is not a date")
    assert "nothing to delete" in sleepy("telemetry", "purge", "--db", str(db), "--yes").out
    corrupt(db)
    before = db.read_bytes()
    ran = sleepy("telemetry", "purge", "--db", str(db), "--before", "2025-01-01", "--yes")
    assert ran.code == 2 and "not a readable SQLite database" in ran.err and db.read_bytes() == before
    assert "Nothing deleted." in sleepy("telemetry", "purge", "--db", str(db), input="n\n").out
    assert db.read_bytes() == before
    ran = sleepy("telemetry", "purge", "--db", str(db), "--yes")
    assert ran.code == 0 and not db.exists()


def test_fixes_by_hand_stand_beside_the_offers_and_checks_are_counted(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    with FixMemory.open(db) as store:
        for fix_id, outcome, extra in (("a", "accepted", {"verified": True, "tests": "tests pass (3)"}),
                                       ("b", "rejected", {"verified": True, "risks": ["panics if None"]}),
                                       ("c", "accepted", {"verified": True})):
            store.record_offer(make_offer(fix_id, **extra))
            store.record_outcome(fix_id, outcome)
        store.record_manual(make_offer("m", code_before="let x = 1;", code_after="let mut x = 1;"))
    ran = sleepy("review", "--db", str(db), "--json")
    figures = json.loads(ran.out)
    assert figures["totals"]["offers"] == 3 and figures["totals"]["manual"] == 1
    assert figures["totals"]["acceptance_rate"] == 2 / 3  # a fix by hand is no offer
    checks = {k: (v["offers"], v["accepted"]) for k, v in figures["by_check"].items() if v["offers"]}
    assert checks == {"tests pass": (1, 1), "compiles": (1, 1), "risky": (1, 0)}
    assert table_rows(sleepy("review", "--db", str(db)).out, "Offers")["all"][5] == "1"


# --- fitting the terminal, the empty memory, the report's parts (issue #18) ----------------------

LONG_TITLE = ("consider cloning the value if the performance cost is acceptable: `title.clone()` in the struct "
              "literal of `Book`, which is moved into the closure that the thread spawns (compiles ✓)")


def one_day(db: Path, koans: bool = False) -> None:
    """An editor user's first day: a few offers in five families, one with a long title, and with
    `koans` one night of one family."""
    now = datetime.now(timezone.utc)
    with FixMemory.open(db) as store:
        for i, family in enumerate(FAMILIES[:5] * 2):
            offer = make_offer(new_fix_id(), "/home/dev/app/src/main.rs", CODES[family][0], family,
                               "model" if i == 3 else "rustc", title=LONG_TITLE if i == 0 else f"add mut {i}",
                               model="qwen2.5-coder-1.5b-instruct-q4" if i == 3 else "",
                               adapter="borrow-share-20250301-0007" if i == 3 else "", verified=True,
                               latency_ms=900.0 + i, created_at=iso(now - timedelta(hours=2, minutes=i)))
            store.record_offer(offer)
            store.record_outcome(offer.fix_id, "rejected" if i % 3 == 0 else "accepted")
        if koans:
            store.record_night(Night(night="night-1", method="share", family="borrow",
                                     adapter="borrow-share-20250301-0007-with-a-long-name", base_model="smollm2",
                                     trainable_params=53760, examples=6, seconds=600, score_before=0.1,
                                     score_after=0.2, regressions=0, promoted=True, report={},
                                     created_at=iso(now - timedelta(hours=1))))


def test_review_fits_80_columns_in_a_terminal_and_in_a_pipe(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    one_day(db, koans=True)
    ran = sleepy("review", "--db", str(db), env={"COLUMNS": "80"})
    script = "import sys\nfrom sleepy_lsp import cli\nsys.argv = ['sleepy', 'review', '--db', sys.argv[1]]\ncli.main()\n"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    piped = subprocess.run([os.sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=60,
                           env=env)
    assert ran.code == 0 and piped.returncode == 0, piped.stderr
    for out in (ran.out, piped.stdout):
        assert max(len(line) for line in out.splitlines()) <= 80, out
        headers = next(line for line in out.splitlines() if line.startswith("family "))
        assert headers.split() == ["family", "offers", "acc", "rej", "ign", "pend", "hand", "acc%", "rej%", "ign%"]
        assert "…" not in "".join(line for line in out.splitlines() if "offers" in line), "a header was cut"
        slow = table_body(out, "Slowest fixes")
        assert len(slow) == 10 and all(len(row) == 6 for row in slow)
        long = [row[-1] for row in slow if row[-1].startswith("consider cloning")]
        assert len(long) == 1 and long[0].endswith("…") and len(long[0]) > 20, "the title is cut on its one line"
        assert not any(line.strip().startswith(("literal", "the thread")) for line in out.splitlines())
        (night,) = table_body(out, "Night history (koan pass rate: champion → candidate)")
        assert night[1:3] == ["borrow", "share"] and night[3].startswith("borrow-") and night[3].endswith("…")
        assert night[5] == "10% → 20%" and night[-1] == "yes"
        models = table_rows(out, "Offers by model and adapter")
        assert any(key.startswith("qwen2.5-coder") for key in models) and len(models) == 2


def test_wide_terminal_shows_whole_titles(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    one_day(db)
    ran = sleepy("review", "--db", str(db), env={"COLUMNS": "260"})
    assert any(row[-1] == LONG_TITLE for row in table_body(ran.out, "Slowest fixes"))


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", " ".join(text.split())))


@pytest.mark.parametrize("existing", [False, True])
def test_an_empty_memory_is_answered_by_one_sentence(tmp_path, existing):
    db = tmp_path / "fix-memory.sqlite3"
    if existing:
        FixMemory.open(db).close()
    ran = sleepy("review", "--db", str(db), env={"COLUMNS": "80"})
    assert ran.code == 0
    text = " ".join(ran.out.split())
    assert sentences(text) == 1 and text.endswith("."), ran.out
    assert "it fills as you work in the editor" in text and "fix by hand" in text
    assert "─" not in ran.out and "offers" not in ran.out.replace("sleepy offers", "")
    assert ran.err == ""
    assert max(len(line) for line in ran.out.splitlines()) <= 80


def test_tables_with_nothing_to_show_are_left_out(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    one_day(db)
    out = sleepy("review", "--db", str(db)).out
    assert "Offers by family" in out and "Slowest fixes" in out
    assert "Koan practice" not in out and "Night history" not in out


def report_of(tmp_path: Path, db: Path) -> str:
    report = tmp_path / "report.html"
    assert sleepy("review", "--db", str(db), "--html", str(report)).code == 0
    return report.read_text()


def test_html_for_an_editor_user_without_koan_data(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    one_day(db)
    markup = report_of(tmp_path, db)
    charts = chart_attributes(markup)
    assert set(charts) == {"acceptance", "latency"}, "no koan or night charts without koan data"
    assert 'id="koans"' not in markup and "Night history" not in markup and "nights</div>" not in markup
    # one day: a bar per family, not dots on one vertical line
    assert charts["acceptance"]["data-points"] == charts["acceptance"]["data-series"] == "5"
    assert markup.count('class="point"') == 0
    bars = re.findall(r'<rect class="bar" data-label="([^"]+)" data-value="([^"]+)"', markup)
    assert [label for label, _ in bars[:5]] == list(FAMILIES[:5])
    assert dict(bars[:5])["borrow"] == "0.5"  # offers 0 (rejected) and 5 (accepted)
    # the long title wraps in its cell
    assert f"<td class=wrap>{LONG_TITLE}</td>" in markup
    assert re.search(r"td\.wrap\{white-space:normal", markup)


def test_html_with_koan_data_shows_the_koan_part(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    one_day(db, koans=True)
    markup = report_of(tmp_path, db)
    charts = chart_attributes(markup)
    assert set(charts) == {"acceptance", "latency", "nights", "practice"}
    assert 'id="koans"' in markup and "Night history" in markup
    assert charts["nights"]["data-points"] == "1" and '<rect class="bar" data-label="borrow" data-value="0.2"' in markup


def test_html_of_an_empty_memory_says_how_it_fills(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    FixMemory.open(db).close()
    markup = report_of(tmp_path, db)
    assert 'id="nothing"' in markup and "it fills as you work in the editor" in markup
    assert "<svg" not in markup and "<table" not in markup


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)")
def test_one_day_report_draws_its_bars_in_headless_chromium(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    one_day(db)
    report = tmp_path / "review.html"
    assert sleepy("review", "--db", str(db), "--html", str(report)).code == 0
    dom = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    charts = chart_attributes(dom.stdout)
    assert set(charts) == {"acceptance", "latency"}
    for name, attributes in charts.items():
        assert attributes["data-rendered"] == attributes["data-points"] != "0", name
