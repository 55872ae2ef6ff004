"""Review counts each fix once: an offer replaced by the same fix checked is counted as its successor."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conftest import make_offer

from sleepy_lsp.memory.review import build_review, review_json
from sleepy_lsp.memory.store import FixMemory


def test_a_replaced_offer_is_counted_once_as_its_successor_with_its_latency(tmp_path, monkeypatch):
    monkeypatch.delenv("SLEEPY_TELEMETRY", raising=False)
    two_hours_ago = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat()
    with FixMemory.open(tmp_path / "memory.sqlite3") as store:
        for n in range(5):  # five errors: rustc's quick offer, then the same fix checked 0.8-1.6 s after the save
            quick = make_offer(verified=False, latency_ms=4.0, created_at=two_hours_ago, title=f"rustc: fix {n}")
            checked = make_offer(verified=True, latency_ms=800.0 + 200 * n, created_at=two_hours_ago,
                                 title=f"rustc: fix {n} (compiles ✓)")
            store.record_offer(quick)
            store.record_offer(checked)
            store.record_replaced(quick.fix_id, checked.fix_id)
            if n < 4:
                store.record_outcome(checked.fix_id, "accepted")
        figures = review_json(build_review(store, days=1))
    totals = figures["totals"]
    assert (totals["offers"], totals["accepted"], totals["ignored"], totals["pending"]) == (5, 4, 1, 0)
    assert totals["acceptance_rate"] == 0.8
    assert figures["latency_ms"]["count"] == 5 and figures["latency_ms"]["p50"] == 1200.0
    assert figures["by_check"]["not verified"]["offers"] == 0
