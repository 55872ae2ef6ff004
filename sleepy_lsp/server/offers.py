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
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Callable

from lsprotocol import types

from ..engine.engine import Fix
from ..memory.store import FixMemory, Offer
from ..model.records import ErrorCase, FixRecord
from ..rust.diagnostics import Diagnostic
from ..rust.edits import TextEdit
from . import lsp_convert as convert
from .documents import FixSet, FixSlot, TrackedDocument

log = logging.getLogger(__name__)

# How long codeAction/resolve waits for a fix still being computed before answering without one.
RESOLVE_WAIT_SECONDS = 120.0

# Writes a record into the fix memory, in order, off the event loop (Recorder.write); done once committed.
Record = Callable[[str, Callable[[FixMemory], object]], Future]


@dataclass
class ShownOffer:
    """An offer the user has seen and not yet decided on."""

    fix_id: str
    uri: str
    revision: int
    error_code: str
    message: str
    title: str = ""


def change_of(fix: Fix) -> tuple[TextEdit, ...]:
    """What a fix does, whoever proposed it: its edits in order (two fixes that do the same are one offer)."""
    return tuple(sorted(fix.edits, key=lambda e: (e.byte_start, e.byte_end, e.new_text)))


def title_of(fix: Fix) -> str:
    """What the fix does, who made it, why it is risky, and whether it compiles ("not verified" until checked)."""
    return convert.verified_title(fix.title, fix.provider, fix.verified, [r.reason for r in fix.risks or ()],
                                  fix.tests.label if fix.tests else "")


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

    # --- what is offered ---

    def for_slot(self, slot: FixSlot) -> list[Fix]:
        """The fixes offered for one error, in the order shown: checked fixes, then rustc's unchecked ones."""
        fixes = [f for f in slot.fixes if f.verified or not self.verify()]
        # A change the user called wrong is not offered again, whoever proposes it.
        seen = {change_of(f) for f in [*slot.fixes, *slot.quick] if f.id in self.rejected}
        failed = {change_of(f) for f in slot.fixes if f.checked and not f.verified}
        shown = []
        for fix in fixes:
            if change_of(fix) not in seen:
                seen.add(change_of(fix))
                shown.append(fix)
        for quick in slot.quick:
            change = change_of(quick)
            if change in seen or (slot.state == "done" and self.verify() and change in failed):
                continue  # offered already, now checked; or the engine tried it and it does not compile
            seen.add(change)
            shown.append(quick)
        return shown

    def actions(self, doc: TrackedDocument, fixset: FixSet, slot: FixSlot, encoding: str,
                resolvable: bool) -> list[types.CodeAction]:
        """The code actions for one error: its fixes, a "fixing…" entry while they are computed, and "wrong"."""
        offers = self.for_slot(slot)
        actions = []
        for rank, fix in enumerate(offers):
            actions.append(convert.fix_action(title_of(fix), doc.uri, fixset.version, fixset.text, fix.edits, fix.id,
                                              [slot.lsp], encoding, preferred=rank == 0 and fix.verified and not fix.risky))
            self.show(doc, fixset, slot, fix, encoding, rank)
        if slot.state == "pending" and resolvable:
            actions.append(convert.pending_action(doc.uri, fixset.version, fixset.revision, slot.key, [slot.lsp]))
        if offers:
            actions.append(convert.reject_action(offers[0].id, [slot.lsp]))
        return actions

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
        self.show(doc, fixset, slot, best, encoding)
        return convert.fix_action(title_of(best), doc.uri, fixset.version, fixset.text, best.edits, best.id,
                                  [slot.lsp], encoding)

    # --- what became of them ---

    def show(self, doc: TrackedDocument, fixset: FixSet, slot: FixSlot, fix: Fix, encoding: str, rank: int = 0) -> None:
        """Record an offer the first time it is shown; a checked fix replaces rustc's same unchecked one."""
        if fix.id in self.offered:
            return
        for quick in slot.quick if fix.checked else ():
            if change_of(quick) == change_of(fix) and self.shown.pop(quick.id, None) is not None:
                # The same change, now known to compile, replaces the quick offer; that one stays
                # without an outcome since the user never decided on it.
                log.debug("offer %s superseded by checked fix %s", quick.id, fix.id)
        diagnostic = slot.diagnostic
        shown = ShownOffer(fix.id, doc.uri, fixset.revision, diagnostic.code or "", diagnostic.message, title_of(fix))
        self.shown[fix.id] = self.offered[fix.id] = shown
        edits = [{"range": [[e.range.start.line, e.range.start.character], [e.range.end.line, e.range.end.character]],
                  "new_text": e.new_text} for e in convert.lsp_text_edits(fixset.text, fix.edits, encoding)]
        case = ErrorCase.of(diagnostic, doc.rel_path or doc.path.name, fixset.text)
        offer = Offer(
            fix.id, FixRecord.of(case, fixset.text, fix.new_text, fix.provider, title_of(fix), rank),
            file=str(doc.path), crate_root=str(doc.crate.root) if doc.crate else "", model=fix.model or "",
            adapter=fix.adapter or "", verified=fix.verified,
            latency_ms=float(fix.latency_ms) if fix.checked else (time.monotonic() - fixset.started) * 1000,
            risks=[r.reason for r in fix.risks or ()], tests=fix.tests.label if fix.tests else "", edits=edits,
        )
        self.record(f"offer {fix.id}", lambda m: m.record_offer(offer))

    def accept(self, fix_id: str) -> Future:
        """Record that the user applied an offer; ValueError (a sentence) for an id never offered."""
        if fix_id not in self.offered:
            raise ValueError(f"sleepy never offered a fix with the id {fix_id!r} in this session, so it records nothing")
        self.shown.pop(fix_id, None)
        self.accepted.append(fix_id)
        return self.record(f"accept {fix_id}", lambda m: m.record_outcome(fix_id, "accepted"))

    def take_back_last(self) -> tuple[str, Future | None]:
        """Turn the latest acceptance into a rejection, once; a sentence that names the fix."""
        if not self.accepted:
            return "sleepy has not applied a fix in this session, so there is none to take back", None
        last = self.accepted[-1]
        if last in self.taken_back:
            return f"the last applied fix ({self.offered[last].title}) is already recorded as wrong", None
        self.taken_back.add(last)
        done = self.reject(last, "the user took back the fix after accepting it", take_back=True)
        return f"took back {self.offered[last].title}: it is recorded as wrong", done

    def reject(self, fix_id: str, note: str, take_back: bool = False) -> Future:
        """Record a rejection; take_back turns an earlier acceptance of the same fix into one."""
        self.shown.pop(fix_id, None)
        self.rejected.add(fix_id)

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
            del self.shown[fix_id]
            why = note
            if why is None:
                gone = (offer.error_code, offer.message) not in present
                why = "the error went away through another edit" if gone else "the code changed under the offer"
            self.record(f"ignored {fix_id}", lambda m, i=fix_id, n=why: m.record_outcome(i, "ignored", n))
