"""End to end through pytest-lsp: a koan crate is checked, fixed, the fix applied and accepted."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lsp_harness import eventually, koan_crate, lsp_session
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.rust.cargo import run_cargo
from sleepy_lsp.server.lsp_convert import ACCEPT, REJECT, apply_text_edits

# bc_004: `let counts = BTreeMap::new();` on line 11 is mutated on line 14 (E0596); rustc suggests `mut`.
ERROR_LINE = 13  # 0-based line of the primary span


def outcomes(db) -> dict[str, str]:
    with FixMemory.open_existing(db) as memory:
        return {offer.fix_id: outcome.outcome for offer, outcome in memory.offers_with_outcomes() if outcome}


def offers(db) -> dict[str, object]:
    with FixMemory.open_existing(db) as memory:
        return {offer.fix_id: offer for offer, _ in memory.offers_with_outcomes()}


@pytest.mark.asyncio
async def test_verified_fix_is_offered_applied_and_accepted(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        actions = await session.verified_actions(uri, ERROR_LINE)
        fix = actions[0]
        assert "compiles ✓" in fix.title
        assert fix.kind == types.CodeActionKind.QuickFix
        assert fix.command.command == ACCEPT
        fix_id = fix.command.arguments[0]

        # "this fix is wrong" names the top fix; rustc's own suggestion is not listed twice.
        everything = await session.actions(uri, ERROR_LINE)
        reject = [a for a in everything if a.command and a.command.command == REJECT]
        assert len(reject) == 1 and list(reject[0].command.arguments) == [fix_id]
        assert len({a.title for a in everything}) == len(everything)

        # Asked for quick fixes it answers; asked only for refactorings it has none.
        for only, expected in ((["quickfix"], True), (["refactor"], False), (["source.organizeImports"], False)):
            position = types.Position(ERROR_LINE, 0)
            result = await session.client.text_document_code_action_async(types.CodeActionParams(
                types.TextDocumentIdentifier(uri), types.Range(position, position),
                types.CodeActionContext(diagnostics=[], only=only)))
            assert bool(result) == expected, only

        # The edit is a versioned TextDocumentEdit of the open version, and small.
        (change,) = fix.edit.document_changes
        assert change.text_document.uri == uri and change.text_document.version == 1
        assert len(change.edits) == 1 and change.edits[0].new_text.strip() == "mut"

        # Play the client: apply the edit, save the file, run the command.
        fixed = apply_text_edits(session.texts[uri], change.edits)
        source.write_text(fixed)
        session.change(uri, fixed)
        await session.command(ACCEPT, fix_id)
        mark = len(session.statuses)
        session.save(uri)
        status = await session.idle(after=mark)
        assert status["state"] == "idle" and status["message"].startswith("0 errors"), status

        # What is left on the fixed line: only taking back the fix just applied there.
        (back,) = await session.actions(uri, ERROR_LINE)
        assert back.edit is None and back.command.command == REJECT and list(back.command.arguments) == [fix_id]
        assert back.title.startswith("sleepy: the fix applied here is wrong")

    run = run_cargo(["check", "--offline", "--message-format=json"], cwd=source.parent.parent,
                    target_dir=tmp_path / "verify-target", timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
    assert outcomes(session.db)[fix_id] == "accepted"
    offer = offers(session.db)[fix_id]
    assert offer.verified and offer.provider == "rustc" and offer.error_code == "E0596"
    assert offer.family == "borrow" and offer.record.after in fixed
    assert offer.record.after.count("mut") == offer.record.before.count("mut") + 1


@pytest.mark.asyncio
async def test_a_fix_rustc_states_only_in_a_note_is_offered(tmp_path):
    """tb_002: rustc says only that the trait `Clone` defines `clone`; the server offers the derive, verified."""
    source = koan_crate(tmp_path, "tb_002")
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        actions = await session.verified_actions(uri, 19)  # `self.current.clone()`, E0599
    derive = next((a for a in actions if "derive `Clone` for `Document`" in a.title), None)
    assert derive is not None, [a.title for a in actions]
    (change,) = derive.edit.document_changes
    assert [e.new_text for e in change.edits] == ["#[derive(Clone)]\n"]
    assert change.edits[0].range.start == types.Position(0, 0)


@pytest.mark.asyncio
async def test_rejecting_and_ignoring_are_recorded(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        rejected = (await session.verified_actions(uri, ERROR_LINE))[0].command.arguments[0]
        await session.command(REJECT, rejected)
        offered = [a.command.arguments[0] for a in await session.actions(uri, ERROR_LINE)
                   if a.command and a.command.command == ACCEPT]
        assert offered == []  # neither the verified fix nor rustc's identical suggestion comes back

        # An edit elsewhere makes a new version with the same error, and a new offer.
        moved = "// a comment moves everything down a line\n" + session.texts[uri]
        source.write_text(moved)
        session.change(uri, moved)
        session.save(uri)
        ignored = (await session.verified_actions(uri, ERROR_LINE + 1))[0].command.arguments[0]
        assert ignored != rejected

        # The user fixes the error by hand: the offer was shown and ignored.
        by_hand = moved.replace("let counts", "let mut counts")
        source.write_text(by_hand)
        session.change(uri, by_hand)
        mark = len(session.statuses)
        session.save(uri)
        assert (await session.idle(after=mark))["message"].startswith("0 errors")
        await session.command("sleepy.rejectLast")  # nothing accepted: said in the log, no crash
        await session.command(ACCEPT)  # no fix id: logged, no crash
        assert await session.actions(uri, ERROR_LINE) == []

    recorded = outcomes(session.db)
    assert recorded[rejected] == "rejected"
    assert recorded[ignored] == "ignored"


def slow_cargo(folder: Path, seconds: float = 2.0) -> Path:
    """A cargo that thinks for a while before each run, so that fixes are still being computed."""
    script = folder / "slow-cargo"
    script.write_text(f"#!/bin/sh\nsleep {seconds}\nexec {shutil.which('cargo')} \"$@\"\n")
    script.chmod(0o755)
    return script


@pytest.mark.asyncio
async def test_fixing_action_resolves_to_the_verified_fix(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"cargo": {"path": str(slow_cargo(tmp_path))}}) as session:
        uri = session.open(source)

        async def pending():
            return [a for a in await session.actions(uri, ERROR_LINE) if a.title == "sleepy: fixing…"]

        fixing = (await eventually(pending, "the fixing… action"))[0]
        assert fixing.edit is None and fixing.data["version"] == 1
        # rustc's suggestion is there at once, unverified, while the engine works.
        assert any(a.title.startswith("rustc: ") and "compiles" not in a.title
                   for a in await session.actions(uri, ERROR_LINE))
        statuses = {s["state"] for s in session.statuses}
        assert "fixing" in statuses
        # $/cancelRequest stops a resolve that is waiting; the fixing goes on.
        waiting = session.client.protocol.send_request(types.CODE_ACTION_RESOLVE, fixing, msg_id="resolve-1")
        await asyncio.sleep(0.3)
        session.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="resolve-1"))
        with pytest.raises(JsonRpcRequestCancelled):
            await asyncio.wait_for(asyncio.wrap_future(waiting), 30)
        resolved = await session.client.code_action_resolve_async(fixing)
        assert "compiles ✓" in resolved.title
        assert resolved.edit.document_changes[0].text_document.version == 1
        assert resolved.command.command == ACCEPT
        # Progress was reported for the check and for the fixing.
        titles = {r.title for reports in session.client.progress_reports.values() for r in reports
                  if isinstance(r, types.WorkDoneProgressBegin)}
        assert {"sleepy: cargo check", "sleepy: fixing"} <= titles


@pytest.mark.asyncio
async def test_a_stale_version_is_never_served(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"cargo": {"path": str(slow_cargo(tmp_path))}}) as session:
        uri = session.open(source)

        async def pending():
            return [a for a in await session.actions(uri, ERROR_LINE) if a.title == "sleepy: fixing…"]

        fixing = (await eventually(pending, "the fixing… action"))[0]
        # The user types (not saved): nothing computed for version 1 may be offered for version 2.
        session.change(uri, session.texts[uri] + "\n// typing\n")
        assert await session.actions(uri, ERROR_LINE) == []
        resolved = await session.client.code_action_resolve_async(fixing)
        assert resolved.edit is None and "changed" in resolved.title
        # A change that claims an older version is reported, not trusted.
        session.change(uri, session.texts[uri], version=1)
        assert await session.actions(uri, ERROR_LINE) == []
        assert any("arrived after version" in m.message for m in session.client.log_messages)


@pytest.mark.asyncio
async def test_published_diagnostics_follow_the_checks(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"publishDiagnostics": True}) as session:
        uri = session.open(source)
        published = await eventually(lambda: _now(session.client.diagnostics.get(uri)), "published diagnostics")
        (error,) = [d for d in published if d.code == "E0596"]
        assert error.range.start == types.Position(ERROR_LINE, 13) and error.source == "sleepy"
        # The client hands our diagnostic back in the code-action context: it matches by its key.
        elsewhere = types.Position(0, 0)
        result = await session.client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), types.Range(elsewhere, elsewhere), types.CodeActionContext([error])))
        assert any(a.title.startswith("rustc: ") for a in result)
        fixed = session.texts[uri].replace("let counts", "let mut counts")
        source.write_text(fixed)
        session.change(uri, fixed)
        session.save(uri)
        await eventually(lambda: _now(not [d for d in session.client.diagnostics[uri] if d.code == "E0596"]),
                         "the diagnostics to clear")


@pytest.mark.asyncio
async def test_a_new_champion_is_reloaded_without_a_restart(tmp_path):
    registry = tmp_path / "adapters"
    registry.mkdir()
    champions = registry / "champions.json"
    champions.write_text("{}")
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"adaptersDir": str(registry)}) as session:
        uri = session.open(source)
        await session.verified_actions(uri, ERROR_LINE)
        champions.write_text('{"borrow": {"adapter": "lora-night-1"}}')
        os.utime(champions, ns=(time.time_ns() + 10**9,) * 2)
        session.save(uri)
        await eventually(lambda: _now([m for m in session.client.log_messages if "champions changed" in m.message]),
                         "the reload")


async def _now(value):
    return value


def test_only_lsp_messages_reach_stdout():
    """Libraries that write to fd 1 (llama-cpp-python even points it at /dev/null) cannot touch the LSP stream."""
    program = ("import os, sys\nfrom sleepy_lsp.server.main import private_stdout\nlsp = private_stdout()\n"
               "os.write(1, b'noise from C; ')\nprint('noise from print')\n"
               "null = os.open(os.devnull, os.O_WRONLY)\nos.dup2(null, 1)\n"
               "lsp.write(b'Content-Length: 2\\r\\n\\r\\n{}')\nlsp.flush()\n")
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout == b"Content-Length: 2\r\n\r\n{}"
    assert b"noise from C" in run.stderr and b"noise from print" in run.stderr


@pytest.mark.asyncio
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
async def test_positions_follow_the_negotiated_encoding(tmp_path, encoding):
    crate = tmp_path / "astral"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "astral"\nversion = "0.1.0"\nedition = "2021"\n')
    source = crate / "src" / "main.rs"
    # 𝄞 is 4 bytes in UTF-8 and 2 units in UTF-16: a column off by either would break the fix.
    source.write_text('fn main() {\n    let greeting = "𝄞 héllo"; let n = 1; n += greeting.len();\n'
                      '    println!("{n}");\n}\n')
    async with lsp_session(tmp_path, encodings=[encoding]) as session:
        assert session.initialized.capabilities.position_encoding == encoding
        uri = session.open(source)
        fix = (await session.verified_actions(uri, 1))[0]
        (change,) = fix.edit.document_changes
        fixed = apply_text_edits(session.texts[uri], change.edits, encoding)
        assert "let mut n = 1" in fixed and fixed.count("𝄞 héllo") == 1
