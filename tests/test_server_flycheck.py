"""The server's background check: debounce, restart, cancel, timeout, stale results and bad cargo output."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest
from lsp_harness import koan_crate

from sleepy_lsp.rust.crates import CrateLocation, find_crate, target_dir_for
from sleepy_lsp.server.flycheck import CheckOutcome, Flycheck


def fake_cargo(folder: Path, body: str) -> Path:
    """A cargo that logs each start (with its pid) to runs.log, then runs body."""
    script = folder / "fake-cargo"
    script.write_text(f'#!/bin/sh\necho "$$ $*" >> {folder / "runs.log"}\n{body}')
    script.chmod(0o755)
    return script


def runs(folder: Path) -> list[str]:
    log = folder / "runs.log"
    return log.read_text().splitlines() if log.exists() else []


def crate_at(tmp_path: Path) -> CrateLocation:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n')
    return CrateLocation(tmp_path, tmp_path)


class Recorder:
    def __init__(self) -> None:
        self.outcomes: list[CheckOutcome] = []
        self.started: list[int] = []

    async def done(self, outcome: CheckOutcome) -> None:
        self.outcomes.append(outcome)

    def start(self, generation: int) -> str:
        self.started.append(generation)
        return f"snapshot {generation}"


async def wait_for(condition, seconds: float = 120.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        await asyncio.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not collected it yet.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


@pytest.mark.asyncio
async def test_a_burst_of_restarts_makes_one_check(tmp_path):
    cargo = fake_cargo(tmp_path, "exit 0\n")
    recorder = Recorder()
    flycheck = Flycheck(crate_at(tmp_path), tmp_path / "target", recorder.done, recorder.start,
                        debounce=0.3, cargo=str(cargo))
    for _ in range(5):
        flycheck.restart()
        await asyncio.sleep(0.02)
    await wait_for(lambda: recorder.outcomes)
    await asyncio.sleep(0.5)
    assert len(runs(tmp_path)) == 1 and len(recorder.outcomes) == 1
    outcome = recorder.outcomes[0]
    assert outcome.generation == 5 and outcome.snapshot == "snapshot 5" and recorder.started == [5]
    assert outcome.problem(flycheck.timeout) is None and not flycheck.running
    # cargo runs with the server's own target dir, so it never waits on rust-analyzer's build lock.
    # --offline: the check never asks a registry for anything (the cargo.allowFetch setting lifts it).
    assert f"check --offline --message-format=json --target-dir {tmp_path / 'target'}" in runs(tmp_path)[0]


@pytest.mark.asyncio
async def test_a_restart_kills_the_running_check_and_drops_its_result(tmp_path):
    cargo = fake_cargo(tmp_path, 'if [ ! -e "$0.first" ]; then touch "$0.first"; exec sleep 60; fi\nexit 0\n')
    recorder = Recorder()
    flycheck = Flycheck(crate_at(tmp_path), tmp_path / "target", recorder.done, recorder.start,
                        debounce=0.05, cargo=str(cargo))
    flycheck.restart()
    await wait_for(lambda: runs(tmp_path))
    first_pid = int(runs(tmp_path)[0].split()[0])
    flycheck.restart()
    await wait_for(lambda: recorder.outcomes)
    await wait_for(lambda: not alive(first_pid), 10)
    assert [o.generation for o in recorder.outcomes] == [2]
    assert recorder.outcomes[0].returncode == 0


@pytest.mark.asyncio
async def test_cancel_stops_the_check_and_nothing_is_reported(tmp_path):
    cargo = fake_cargo(tmp_path, "exec sleep 60\n")
    recorder = Recorder()
    flycheck = Flycheck(crate_at(tmp_path), tmp_path / "target", recorder.done, debounce=0.05, cargo=str(cargo))
    flycheck.restart()
    await wait_for(lambda: runs(tmp_path))
    pid = int(runs(tmp_path)[0].split()[0])
    flycheck.cancel()
    assert not flycheck.running
    await wait_for(lambda: not alive(pid), 10)
    await asyncio.sleep(0.3)
    assert recorder.outcomes == []


@pytest.mark.asyncio
async def test_a_cargo_that_hangs_is_killed_at_the_timeout(tmp_path):
    cargo = fake_cargo(tmp_path, "exec sleep 60\n")
    recorder = Recorder()
    flycheck = Flycheck(crate_at(tmp_path), tmp_path / "target", recorder.done, debounce=0.01, timeout=1.0,
                        cargo=str(cargo))
    flycheck.restart()
    await wait_for(lambda: recorder.outcomes, 30)
    (outcome,) = recorder.outcomes
    assert outcome.timed_out and outcome.failed
    assert "ran longer than 1 s and was stopped" in outcome.problem(1.0)
    assert not alive(int(runs(tmp_path)[0].split()[0]))


@pytest.mark.asyncio
async def test_garbage_output_is_tolerated(tmp_path):
    cargo = fake_cargo(tmp_path, "echo '{\"reason\":\"compiler-message\",\"message\":[]}'\necho '{{{'\n"
                                 "echo 'error: could not parse manifest' >&2\nexit 101\n")
    recorder = Recorder()
    flycheck = Flycheck(crate_at(tmp_path), tmp_path / "target", recorder.done, debounce=0.01, cargo=str(cargo))
    flycheck.restart()
    await wait_for(lambda: recorder.outcomes)
    (outcome,) = recorder.outcomes
    assert outcome.diagnostics == [] and outcome.failed
    assert "failed without reporting diagnostics: error: could not parse manifest" in outcome.problem(60)


@pytest.mark.asyncio
async def test_a_missing_cargo_is_explained(tmp_path):
    recorder = Recorder()
    flycheck = Flycheck(crate_at(tmp_path), tmp_path / "target", recorder.done, debounce=0.01,
                        cargo=str(tmp_path / "no-cargo-here"))
    flycheck.restart()
    await wait_for(lambda: recorder.outcomes)
    assert "was not found on PATH" in recorder.outcomes[0].problem(60)


@pytest.mark.asyncio
async def test_a_real_check_of_a_koan(tmp_path):
    source = koan_crate(tmp_path)
    crate = find_crate(source)
    recorder = Recorder()
    flycheck = Flycheck(crate, target_dir_for(tmp_path / "cache", crate), recorder.done, debounce=0.01)
    flycheck.restart()
    await wait_for(lambda: recorder.outcomes, 300)
    (outcome,) = recorder.outcomes
    assert outcome.problem(300) is None
    assert [d.code for d in outcome.diagnostics if d.is_error] == ["E0596"]
    assert (tmp_path / "cache" / "check-target").is_dir() and not (crate.root / "target").exists()


def test_find_crate_walks_up_to_the_manifest_and_the_workspace(tmp_path):
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["member"]\n')
    member = tmp_path / "member"
    (member / "src" / "bin").mkdir(parents=True)
    (member / "Cargo.toml").write_text('[package]\nname = "member"\nversion = "0.1.0"\n')
    crate = find_crate(member / "src" / "bin" / "tool.rs")
    assert crate == CrateLocation(member, tmp_path)
    loose = tmp_path.parent / f"{tmp_path.name}-loose"
    loose.mkdir()
    assert find_crate(loose / "scratch.rs") is None
    (tmp_path / "Cargo.toml").write_text("this is [not toml")  # a broken manifest is not a workspace
    assert find_crate(member / "src" / "lib.rs") == CrateLocation(member, member)


def test_each_workspace_gets_its_own_target_dir(tmp_path):
    a = CrateLocation(tmp_path / "a", tmp_path / "a")
    b = CrateLocation(tmp_path / "x" / "a", tmp_path / "x" / "a")
    assert target_dir_for(tmp_path, a) != target_dir_for(tmp_path, b)
    assert target_dir_for(tmp_path, a) != target_dir_for(tmp_path, a, "shadow")
