"""`sleepy teach BEFORE AFTER`: the fixes a change made, checked by cargo in a copy, recorded as the user's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sleepy_lsp.memory.store import FixMemory

FIXED = """\
pub struct Thermostat {
    readings: Vec<f32>,
}

impl Thermostat {
    pub fn record(&mut self, celsius: f32) {
        self.readings.push(celsius);
    }

    pub fn warmest(&self) -> Option<f32> {
        self.readings.iter().copied().reduce(f32::max)
    }
}

pub fn log(values: &[f32]) -> Thermostat {
    let mut thermostat = Thermostat { readings: Vec::new() };
    for value in values {
        thermostat.record(*value);
    }
    thermostat
}
"""
BROKEN = FIXED.replace("let mut thermostat", "let thermostat")


def sleepy(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from sleepy_lsp.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.fixture
def crate(tmp_path) -> Path:
    root = tmp_path / "thermo"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "thermo"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(FIXED)
    return root


def test_teach_records_the_fix_the_change_made(crate, tmp_path):
    before = tmp_path / "before.rs"
    before.write_text(BROKEN)
    db = tmp_path / "memory.sqlite3"
    run = sleepy("teach", before, crate / "src" / "lib.rs", "--db", db)
    assert run.returncode == 0, run.stderr
    assert "taught: E0596" in run.stdout and "Recorded 1 fix(es)" in run.stdout
    with FixMemory.open_existing(db) as memory:
        [(offer, outcome)] = memory.fixes_by_outcome(("manual",))
    assert outcome == "manual" and offer.provider == "user" and offer.record.case.rel_path == "src/lib.rs"
    assert offer.record.answer == "LINE 16:     let mut thermostat = Thermostat { readings: Vec::new() };"
    assert (crate / "src" / "lib.rs").read_text() == FIXED  # never touched


@pytest.mark.parametrize("before, after, words", [
    (FIXED, FIXED, "same text"),
    (FIXED, FIXED.replace("f32::max", "f32::min"), "no rustc error"),
    (BROKEN, FIXED.replace("thermostat.record(*value);", "thermostat.record(value);"), "AFTER has an error"),
])
def test_teach_says_why_a_change_teaches_nothing(crate, tmp_path, before, after, words):
    (tmp_path / "b.rs").write_text(before)
    (crate / "src" / "lib.rs").write_text(after)
    run = sleepy("teach", tmp_path / "b.rs", crate / "src" / "lib.rs", "--db", tmp_path / "m.sqlite3")
    assert run.returncode == 2 and words in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_teach_outside_a_crate(tmp_path):
    (tmp_path / "a.rs").write_text(BROKEN)
    (tmp_path / "b.rs").write_text(FIXED)
    run = sleepy("teach", tmp_path / "a.rs", tmp_path / "b.rs", cwd=tmp_path)
    assert run.returncode == 2 and "not inside a cargo project" in run.stderr


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com", *args], cwd=repo,
                          capture_output=True, text=True, check=True).stdout.strip()


def commit(repo: Path, text: str, message: str) -> str:
    (repo / "src" / "lib.rs").write_text(text)
    git(repo, "commit", "-qam", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_teach_from_git_records_the_commits_that_fixed_an_error(crate, tmp_path):
    git(crate, "init", "-q")
    git(crate, "add", ".")
    git(crate, "commit", "-qm", "thermostat")
    first = git(crate, "rev-parse", "HEAD")
    commit(crate, BROKEN, "log readings")  # does not compile
    fixed = commit(crate, FIXED, "fix the build")  # a fix by hand: taught
    commit(crate, BROKEN, "again")
    # made clean by deleting the function: no fix of it
    last = commit(crate, BROKEN[:BROKEN.index("pub fn log")], "drop log")
    db = tmp_path / "memory.sqlite3"
    run = sleepy("teach", "--git", f"{first}..{last}", "--db", db, cwd=crate / "src")
    assert run.returncode == 0, run.stderr
    assert f"taught: {fixed[:10]}: E0596" in run.stdout and "4 commit(s) read, 1 taught a fix" in run.stdout
    with FixMemory.open_existing(db) as memory:
        [(offer, outcome)] = memory.fixes_by_outcome(("manual",))
    assert outcome == "manual" and offer.provider == "user" and offer.record.title == f"taught from commit {fixed[:10]}"
    assert offer.record.answer == "LINE 16:     let mut thermostat = Thermostat { readings: Vec::new() };"
    assert git(crate, "status", "--porcelain") == "" and git(crate, "rev-parse", "HEAD") == last  # untouched


@pytest.mark.parametrize("args, words", [
    (["--git", "HEAD"], "takes a range"),
    (["--git", "nosuch..HEAD"], "git rev-list failed"),
    (["--git", "HEAD~1..HEAD", "a.rs", "b.rs"], "Give either"),
    ([], "Give either"),
])
def test_teach_from_git_says_what_is_wrong(crate, tmp_path, args, words):
    git(crate, "init", "-q")
    git(crate, "add", ".")
    git(crate, "commit", "-qm", "one")
    (crate / "a.rs").write_text(BROKEN)
    (crate / "b.rs").write_text(FIXED)
    run = sleepy("teach", *args, "--db", tmp_path / "m.sqlite3", cwd=crate)
    assert run.returncode == 2 and words in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_teach_from_git_outside_a_repository(crate, tmp_path):
    run = sleepy("teach", "--git", "HEAD~1..HEAD", "--crate", crate, "--db", tmp_path / "m.sqlite3")
    assert run.returncode == 2 and "not in a git repository" in run.stderr, run.stderr
