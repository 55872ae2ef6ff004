"""Offers as the user meets them, through a real LSP client: one reject per fix, an applied fix taken back
once and never an earlier one, "fixing…" from the save on, the fixed text's errors published at once, one
offer per fix in the fix memory, and the server's log lines on one channel at their level."""

from __future__ import annotations

import time

import pytest
from lsp_harness import eventually, koan_crate, lsp_session
from lsp_raw import RawServer
from lsprotocol import types
from test_server_e2e import ERROR_LINE, slow_cargo

from sleepy_lsp.memory.review import build_review
from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.server.lsp_convert import ACCEPT, REJECT, REJECT_LAST, apply_text_edits

# A second error of the same kind, appended to bc_004 once its first is fixed.
SECOND = "\npub fn second() -> Vec<u32> {\n    let numbers = Vec::new();\n    numbers.push(1);\n    numbers\n}\n"


def records(db) -> dict[str, tuple[object, str | None]]:
    with FixMemory.open_existing(db) as memory:
        return {o.fix_id: (o, x.outcome if x else None) for o, x in memory.offers_with_outcomes()}


async def _now(value):
    return value


def fixes_of(actions: list[types.CodeAction]) -> list[types.CodeAction]:
    return [a for a in actions if a.command and a.command.command == ACCEPT]


def rejects_of(actions: list[types.CodeAction]) -> list[types.CodeAction]:
    return [a for a in actions if a.command and a.command.command == REJECT]


async def apply_and_accept(session, uri: str, fix: types.CodeAction) -> str:
    """Play the client: apply the fix's edit to the buffer (unsaved), then run its accept command."""
    (change,) = fix.edit.document_changes
    session.change(uri, apply_text_edits(session.texts[uri], change.edits))
    await session.command(ACCEPT, fix.command.arguments[0])
    return session.texts[uri]


@pytest.mark.asyncio
async def test_each_fix_has_its_reject_and_reject_last_takes_back_only_the_last_fix_once(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"publishDiagnostics": True}) as session:
        uri = session.open(source)
        await session.verified_actions(uri, ERROR_LINE)
        actions = await session.actions(uri, ERROR_LINE)
        fixes, rejects = fixes_of(actions), rejects_of(actions)
        # One "this fix is wrong" per fix offered, naming it (never with a verification mark a picker could
        # take for the fix); nothing is taken back before anything was applied.
        assert [r.command.arguments[0] for r in rejects] == [f.command.arguments[0] for f in fixes]
        for fix, reject in zip(fixes, rejects):
            label = reject.title.removeprefix("sleepy: this fix is wrong: ")
            assert fix.title.startswith(label) and "compiles" not in reject.title
        assert not [a for a in actions if "applied here" in a.title]
        assert any(d.code == "E0596" for d in session.client.diagnostics[uri])

        # Applied and accepted, not saved: the shadow compiled that text, so its errors are published at once.
        first = fixes[0].command.arguments[0]
        mark = len(session.statuses)
        fixed = await apply_and_accept(session, uri, fixes[0])
        await eventually(lambda: _now(not any(d.code == "E0596" for d in session.client.diagnostics[uri])),
                         "the fixed text's diagnostics")
        assert "checking" not in [s["state"] for s in session.statuses[mark:]]  # no cargo check ran for it

        # A second error, saved and fixed the same way.
        broken = fixed + SECOND
        source.write_text(broken)
        session.change(uri, broken)
        session.save(uri)
        line = broken.splitlines().index("    numbers.push(1);")
        second = fixes_of(await session.verified_actions(uri, line))[0]
        await apply_and_accept(session, uri, second)
        second_id = second.command.arguments[0]

        # On the fixed place: "the fix applied here is wrong", for that fix.
        (back,) = [a for a in await session.actions(uri, line) if "applied here" in a.title]
        assert list(back.command.arguments) == [second_id]
        answer = await session.command(REJECT, second_id)
        assert answer.startswith("took back") and "E0596" in answer, answer
        assert not [a for a in await session.actions(uri, line) if "applied here" in a.title]
        # Taken back once: reject last says so, and leaves the first fix accepted, however often it is run.
        for _ in range(2):
            again = await session.command(REJECT_LAST)
            assert "already recorded as wrong" in again and "left as they are" in again, again
        with pytest.raises(Exception, match="never offered"):
            await session.command(REJECT, "an-id-nobody-offered")

    recorded = records(session.db)
    assert recorded[first][1] == "accepted" and recorded[second_id][1] == "rejected"


@pytest.mark.asyncio
async def test_fixing_is_shown_from_the_save_and_each_fix_is_one_offer_timed_from_the_save(tmp_path):
    source = koan_crate(tmp_path)
    async with lsp_session(tmp_path, {"cargo": {"path": str(slow_cargo(tmp_path))}}) as session:
        uri = session.open(source)

        async def unverified():
            actions = await session.actions(uri, ERROR_LINE)
            return [a for a in fixes_of(actions) if "(not verified)" in a.title] \
                if any(a.title == "sleepy: fixing…" for a in actions) else None

        quick = (await eventually(unverified, "rustc's fix, marked not verified, while fixing"))[0]
        verified = fixes_of(await session.verified_actions(uri, ERROR_LINE))
        # Checking is done: only verified fixes, and no "fixing…".
        after = await session.actions(uri, ERROR_LINE)
        assert fixes_of(after) == verified and all("compiles ✓" in a.title for a in verified)
        assert not [a for a in after if "not verified" in a.title or a.title == "sleepy: fixing…"]
        same = [a for a in verified if a.edit == quick.edit]
        assert same, "rustc's fix, checked, is among the verified ones"

        # Saved again: between the save and the check's errors, the place of the error says "fixing…".
        moved = session.texts[uri] + "\n// a comment at the end\n"
        source.write_text(moved)
        session.change(uri, moved)
        session.save(uri)
        (waiting,) = [a for a in await session.actions(uri, ERROR_LINE) if a.title == "sleepy: fixing…"]
        assert waiting.data["key"] is None and waiting.edit is None
        resolved = await session.client.code_action_resolve_async(waiting)
        assert "compiles ✓" in resolved.title, resolved.title
        assert resolved.edit.document_changes[0].text_document.version == session.versions[uri]

    recorded = records(session.db)
    quick_offer, quick_outcome = recorded[quick.command.arguments[0]]
    checked_id = same[0].command.arguments[0]
    checked_offer, _ = recorded[checked_id]
    assert quick_offer.replaced_by == checked_id and quick_outcome is None
    assert not quick_offer.verified and checked_offer.verified
    # Timed from the save: the slow cargo alone sleeps 2 s in the check and again in verifying the fix.
    assert checked_offer.latency_ms >= 4000 > 0 and checked_offer.title == same[0].title
    with FixMemory.open_existing(session.db) as memory:
        review = build_review(memory, days=1)
    assert review.totals.offers == sum(1 for o, _ in recorded.values() if not o.replaced_by) < len(recorded)


def test_the_server_logs_to_the_client_at_each_level_and_keeps_stderr_for_what_it_cannot_send(tmp_path):
    server = RawServer(tmp_path, log_file=False)
    try:
        server.initialize(tmp_path, settings={"verify": True, "bogus": 1})
        server.notify("workspace/didChangeConfiguration", {"settings": {"sleepy": {"verify": True}}})
        server.call("workspace/executeCommand", {"command": REJECT_LAST, "arguments": []})
        deadline = time.monotonic() + 60
        while not [n for n in server.notifications if "fix memory at" in str(n)] and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.close()
    logged = [(n["params"]["type"], n["params"]["message"]) for n in server.notifications
              if n.get("method") == "window/logMessage"]
    started = [m for t, m in logged if m.startswith("sleepy: sleepy-lsp ")]
    assert [t for t, m in logged if m.startswith("sleepy: sleepy-lsp ")] == [types.MessageType.Info.value], logged
    assert [t for t, m in logged if "'bogus'" in m] == [types.MessageType.Warning.value], logged
    assert [t for t, m in logged if "none to take back" in m] == [types.MessageType.Warning.value], logged
    assert len([m for _, m in logged if "fix memory at" in m]) == 1, logged  # opened once, though asked twice
    stderr = server.stderr_file.read_text()
    assert started and "sleepy-lsp " not in stderr and " INFO " not in stderr and " WARNING " not in stderr, stderr


def test_shutdown_while_an_accept_waits_for_the_fix_memory_is_answered_and_loses_nothing(tmp_path):
    """An accept still being written (the memory locked by another process) must not break shutdown: Neovim
    kills a server whose shutdown fails, and the accept would be lost."""
    import sqlite3

    source = koan_crate(tmp_path)
    server = RawServer(tmp_path)
    try:
        server.initialize(tmp_path)
        verified = server.verified_actions(server.open(source), ERROR_LINE)
        fix_id = verified[0]["command"]["arguments"][0]
        lock = sqlite3.connect(server.log_file.with_name("fix-memory.sqlite3"), isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")  # another sleepy process writing: the accept waits for it
        server.request("workspace/executeCommand", {"command": ACCEPT, "arguments": [fix_id]})
        time.sleep(0.5)  # lets the accept reach the store's queue; the test holds without it too
        shutdown = server.request("shutdown")
        time.sleep(0.5)  # the shutdown is handled while the accept still waits for the lock ...
        lock.execute("ROLLBACK")  # ... which is then released well within the store's busy timeout
        lock.close()
        reply = server.response(shutdown, timeout=60)
        assert "error" not in reply, reply
        server.notify("exit")
        assert server.process.wait(timeout=60) == 0
    finally:
        server.close()
    assert records(tmp_path / "fix-memory.sqlite3")[fix_id][1] == "accepted"


def test_asking_twice_for_the_same_fix_memory_opens_it_once(tmp_path, monkeypatch):
    from sleepy_lsp.server import recorder as recorder_module

    opened, gate = [], __import__("threading").Event()

    def fake_open(path, enabled=True):
        gate.wait(30)  # the store's thread is still opening when the settings come again
        opened.append(path)
        if path and "bad" in path:
            raise recorder_module.StoreError("The fix memory is damaged.")
        return type("Memory", (), {"path": path, "enabled": enabled, "close": lambda self: None})()

    monkeypatch.setattr(recorder_module.FixMemory, "open", staticmethod(fake_open))
    warned = []
    recorder = recorder_module.Recorder(warn=lambda m, k: warned.append(m), fail=lambda k, e: None, opened=lambda: None)
    recorder.open("a.sqlite3", True)
    recorder.open("a.sqlite3", True)
    gate.set()
    recorder.drain()
    assert opened == ["a.sqlite3"]
    recorder.open("bad.sqlite3", True)
    recorder.drain()
    recorder.open("bad.sqlite3", True)  # a memory that failed to open is tried again when asked
    recorder.drain()
    assert opened == ["a.sqlite3", "bad.sqlite3", "bad.sqlite3"] and len(warned) == 2


def test_checked_fixes_replace_rustcs_and_a_failed_one_is_withdrawn():
    """After the check, only verified fixes; rustc's fix that did not verify leaves the menu and ends ignored."""
    from sleepy_lsp.engine.engine import Fix
    from sleepy_lsp.rust.edits import TextEdit
    from sleepy_lsp.server.documents import FixSlot
    from sleepy_lsp.server.offers import Offers, fixed_lines

    def fix(new: str, checked=False, verified=False) -> Fix:
        return Fix("src/main.rs", "let v = 1;\n", (TextEdit(4, 4, new),), "rustc", f"insert {new}", None, "borrow",
                   checked=checked, verified=verified)

    written = []
    offers = Offers(lambda what, write: written.append(what), verify=lambda: True)
    slot = FixSlot("k", None, types.Diagnostic(types.Range(types.Position(0, 4), types.Position(0, 5)), "e"),
                   [fix("mut "), fix("ref ")])
    assert [f.title for f in offers.for_slot(slot)] == ["insert mut ", "insert ref "]
    failed = slot.quick[1]
    offers.shown[failed.id] = type("Shown", (), {"fix": None, "text": ""})()  # shown while it was checked
    offers.withdraw(slot, offers.for_slot(slot))
    assert written == []  # still being checked: it stays
    slot.finish("done", [fix("mut ", True, True), fix("ref ", True, False)])
    assert [f.title for f in offers.for_slot(slot)] == ["insert mut "]
    offers.withdraw(slot, offers.for_slot(slot))
    assert written == [f"withdrawn {failed.id}"] and failed.id not in offers.shown
    # Where an applied fix is in the fixed text: a line inserted above moves the error down.
    edits = (TextEdit(0, 0, "#[derive(Clone)]\n"),)
    assert fixed_lines("struct A;\nfn f() {}\n", edits, types.Range(types.Position(1, 3), types.Position(1, 4))) \
        == [(0, 1), (2, 2)]
