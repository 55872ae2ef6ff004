"""Bad input never crashes the server, and its log says what happened.

Each test drives the real server (pytest-lsp, stdio) into one bad situation and
then checks that it still answers and, where it can, still offers fixes.
"""

from __future__ import annotations

import sqlite3

import pytest
from lsp_harness import eventually, koan_crate, lsp_session
from lsprotocol import types

from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.server.lsp_convert import ACCEPT

pytestmark = pytest.mark.asyncio(loop_scope="function")

ERROR_LINE = 13  # bc_004's E0596, 0-based


def said(session, *words: str) -> list[str]:
    """Log and popup messages from the server containing every word."""
    messages = [m.message for m in session.client.log_messages] + [m.message for m in session.client.messages]
    return [m for m in messages if all(w in m for w in words)]


def fake_cargo(folder, name: str, body: str):
    script = folder / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


async def still_serves(session, tmp_path, subfolder: str = "healthy") -> str:
    """The server still checks and fixes a healthy crate; the verified fix's id."""
    source = koan_crate(tmp_path / subfolder)
    uri = session.open(source)
    actions = await session.verified_actions(uri, ERROR_LINE)
    return actions[0].command.arguments[0]


async def test_a_file_outside_any_crate(tmp_path):
    loose = tmp_path / "loose" / "scratch.rs"
    loose.parent.mkdir()
    loose.write_text("fn main() { let x = 1; x = 2; }\n")
    async with lsp_session(tmp_path) as session:
        uri = session.open(loose)
        assert await session.actions(uri, 0) == []
        session.save(uri)
        assert await eventually(lambda: _async(said(session, "not inside a Cargo crate")), "the log line")
        await still_serves(session, tmp_path)


async def _async(value):
    return value


async def test_unknown_and_ill_typed_settings(tmp_path):
    settings = {"noSuchSetting": 1, "maxCandidates": "many", "backend": "gpt-9", "cargo": {"extraArgs": "--all"}}
    async with lsp_session(tmp_path, settings) as session:
        assert said(session, "unknown setting 'noSuchSetting'")
        assert said(session, "maxCandidates", "positive whole number")
        assert said(session, "backend", "must be one of")
        assert said(session, "cargoExtraArgs", "list of strings")
        session.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings="nonsense"))
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"sleepy": {"verify": "yes", "typo": True}}))
        await eventually(lambda: _async(said(session, "unknown setting 'typo'")), "the didChangeConfiguration note")
        assert said(session, "settings must be an object")
        await still_serves(session, tmp_path)


async def test_a_file_deleted_while_open(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        await session.verified_actions(uri, ERROR_LINE)
        source.unlink()
        mark = len(session.statuses)
        session.save(uri)
        await session.idle(after=mark)
        await session.actions(uri, ERROR_LINE)  # answers; what it offers still fits the unchanged buffer
        # The file comes back (the user saves the buffer): checked and fixed again.
        source.write_text(session.texts[uri])
        session.save(uri)
        await session.verified_actions(uri, ERROR_LINE)


async def test_a_cargo_that_hangs_is_stopped(tmp_path):
    hang = fake_cargo(tmp_path, "hanging-cargo", "exec sleep 600\n")
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"cargo": {"path": str(hang)}}, args=("--check-timeout", "3")) as session:
        uri = session.open(source)
        status = await session.idle()
        assert status["state"] == "error" and "ran longer than 3 s" in status["message"]
        assert said(session, "ran longer than 3 s")
        assert await session.actions(uri, ERROR_LINE) == []


@pytest.mark.parametrize("exit_code", [0, 101])
async def test_a_cargo_that_prints_garbage(tmp_path, exit_code):
    garbage = fake_cargo(tmp_path, "garbage-cargo",
                         "echo '{\"reason\": \"compiler-message\", \"message\": 17}'\n"
                         "echo '{not json at all'\nhead -c 300 /dev/urandom | base64\n"
                         f"echo 'something broke' >&2\nexit {exit_code}\n")
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"cargo": {"path": str(garbage)}}) as session:
        uri = session.open(source)
        status = await session.idle()
        if exit_code:
            assert status["state"] == "error" and "something broke" in status["message"]
        else:
            assert status["state"] == "idle" and status["message"].startswith("0 errors")
        assert await session.actions(uri, ERROR_LINE) == []
        # Back to the real cargo: the same server checks and fixes.
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"cargo": {"path": "cargo"}}))
        session.save(uri)
        await session.verified_actions(uri, ERROR_LINE)


def corrupt(db):
    db.write_bytes(b"this is not a database, it is a shopping list\n" * 50)


def newer(db):
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")


@pytest.mark.parametrize("spoil, words", [(corrupt, "not a readable SQLite database"), (newer, "newer than")])
async def test_a_bad_database_means_serving_without_recording(tmp_path, spoil, words):
    db = tmp_path / "fix-memory.sqlite3"
    spoil(db)
    before = db.read_bytes()
    async with lsp_session(tmp_path) as session:
        fix_id = await still_serves(session, tmp_path)
        await session.command(ACCEPT, fix_id)
        await still_serves(session, tmp_path, "another")
        popups = [m for m in session.client.messages if words in m.message]
        assert len(popups) == 1, session.client.messages  # said once, not on every offer
        assert "not recorded" in popups[0].message
    assert db.read_bytes() == before


async def test_a_locked_database_means_serving_without_recording(tmp_path):
    db = tmp_path / "fix-memory.sqlite3"
    with FixMemory.open(db):
        pass
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        async with lsp_session(tmp_path) as session:
            fix_id = await still_serves(session, tmp_path)
            await session.command(ACCEPT, fix_id)
            await eventually(lambda: _async([m for m in session.client.messages if "locked" in m.message]),
                             "the locked-database message")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with FixMemory.open_existing(db) as memory:
        assert memory.counts()["offers"] == 0


async def test_telemetry_off_records_nothing(tmp_path):
    async with lsp_session(tmp_path, {"telemetry": {"enabled": False}}) as session:
        fix_id = await still_serves(session, tmp_path)
        await session.command(ACCEPT, fix_id)
    assert not session.db.exists()


async def test_a_broken_model_is_reported_once_and_rustc_still_helps(tmp_path):
    settings = {"backend": "llama_cpp", "modelPath": str(tmp_path / "no-such-model.gguf")}
    async with lsp_session(tmp_path, settings) as session:
        source = koan_crate(tmp_path)
        uri = session.open(source)

        async def offered():
            return [a for a in await session.actions(uri, ERROR_LINE) if a.title.startswith("rustc: ")]

        await eventually(offered, "rustc's suggestion")
        await session.idle()
        session.save(uri)
        await eventually(lambda: _async([m for m in session.client.messages if "no-such-model" in m.message]),
                         "the model problem")
        mark = len(session.statuses)
        session.change(uri, "// edited\n" + session.texts[uri])
        source.write_text(session.texts[uri])
        session.save(uri)
        await session.idle(after=mark)
        popups = [m for m in session.client.messages if "no-such-model" in m.message]
        assert len(popups) == 1, session.client.messages
        assert [a for a in await session.actions(uri, ERROR_LINE + 1) if a.title.startswith("rustc: ")]
