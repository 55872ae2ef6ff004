"""A writer process for the fix-memory crash and concurrency tests.

Usage: python store_writer.py DB [--count N] [--tag TAG] [--wait] [--pause SECONDS]

Records offers one by one (N of them, or until killed when N is 0) and prints
each fix_id on its own line only after its transaction has committed, so a
test can kill this process at any moment and check that every printed id
survived. With --wait it prints "ready" once the store is open and starts
writing when it reads a line from stdin, so that two writers start together.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conftest import make_offer  # noqa: E402

from sleepy_lsp.memory.store import FixMemory  # noqa: E402
from sleepy_lsp.vocabulary import FAMILIES, PROVIDERS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--tag", default="writer")
    parser.add_argument("--wait", action="store_true")
    parser.add_argument("--pause", type=float, default=0.0, help="sleep between records, as an editor would")
    args = parser.parse_args()
    store = FixMemory.open(args.db, timeout=30)
    if args.wait:
        print("ready", flush=True)
        sys.stdin.readline()
    written = 0
    while args.count == 0 or written < args.count:
        offer = make_offer(
            file=f"src/{args.tag}.rs", error_code="E0502",
            family=FAMILIES[written % len(FAMILIES)], provider=PROVIDERS[written % len(PROVIDERS)],
            title=f"{args.tag} fix {written}", latency_ms=float(written),
            code_before="fn main() { let v = vec![1]; }\n" * 200,  # a few KB, so kills land mid-write
            code_after="fn main() { let mut v = vec![1]; }\n" * 200,
            edits=[{"range": [written, 0, written, 3], "text": "mut "}],
        )
        store.record_offer(offer)
        if written % 2 == 0:
            store.record_outcome(offer.fix_id, "accepted")
        print(offer.fix_id, flush=True)
        written += 1
        time.sleep(args.pause)
    store.close()


if __name__ == "__main__":
    main()
