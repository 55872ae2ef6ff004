"""Fixes the user writes by hand are recorded; typing, hiding, deleting and sleepy's own fixes are not."""

from __future__ import annotations

import asyncio
import time

import pytest
from lsp_harness import eventually, koan_crate, lsp_session

from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.rust.diagnostics import Diagnostic, Span
from sleepy_lsp.server.hand_fixes import HandFixes

CODE = """\
pub fn average(values: &[u32]) -> f64 {
    let count = values.len();
    let total: u32 = values.iter().sum();
    total / count
}

pub fn unrelated() -> u8 {
    7
}
"""
FIXED = CODE.replace("    total / count", "    total as f64 / count as f64")


def error(line: int, code: str | None = "E0308", message: str = "mismatched types") -> Diagnostic:
    return Diagnostic(message, "error", code, (Span("src/lib.rs", 0, 1, line, line, 5, 18, True),))


def watcher(settle: float = 0.0) -> tuple[HandFixes, list]:
    recorded: list = []
    return HandFixes(recorded.append, settle), recorded


def seen(watch: HandFixes, text: str, errors: list[Diagnostic], uri: str = "file:///c/src/lib.rs") -> list:
    found = watch.checked(uri, "src/lib.rs", "/c/src/lib.rs", "/c", text, errors)
    watch.changed(uri)
    return found


def test_an_error_the_user_fixes_near_where_it_is_is_recorded():
    watch, recorded = watcher()
    seen(watch, CODE, [error(4)])
    [offer] = seen(watch, FIXED, [])
    assert recorded == [offer] and offer.provider == "user" and offer.verified
    assert offer.record.case.code == "E0308" and offer.record.case.line == 4
    assert offer.record.answer == "LINE 4:     total as f64 / count as f64"
    assert "total / count" in offer.record.before and "as f64" in offer.record.after


@pytest.mark.parametrize("after, errors_after", [
    (FIXED.replace("7\n}", "7\n"), [error(8, "E0308")]),  # another error now: it may only be hiding this one
    (FIXED + "".join(f"// line {n}\n" for n in range(60)), []),  # a huge edit
    (CODE.replace(CODE.split("\n\n")[0], ""), []),  # the function deleted
    (CODE.replace("    7\n", "    8\n"), []),  # an edit far from the error
], ids=["hidden", "huge", "deleted", "elsewhere"])
def test_what_is_not_a_fix_by_hand_is_not_recorded(after, errors_after):
    watch, recorded = watcher()
    seen(watch, CODE, [error(4)])
    seen(watch, after, errors_after)
    assert recorded == []


def test_errors_without_a_code_unsettled_texts_and_sleepys_own_fixes_are_not_recorded():
    watch, recorded = watcher()
    seen(watch, CODE, [error(4, None, "expected `;`")])
    seen(watch, FIXED, [])
    slow, slow_recorded = watcher(settle=60.0)  # the broken text was never on screen long enough to be seen
    seen(slow, CODE, [error(4)])
    seen(slow, FIXED, [])
    applied, applied_recorded = watcher()
    seen(applied, CODE, [error(4)])
    time.sleep(0.01)
    applied.applied_fix("file:///c/src/lib.rs")
    seen(applied, FIXED, [])
    assert recorded == slow_recorded == applied_recorded == []


def manual_fixes(db) -> list:
    with FixMemory.open_existing(db) as memory:
        return [offer for offer, _ in memory.fixes_by_outcome(("manual",))]


@pytest.mark.asyncio
async def test_the_server_records_a_fix_the_user_wrote(tmp_path):
    source = koan_crate(tmp_path)  # bc_004: `let counts = BTreeMap::new();` is mutated later (E0596)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        await session.idle()
        await asyncio.sleep(3.5)  # the user reads the error
        fixed = session.texts[uri].replace("let counts", "let mut counts")
        source.write_text(fixed)
        session.change(uri, fixed)
        mark = len(session.statuses)
        session.save(uri)
        await session.idle(after=mark)
        [offer] = await eventually(lambda: _async(manual_fixes(session.db)), "the manual fix")
    assert offer.provider == "user" and offer.error_code == "E0596" and offer.family == "borrow"
    assert "let mut counts" in offer.record.after and offer.record.answer.startswith("LINE 11:")


async def _async(value):
    return value


BODY = """\
        let mut best = 0;
        for value in values {
            if *value > best {
                best = *value;
            }
        }
        best
"""


@pytest.mark.asyncio
async def test_typing_a_function_body_records_nothing(tmp_path):
    """Thirty keystroke-sized edits, each saved: the text passes through broken states and none is a fix."""
    crate = tmp_path / "typing"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "typing"\nversion = "0.1.0"\nedition = "2021"\n')
    head = "pub fn largest(values: &[u32]) -> u32 {\n"
    source = crate / "src" / "lib.rs"
    source.write_text(head + "    0\n}\n")
    chunks = [BODY[i:i + 5] for i in range(0, len(BODY), 5)]  # a few keystrokes each
    assert len(chunks) >= 30
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        await session.idle()
        for typed in range(1, len(chunks) + 1):
            text = head + "".join(chunks[:typed]) + "}\n"
            source.write_text(text)
            session.change(uri, text)
            session.save(uri)
            await asyncio.sleep(0.2)
        mark = len(session.statuses)
        session.save(uri)
        assert (await session.idle(after=mark))["message"].startswith("0 errors")
    assert manual_fixes(session.db) == []


UNITS = """\
mod units {
    pub struct Meters(f64);

    impl Meters {
        pub fn new(value: f64) -> Meters {
            Meters(value.max(0.0))
        }
    }
}

pub fn lap() -> units::Meters {
    400.0
}
"""
LAP_FIXED = UNITS.replace("    400.0\n", "    units::Meters::new(400.0)\n")
MARATHON = "\npub fn marathon() -> units::Meters {\n    42195.0\n}\n"


@pytest.mark.asyncio
async def test_a_fix_written_by_hand_is_offered_for_the_next_error_in_the_same_session(tmp_path):
    crate = tmp_path / "track"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "track"\nversion = "0.1.0"\nedition = "2021"\n')
    source = crate / "src" / "lib.rs"
    source.write_text(UNITS)
    async with lsp_session(tmp_path) as session:
        uri = session.open(source)
        await session.idle()
        await asyncio.sleep(3.5)  # the user reads the error, then writes the project's constructor
        for text in (LAP_FIXED, LAP_FIXED + MARATHON):  # fixed by hand; later the same mistake elsewhere
            source.write_text(text)
            session.change(uri, text)
            mark = len(session.statuses)
            session.save(uri)
            await session.idle(after=mark)
            await eventually(lambda: _async(manual_fixes(session.db)), "the manual fix")
        line = (LAP_FIXED + MARATHON).splitlines().index("    42195.0")
        actions = await session.verified_actions(uri, line)
    assert actions[0].title.startswith("memory") and "units::Meters::new(42195.0)" in actions[0].title, \
        [a.title for a in actions]
