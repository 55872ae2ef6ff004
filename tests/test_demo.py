"""`make demo` (examples/demo.py): the main job shown end to end, quickly, in its own folder."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sleepy_lsp.memory.store import FixMemory

REPO = Path(__file__).resolve().parent.parent


def test_the_demo_fixes_accepts_reviews_teaches_and_reuses(tmp_path):
    started = time.monotonic()
    run = subprocess.run([sys.executable, str(REPO / "examples" / "demo.py"), "--dir", str(tmp_path / "demo"),
                          "--timeout", "240"], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert time.monotonic() - started < 300
    out = run.stdout
    for words in ("It finds error[E0596]", "The user picks \"rustc: consider changing this to be mutable (compiles ✓)\"",
                  "Offers by provider", "taught: E0308", "The user picks \"memory", "cargo check of shelf: clean"):
        assert words in out, words
    with FixMemory.open_existing(tmp_path / "demo" / "memory.db", read_only=True) as store:
        outcomes = {(offer.provider, outcome.outcome if outcome else None)
                    for offer, outcome in store.offers_with_outcomes()}
    assert {("rustc", "accepted"), ("memory", "accepted")} <= outcomes
