"""End to end in headless Neovim (Debian's 0.7.2): the plugin, the real server, a verified fix applied and saved."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lsp_harness import REPO, koan_crate, server_command

from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.rust.cargo import run_cargo

NVIM = shutil.which("nvim")
PLUGIN = REPO / "editors" / "nvim"
SCRIPT = REPO / "tests" / "nvim" / "code_action.lua"
DIAGNOSTICS = REPO / "tests" / "nvim" / "diagnostics.lua"
WAIT_SECONDS = 240

pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (apt-get install neovim)")


def accepted_offers(db) -> list:
    with FixMemory.open_existing(db) as memory:
        return [(offer, outcome) for offer, outcome in memory.offers_with_outcomes()
                if outcome is not None and outcome.outcome == "accepted"]


def test_neovim_applies_the_verified_fix_and_the_acceptance_is_recorded(tmp_path):
    source = koan_crate(tmp_path)
    db = tmp_path / "fix-memory.sqlite3"
    out = tmp_path / "result.json"
    log = tmp_path / "sleepy-lsp.log"
    env = {
        **os.environ,
        "SLEEPY_DB": str(db),
        "SLEEPY_CACHE_DIR": str(tmp_path / "cache"),
        "SLEEPY_E2E_FILE": str(source),
        "SLEEPY_E2E_LINE": "14",  # bc_004: `*counts.entry(...)` mutates a binding declared without `mut`
        "SLEEPY_E2E_OUT": str(out),
        "SLEEPY_E2E_TIMEOUT": str(WAIT_SECONDS),
        "SLEEPY_E2E_CMD": "\t".join([*server_command(), "--log-file", str(log), "--log-level", "DEBUG"]),
        "XDG_STATE_HOME": str(tmp_path / "nvim-state"),  # Neovim's own lsp.log stays in the test's folder
    }
    env.pop("SLEEPY_TELEMETRY", None)
    started = time.monotonic()
    run = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "--cmd", f"set rtp+={PLUGIN}", "-c", f"luafile {SCRIPT}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=2 * WAIT_SECONDS)
    result = json.loads(out.read_text()) if out.exists() else {}
    context = f"nvim exit {run.returncode} after {time.monotonic() - started:.0f} s\nresult: {result}\n" \
              f"stderr: {run.stderr[-2000:]}\nserver log: {log.read_text()[-3000:] if log.exists() else ''}"
    assert run.returncode == 0 and result.get("ok"), context
    assert "compiles" in result["picked"], context

    text = source.read_text()
    assert "let mut counts" in text
    check = run_cargo(["check", "--offline", "--message-format=json"], cwd=source.parent.parent,
                      target_dir=tmp_path / "verify-target", timeout=300)
    assert check.returncode == 0, check.stdout[-2000:]

    accepted = accepted_offers(db)
    assert len(accepted) == 1, context
    offer, _ = accepted[0]
    assert offer.error_code == "E0596" and offer.verified and offer.record.after in text
    assert offer.record.after.count("mut") == offer.record.before.count("mut") + 1


@pytest.mark.parametrize("rust_analyzer", [False, True], ids=["alone", "beside-rust-analyzer"])
def test_neovim_shows_sleepys_diagnostics_only_without_rust_analyzer_and_logs_at_each_level(tmp_path, rust_analyzer):
    """No rust-analyzer attached: the plugin has the server publish rustc's errors; one attached (after
    sleepy): it leaves them to it. The server's lines reach Neovim's lsp.log at their level, not as stderr."""
    source = koan_crate(tmp_path)
    out = tmp_path / "result.json"
    fake = [sys.executable, str(PLUGIN / "tests" / "fake_server.py"), str(tmp_path / "fake-ra.jsonl")]
    env = {
        **os.environ,
        "SLEEPY_DB": str(tmp_path / "fix-memory.sqlite3"),
        "SLEEPY_CACHE_DIR": str(tmp_path / "cache"),
        "SLEEPY_E2E_FILE": str(source),
        "SLEEPY_E2E_LINE": "14",
        "SLEEPY_E2E_OUT": str(out),
        "SLEEPY_E2E_TIMEOUT": str(WAIT_SECONDS),
        "SLEEPY_E2E_CMD": "\t".join(server_command()),  # as an editor starts it: no log file, stderr to Neovim
        "SLEEPY_E2E_FAKE_RA": "\t".join(fake) if rust_analyzer else "",
        "XDG_STATE_HOME": str(tmp_path / "nvim-state"),
        "XDG_CACHE_HOME": str(tmp_path / "nvim-cache"),
    }
    env.pop("SLEEPY_TELEMETRY", None)
    run = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "--cmd", f"set rtp+={PLUGIN}", "-c", f"luafile {DIAGNOSTICS}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=2 * WAIT_SECONDS)
    result = json.loads(out.read_text()) if out.exists() else {}
    log = Path(result.get("log_path", "")) if result.get("log_path") else None
    lsp_log = log.read_text(errors="replace") if log and log.exists() else ""
    context = f"nvim exit {run.returncode}\nresult: {result}\nstderr: {run.stderr[-2000:]}\nlsp.log: {lsp_log[-3000:]}"
    assert run.returncode == 0 and result.get("ok"), context
    if rust_analyzer:
        assert result["publishing"] is False and result["diagnostics"] == [], context
    else:
        assert result["publishing"] is True, context
        assert [d["code"] for d in result["diagnostics"]] == ["E0596"] and result["diagnostics"][0]["lnum"] == 13, context
    info = [line for line in lsp_log.splitlines() if "sleepy: sleepy-lsp " in line]
    assert info and all(line.startswith("[INFO]") for line in info), context
    assert not [line for line in lsp_log.splitlines() if '"stderr"' in line], context
