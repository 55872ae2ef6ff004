"""The server cannot be wedged: a failing callback, malformed requests, a second initialize, hostile
crates and untrusted folders each leave it answering, checking and fixing. Each case is one a careful
reviewer found; the test drives the real server over stdio."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from lsp_harness import eventually, koan_crate, lsp_session
from lsp_raw import RawServer
from lsprotocol import types

from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.server.lsp_convert import ACCEPT

ERROR_LINE = 13  # bc_004's E0596, 0-based


async def _async(value):
    return value


@pytest.mark.asyncio
async def test_a_save_of_an_unopened_file_that_vanishes_does_not_stop_the_checks(tmp_path):
    """didSave for a file never opened, then deleted or not UTF-8: later saves still check and fix."""
    source = koan_crate(tmp_path)
    stray = source.parent / "stray.rs"
    async with lsp_session(tmp_path) as session:
        for content in (None, b"\xff\xfe not utf-8"):
            if content is None:
                stray.write_text("// soon gone\n")
                uri = stray.as_uri()
                stray.unlink()
            else:
                stray.write_bytes(content)
                uri = stray.as_uri()
            session.save(uri)
        uri = session.open(source)
        await session.verified_actions(uri, ERROR_LINE)
        mark = len(session.statuses)
        session.save(uri)
        status = await session.idle(after=mark)
        assert status["state"] == "idle", status
        await session.verified_actions(uri, ERROR_LINE)


def test_malformed_requests_all_get_an_answer_and_the_server_goes_on(tmp_path):
    source = koan_crate(tmp_path)
    server = RawServer(tmp_path)
    try:
        assert "result" in server.initialize(tmp_path)
        bad = [("textDocument/codeAction", "a string"), ("textDocument/codeAction", [1, 2]),
               ("textDocument/codeAction", {"textDocument": {"uri": source.as_uri()}, "context": {"diagnostics": []}}),
               ("textDocument/codeAction", {"textDocument": {"uri": source.as_uri()}, "context": {"diagnostics": []},
                                            "range": {"start": {"line": -1, "character": 0},
                                                      "end": {"line": 2**63, "character": 0}}}),
               ("codeAction/resolve", 7), ("workspace/executeCommand", {"command": ACCEPT, "arguments": ["nope"]}),
               ("no/such/method", {})]
        codes = [server.call(method, params, timeout=20)["error"]["code"] for method, params in bad]
        assert codes == [-32602, -32602, -32602, -32602, -32602, -32602, -32601]
        unversioned = {"id": "old", "method": "textDocument/codeAction", "params": {}}
        server.send(unversioned)
        assert server.response("old", timeout=20)["error"]["code"] == -32600
        again = server.call("initialize", {"processId": None, "capabilities": {}, "rootUri": tmp_path.as_uri()})
        assert again["error"]["code"] == -32600 and "already initialized" in again["error"]["message"]
        # None of it is a popup, and the status is not left on "error".
        popups = [n for n in server.notifications if n.get("method") == "window/showMessage"]
        statuses = [n["params"]["state"] for n in server.notifications if n.get("method") == "sleepy/status"]
        assert popups == [] and "error" not in statuses
        # The server still checks and fixes.
        server.notify("textDocument/didOpen", {"textDocument": {"uri": source.as_uri(), "languageId": "rust",
                                                                "version": 1, "text": source.read_text()}})
        deadline = time.monotonic() + 240
        while True:
            answer = server.call("textDocument/codeAction", {
                "textDocument": {"uri": source.as_uri()}, "context": {"diagnostics": []},
                "range": {"start": {"line": ERROR_LINE, "character": 0}, "end": {"line": ERROR_LINE, "character": 0}}})
            if any("compiles" in action["title"] for action in answer["result"] or []):
                break
            assert time.monotonic() < deadline, answer
            time.sleep(0.5)
    finally:
        server.close()


@pytest.mark.asyncio
async def test_a_failure_leaves_the_status_when_the_next_check_succeeds(tmp_path):
    broken = tmp_path / "broken-cargo"
    broken.write_text("#!/bin/sh\necho 'something broke' >&2\nexit 101\n")
    broken.chmod(0o755)
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"cargo": {"path": str(broken)}}) as session:
        uri = session.open(source)
        assert (await session.idle())["state"] == "error"
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"cargo": {"path": "cargo"}}))
        mark = len(session.statuses)
        session.save(uri)
        status = await session.idle(after=mark)
        assert status["state"] == "idle", status


@pytest.mark.asyncio
async def test_an_untrusted_workspace_runs_no_cargo(tmp_path):
    marker = tmp_path / "cargo-ran"
    spy = tmp_path / "spy-cargo"
    spy.write_text(f"#!/bin/sh\ntouch {marker}\nexec cargo \"$@\"\n")
    spy.chmod(0o755)
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"trust": False, "cargo": {"path": str(spy)}}) as session:
        uri = session.open(source)
        session.save(uri)
        await eventually(lambda: _async([m for m in session.client.log_messages if "not trusted" in m.message]),
                         "the untrusted note")
        await _sleep(2)
        assert not marker.exists() and await session.actions(uri, ERROR_LINE) == []
        session.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"trust": True}))
        session.save(uri)
        await session.verified_actions(uri, ERROR_LINE)
        assert marker.exists()


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


@pytest.mark.asyncio
async def test_a_crate_with_a_link_loop_and_a_link_to_a_big_folder_is_fixed(tmp_path):
    source = koan_crate(tmp_path)
    crate = source.parent.parent
    (crate / "again").symlink_to(".")
    big = tmp_path / "big"
    big.mkdir()
    (big / "blob.bin").write_bytes(os.urandom(1 << 20))
    (crate / "data").symlink_to(big)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        await session.verified_actions(uri, ERROR_LINE)
        assert not [m for m in session.client.messages if m.type == types.MessageType.Error]
    links = [p for p in (tmp_path / "cache").rglob("data") if p.is_symlink()]
    assert links and not list((tmp_path / "cache").rglob("blob.bin"))  # kept as a link: nothing was copied


@pytest.mark.asyncio
async def test_an_unknown_fix_id_is_refused_and_reject_last_names_what_it_takes_back(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        with pytest.raises(Exception, match="never offered"):
            await session.command(ACCEPT, "an-id-nobody-offered")
        assert "none to take back" in await session.command("sleepy.rejectLast")
        fix = (await session.verified_actions(uri, ERROR_LINE))[0]
        await session.command(ACCEPT, fix.command.arguments[0])
        first = await session.command("sleepy.rejectLast")
        assert first.startswith("took back") and "mutable" in first
        assert "already recorded as wrong" in await session.command("sleepy.rejectLast")


def test_an_acknowledged_accept_survives_kill_9(tmp_path):
    """The accept's answer comes after the fix memory has it: killed at once, nothing is lost."""
    source = koan_crate(tmp_path)
    db = tmp_path / "fix-memory.sqlite3"
    accepted = []
    for round_ in range(3):
        server = RawServer(tmp_path)
        try:
            server.initialize(tmp_path)
            verified = server.verified_actions(server.open(source), ERROR_LINE)
            fix_id = verified[0]["command"]["arguments"][0]
            reply = server.call("workspace/executeCommand", {"command": ACCEPT, "arguments": [fix_id]})
            assert "error" not in reply
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait()
            accepted.append(fix_id)
        finally:
            if server.process.poll() is None:
                server.process.kill()
    with FixMemory.open_existing(db) as memory:
        outcomes = {o.fix_id: x.outcome for o, x in memory.offers_with_outcomes() if x}
    assert [outcomes.get(fix_id) for fix_id in accepted] == ["accepted"] * 3


def test_fix_apply_refuses_to_overwrite_an_edit_made_meanwhile(tmp_path):
    source = koan_crate(tmp_path)
    original = source.read_text()
    stale = source.parent / f".{source.name}.sleepy-999999999-x.tmp"
    stale.write_text("left by a killed run")
    editor = tmp_path / "bin"
    editor.mkdir()
    real = subprocess.run(["which", "cargo"], capture_output=True, text=True).stdout.strip()
    # A cargo that, while sleepy works, plays the user saving an edit.
    (editor / "cargo").write_text(f"#!/bin/sh\necho '// the user typed this' >> {source}\nexec {real} \"$@\"\n")
    (editor / "cargo").chmod(0o755)
    env = {**os.environ, "PATH": f"{editor}:{os.environ['PATH']}", "SLEEPY_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([os.sys.executable, "-c", "from sleepy_lsp.cli import main; main()", "fix", str(source),
                          "--strategy", "rustc", "--apply"], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 2 and "changed while sleepy was fixing it" in run.stderr, run.stderr
    assert source.read_text().startswith(original) and "let mut counts" not in source.read_text()
    assert not stale.exists()
