"""The offers: which fixes are shown for an error, in what order, and what became of each.

An offer is recorded in the fix memory the first time a client is shown it;
it ends accepted (the client ran `sleepy.accept` after applying it), rejected
(the user said it is wrong), or ignored (the code moved on without it). The
policy here never touches the LSP connection or the store directly: the
server passes in how to record.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable

from lsprotocol import types

from ..engine.engine import Fix
from ..memory.store import FixMemory, Offer
from ..model.records import ErrorCase, FixRecord
from ..rust.diagnostics import Diagnostic
from ..rust.edits import TextEdit
from ..rust.shadow import CheckResult
from . import lsp_convert as convert
from .documents import FixSet, FixSlot, TrackedDocument

log = logging.getLogger(__name__)

# How long codeAction/resolve waits for a fix still being computed before answering without one.
RESOLVE_WAIT_SECONDS = 120.0

# Writes a record into the fix memory, in order, off the event loop (Recorder.write); done once committed.
Record = Callable[[str, Callable[[FixMemory], object]], Future]


@dataclass
class ShownOffer:
    """An offer the user has seen: what it is, where, and (while it lasts) the fix behind it."""

    fix_id: str
    uri: str
    revision: int
    error_code: str
    message: str
    title: str = ""  # exactly as last shown
    label: str = ""  # what it does and who made it, without the verification mark
    where: str = ""  # the error's place, "src/main.rs:14"
    fix: Fix | None = field(default=None, repr=False)
    text: str = field(default="", repr=False)  # the document text the fix applies to
    error_range: types.Range | None = None  # the error's place in that text

    @property
    def name(self) -> str:
        """The fix as a message names it."""
        return f'"{self.label}" ({self.error_code + " at " if self.error_code else ""}{self.where})'


@dataclass
class AppliedFix:
    """The latest fix the user applied to a document, and where its change is in the fixed text."""

    fix_id: str
    uri: str
    new_text: str
    lines: list[tuple[int, int]]  # 0-based first and last line of each changed place, and of the error
    after: CheckResult | None = field(default=None, repr=False)  # the shadow's check of the fixed crate
    revision: int | None = None  # the document revision that holds new_text, once the server saw it


def change_of(fix: Fix) -> tuple[TextEdit, ...]:
    """What a fix does, whoever proposed it: its edits in order (two fixes that do the same are one offer)."""
    return tuple(sorted(fix.edits, key=lambda e: (e.byte_start, e.byte_end, e.new_text)))


def tests_label(fix: Fix) -> str:
    """What the project's tests said, in the words a title shows; nothing when they could say nothing."""
    if fix.tests is None or fix.tests.status in ("no_tests", "cancelled"):
        return ""
    return fix.tests.label


def title_of(fix: Fix) -> str:
    """What the fix does, who made it, why it is risky, and whether it compiles ("not verified" until checked)."""
    return convert.verified_title(fix.title, fix.provider, fix.verified, [r.reason for r in fix.risks or ()],
                                  tests_label(fix))


def label_of(fix: Fix) -> str:
    return convert.fix_label(fix.title, fix.provider)


def fixed_lines(text: str, edits: tuple[TextEdit, ...], error: types.Range) -> list[tuple[int, int]]:
    """Where a fix's edits of text, and the error they fix, are in the fixed text (0-based line spans)."""
    index = convert.LineIndex.of(text)
    spans, delta, shift = [], 0, 0
    for edit in sorted(edits, key=lambda e: (e.byte_start, e.byte_end)):
        first, last = index.byte_position(edit.byte_start).line, index.byte_position(edit.byte_end).line
        added = edit.new_text.count("\n")
        spans.append((first + delta, first + delta + added))
        if first < error.start.line:
            shift += added - (last - first)
        delta += added - (last - first)
    spans.append((error.start.line + shift, error.end.line + shift))
    return spans


class Offers:
    """The offers of a session and their outcomes.

    Args:
        record: writes to the fix memory (in the store's thread).
        verify: whether only compiling fixes are offered (the `verify` setting, read on each call).
    """

    def __init__(self, record: Record, verify: Callable[[], bool]) -> None:
        self.record = record
        self.verify = verify
        self.shown: dict[str, ShownOffer] = {}  # offers seen and not yet decided
        self.offered: dict[str, ShownOffer] = {}  # every offer shown, by fix id
        self.rejected: set[str] = set()
        self.accepted: list[str] = []
        self.taken_back: set[str] = set()
        self.applied: dict[str, AppliedFix] = {}  # uri -> the fix the user applied there last

    def _settle(self, fix_id: str) -> ShownOffer | None:
        """An offer decided on (or gone): no longer undecided, and the fix behind it is let go."""
        offer = self.shown.pop(fix_id, None)
        if offer is not None:
            offer.fix, offer.text = None, ""
        return offer

    # --- what is offered ---

    def for_slot(self, slot: FixSlot) -> list[Fix]:
        """The fixes offered for one error, in the order shown: checked fixes, then, until checking is done
        (or when the verify setting is off), rustc's unchecked ones."""
        verify = self.verify()
        fixes = [f for f in slot.fixes if f.verified or not verify]
        # A change the user called wrong is not offered again, whoever proposes it.
        seen = {change_of(f) for f in [*slot.fixes, *slot.quick] if f.id in self.rejected}
        shown = []
        for fix in fixes:
            if change_of(fix) not in seen:
                seen.add(change_of(fix))
                shown.append(fix)
        if slot.state != "done" or not verify:  # not checked (yet, or the engine failed): rustc's, marked so
            for quick in slot.quick:
                if change_of(quick) not in seen:
                    seen.add(change_of(quick))
                    shown.append(quick)
        return shown

    def actions(self, doc: TrackedDocument, fixset: FixSet, slot: FixSlot, encoding: str) -> list[types.CodeAction]:
        """The code actions for one error: its fixes, a "fixing…" entry while they are computed, and a
        "this fix is wrong" entry per fix."""
        offers = self.for_slot(slot)
        actions = []
        for rank, fix in enumerate(offers):
            title = self.show(doc, fixset, slot, fix, encoding, rank)
            actions.append(convert.fix_action(title, doc.uri, fixset.version, fixset.text, fix.edits, fix.id,
                                              [slot.lsp], encoding, preferred=rank == 0 and fix.verified and not fix.risky))
        self.withdraw(slot, offers)
        if slot.state == "pending":
            actions.append(convert.pending_action(doc.uri, fixset.version, fixset.revision, slot.key, [slot.lsp]))
        actions.extend(convert.reject_action(fix.id, label_of(fix), [slot.lsp]) for fix in offers)
        return actions

    def take_back_actions(self, uri: str, revision: int, request: types.Range) -> list[types.CodeAction]:
        """"The fix applied here is wrong", on the lines the user's last applied fix changed, while the text
        is still the one it made."""
        applied = self.applied.get(uri)
        if applied is None or applied.revision != revision or applied.fix_id in self.taken_back:
            return []
        if not any(first <= request.end.line and request.start.line <= last for first, last in applied.lines):
            return []
        return [convert.reject_action(applied.fix_id, self.offered[applied.fix_id].label, [], taking_back=True)]

    async def resolve(self, action: types.CodeAction, doc: TrackedDocument | None, fixset: FixSet | None,
                      still_current: Callable[[], bool], encoding: str) -> types.CodeAction:
        """Wait (bounded) for the fixes behind a "fixing…" action and turn it into the best one."""
        data = action.data if isinstance(action.data, dict) else {}
        key = data.get("key")
        if doc is None or fixset is None or key not in fixset.slots \
                or (fixset.version, fixset.revision) != (data.get("version"), data.get("revision")):
            action.title = "sleepy: the file changed; ask for fixes again"
            return action
        slot = fixset.slots[key]
        try:
            await asyncio.wait_for(slot.done.wait(), RESOLVE_WAIT_SECONDS)
        except asyncio.TimeoutError:
            action.title = "sleepy: still fixing; try again in a moment"
            return action
        if not still_current():
            action.title = "sleepy: the file changed; ask for fixes again"
            return action
        offers = [f for f in self.for_slot(slot) if f.checked] or self.for_slot(slot)
        if not offers:
            action.title = "sleepy: no fix that compiles was found"
            return action
        best = offers[0]
        title = self.show(doc, fixset, slot, best, encoding)
        self.withdraw(slot, offers)
        return convert.fix_action(title, doc.uri, fixset.version, fixset.text, best.edits, best.id,
                                  [slot.lsp], encoding)

    # --- what became of them ---

    def show(self, doc: TrackedDocument, fixset: FixSet, slot: FixSlot, fix: Fix, encoding: str, rank: int = 0) -> str:
        """Record an offer the first time it is shown, with the title shown; its title.

        A checked fix replaces rustc's same unchecked one, which is linked to it (one fix, one offer); a
        title that changed since (the project's tests ran) is recorded as it is now shown.
        """
        title = title_of(fix)
        known = self.offered.get(fix.id)
        if known is not None:
            if known.title != title and fix.id in self.shown:
                known.title = title
                label = tests_label(fix)
                self.record(f"retitle {fix.id}", lambda m: m.retitle(fix.id, title, label))
            return title
        replaced = [quick.id for quick in slot.quick if fix.checked and quick.id != fix.id
                    and change_of(quick) == change_of(fix) and self._settle(quick.id) is not None]
        diagnostic = slot.diagnostic
        where = f"{doc.rel_path or doc.path.name}:{slot.lsp.range.start.line + 1}"
        shown = ShownOffer(fix.id, doc.uri, fixset.revision, diagnostic.code or "", diagnostic.message, title,
                           label_of(fix), where, fix, fixset.text, slot.lsp.range)
        self.shown[fix.id] = self.offered[fix.id] = shown
        edits = [{"range": [[e.range.start.line, e.range.start.character], [e.range.end.line, e.range.end.character]],
                  "new_text": e.new_text} for e in convert.lsp_text_edits(fixset.text, fix.edits, encoding)]
        case = ErrorCase.of(diagnostic, doc.rel_path or doc.path.name, fixset.text)
        # The user waits from the save: to the checked fix for a checked one, to the check for rustc's quick one.
        ready = slot.ready_at if any(f is fix for f in slot.fixes) and slot.ready_at else fixset.started
        offer = Offer(
            fix.id, FixRecord.of(case, fixset.text, fix.new_text, fix.provider, title, rank),
            file=str(doc.path), crate_root=str(doc.crate.root) if doc.crate else "", model=fix.model or "",
            adapter=fix.adapter or "", verified=fix.verified,
            latency_ms=max(0.0, ready - (fixset.saved_at or fixset.started)) * 1000,
            risks=[r.reason for r in fix.risks or ()], tests=tests_label(fix), edits=edits,
        )
        self.record(f"offer {fix.id}", lambda m: m.record_offer(offer))
        for quick_id in replaced:
            log.debug("offer %s replaced by the same fix checked, %s", quick_id, fix.id)
            self.record(f"replace {quick_id}", lambda m, q=quick_id: m.record_replaced(q, fix.id))
        return title

    def withdraw(self, slot: FixSlot, offers: list[Fix]) -> None:
        """rustc's unchecked fixes shown while the check ran and no longer offered after it (they do not
        compile, or were not checked) end "ignored": the user never took them."""
        if slot.state != "done" or not self.verify():
            return
        still = {fix.id for fix in offers}
        for quick in slot.quick:
            if quick.id not in still and self._settle(quick.id) is not None:
                self.record(f"withdrawn {quick.id}", lambda m, i=quick.id: m.record_outcome(
                    i, "ignored", "withdrawn: checking found it does not fix the error"))

    def accept(self, fix_id: str) -> Future:
        """Record that the user applied an offer; ValueError (a sentence) for an id never offered."""
        offer = self.offered.get(fix_id)
        if offer is None:
            raise ValueError(f"sleepy never offered a fix with the id {fix_id!r} in this session, so it records nothing")
        self.accepted.append(fix_id)
        if offer.fix is not None and offer.error_range is not None:
            self.applied[offer.uri] = AppliedFix(fix_id, offer.uri, offer.fix.new_text,
                                                 fixed_lines(offer.text, offer.fix.edits, offer.error_range),
                                                 offer.fix.after)
        self._settle(fix_id)
        return self.record(f"accept {fix_id}", lambda m: m.record_outcome(fix_id, "accepted"))

    def reject(self, fix_id: str, note: str = "the user said this fix is wrong") -> tuple[str, Future | None]:
        """The user says this fix is wrong: an offer is rejected, an applied fix taken back; a sentence that
        names it, and the write (None when nothing changed). ValueError for an id never offered."""
        offer = self.offered.get(fix_id)
        if offer is None:
            raise ValueError(f"sleepy never offered a fix with the id {fix_id!r} in this session, so it records nothing")
        if fix_id in self.accepted:
            return self.take_back(fix_id)
        if fix_id in self.rejected:
            return f"{offer.name} is already recorded as wrong", None
        self._settle(fix_id)
        self.rejected.add(fix_id)
        return f"{offer.name} is recorded as wrong and not offered again", self._write_rejection(fix_id, note)

    def take_back(self, fix_id: str) -> tuple[str, Future | None]:
        """Turn the acceptance of an applied fix into a rejection, once."""
        offer = self.offered[fix_id]
        if fix_id in self.taken_back:
            return f"the fix applied last, {offer.name}, is already recorded as wrong", None
        self.taken_back.add(fix_id)
        self.rejected.add(fix_id)
        done = self._write_rejection(fix_id, "the user took back the fix after applying it", take_back=True)
        return f"took back {offer.name}: it is recorded as wrong", done

    def take_back_last(self) -> tuple[str, Future | None]:
        """Take back the latest applied fix, once; never one applied before it. A sentence that names it."""
        if not self.accepted:
            return "sleepy has not applied a fix in this session, so there is none to take back", None
        message, done = self.take_back(self.accepted[-1])
        if done is None:
            message += "; the fixes applied before it are left as they are"
        return message, done

    def _write_rejection(self, fix_id: str, note: str, take_back: bool = False) -> Future:
        def write(memory: FixMemory) -> bool:
            recorded = memory.record_outcome(fix_id, "rejected", note, replace=take_back)
            if not recorded and memory.enabled:
                log.warning("fix %s already has an outcome (the fix memory keeps the first); "
                            "the rejection was not recorded", fix_id)
            return recorded

        return self.record(f"reject {fix_id}", write)

    def supersede(self, uri: str, revision: int | None, errors: list[Diagnostic], note: str | None = None) -> None:
        """Offers of other versions (all, for revision None) not accepted nor rejected become "ignored"."""
        present = {(d.code or "", d.message) for d in errors}
        for fix_id, offer in list(self.shown.items()):
            if offer.uri != uri or offer.revision == revision:
                continue
            self._settle(fix_id)
            why = note
            if why is None:
                gone = (offer.error_code, offer.message) not in present
                why = "the error went away through another edit" if gone else "the code changed under the offer"
            self.record(f"ignored {fix_id}", lambda m, i=fix_id, n=why: m.record_outcome(i, "ignored", n))
        if revision is None:
            self.applied.pop(uri, None)
