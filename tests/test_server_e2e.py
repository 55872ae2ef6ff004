"""End to end through pytest-lsp: a koan crate is checked, fixed, the fix applied and accepted."""

from __future__ import annotations

import pytest
from lsprotocol import types

from sleepy_lsp.cargo import run_cargo
from sleepy_lsp.lsp_convert import ACCEPT, REJECT, apply_text_edits
from sleepy_lsp.store import FixMemory
from test_server_harness import koan_crate, lsp_session

pytestmark = pytest.mark.asyncio(loop_scope="function")

# bc_004: `let counts = BTreeMap::new();` on line 11 is mutated on line 14 (E0596); rustc suggests `mut`.
ERROR_LINE = 13  # 0-based line of the primary span


def outcomes(db) -> dict[str, str]:
    with FixMemory.open_existing(db) as memory:
        return {offer.fix_id: outcome.outcome for offer, outcome in memory.offers_with_outcomes() if outcome}


def offers(db) -> dict[str, object]:
    with FixMemory.open_existing(db) as memory:
        return {offer.fix_id: offer for offer, _ in memory.offers_with_outcomes()}


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
        assert len(reject) == 1 and reject[0].command.arguments == [fix_id]
        assert len({a.title for a in everything}) == len(everything)

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

        assert await session.actions(uri, ERROR_LINE) == []

    run = run_cargo(["check", "--offline", "--message-format=json"], cwd=source.parent.parent,
                    target_dir=tmp_path / "verify-target", timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]
    assert outcomes(session.db)[fix_id] == "accepted"
    offer = offers(session.db)[fix_id]
    assert offer.verified and offer.provider == "rustc" and offer.error_code == "E0596"
    assert offer.family == "borrow" and offer.code_after == fixed


async def test_rejecting_and_ignoring_are_recorded(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        actions = await session.verified_actions(uri, ERROR_LINE)
        fix_id = actions[0].command.arguments[0]
        await session.command(REJECT, fix_id)
        # A rejected fix is not offered again for this version.
        titles_ids = [a.command.arguments[0] for a in await session.actions(uri, ERROR_LINE)
                      if a.command and a.command.command == ACCEPT]
        assert fix_id not in titles_ids

        # Another offer is shown, then the user fixes the error by hand: that offer was ignored.
        others = [a for a in await session.actions(uri, ERROR_LINE) if a.command and a.command.command == ACCEPT]
        by_hand = session.texts[uri].replace("let counts", "let mut counts")
        source.write_text(by_hand)
        session.change(uri, by_hand)
        mark = len(session.statuses)
        session.save(uri)
        await session.idle(after=mark)
        await session.command("sleepy.rejectLast")  # nothing accepted: said in the log, no crash

    recorded = outcomes(session.db)
    assert recorded[fix_id] == "rejected"
    for other in others:
        assert recorded[other.command.arguments[0]] == "ignored"


async def test_fixing_action_resolves_to_the_verified_fix(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)

        async def pending():
            found = await session.actions(uri, ERROR_LINE)
            return [a for a in found if a.title == "sleepy: fixing…"] or [a for a in found if "compiles" in a.title]

        from test_server_harness import eventually
        first = (await eventually(pending, "a fixing or verified action"))[0]
        if first.title == "sleepy: fixing…":
            assert first.edit is None and first.data["version"] == 1
            resolved = await session.client.code_action_resolve_async(first)
            assert "compiles ✓" in resolved.title
            assert resolved.edit.document_changes[0].text_document.version == 1
            assert resolved.command.command == ACCEPT
