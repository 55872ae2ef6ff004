"""The repair engine on every koan split: rustc's own suggestions alone, the engine at an earlier commit, and now.

    .venv/bin/python bench/splits.py [--before REV] [--splits eval,train,holdout] [--out bench/results/splits.md]

Each koan's broken file is repaired the way `sleepy eval` does it (the first fix at each error, in
up to five rounds, no model), then judged with its hidden tests. Besides passes per split it
reports the seconds to the first verified fix (p50, p95) and the candidates cargo checked per
error. `before` runs from a git worktree of --before in its own process, so both engines see the
same koans and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KOANS = ROOT / "koans"
FIXERS = ("suggestions", "before", "engine")
SPLITS = ("eval", "train", "holdout")
BEFORE = "1cbc46d"  # the last commit before the repair operators (issue #16)


def make_engine(name: str):
    from sleepy_lsp.engine.engine import Candidate, FixEngine
    from sleepy_lsp.engine.strategies import build_engine

    if name != "suggestions":
        return build_engine("full")
    from sleepy_lsp.repair.rustc_suggestions import rustc_candidates

    class OwnSuggestions:
        name = "rustc"

        def propose(self, ctx):
            return [Candidate(s.edits, "rustc", s.message) for s in rustc_candidates(ctx.diagnostic, ctx.rel_path)]

    return FixEngine([OwnSuggestions()], max_rounds=5)


def repair_koan(judge, engine, koan) -> dict:
    """Repair one koan, counting the candidates cargo checks, and judge the result."""
    with judge.shadow(koan) as shadow:
        checks = 0
        check = shadow.check

        def counted(*args, **kwargs):
            nonlocal checks
            checks += 1
            return check(*args, **kwargs)

        shadow.check = counted
        started = time.monotonic()
        repaired = engine.repair(shadow, koan.source_rel, koan.broken, allow_risky=True)
        seconds = time.monotonic() - started
        shadow.check = check
        verdict = judge.judge(koan, repaired.code, shadow)
    first = repaired.fixes[0].latency_ms / 1000 if repaired.fixes else None
    errors = max(1, len(repaired.found))
    return {"id": koan.id, "split": koan.split, "passed": verdict.passed, "seconds": seconds,
            "first_fix_s": first, "checks_per_error": max(0, checks - 1) / errors}


def work(fixer: str, splits: list[str]) -> list[dict]:
    from sleepy_lsp.benchmark.judge import Judge
    from sleepy_lsp.benchmark.koans import load_koans

    engine = make_engine(fixer)
    judge = Judge(jobs=1)
    results = []
    for split in splits:
        koans = load_koans(KOANS, split=split)
        for i, koan in enumerate(koans, 1):
            results.append(repair_koan(judge, engine, koan))
            print(f"{fixer} {split}: {i}/{len(koans)}", file=sys.stderr, flush=True)
    return results


def run_before(rev: str, splits: list[str]) -> list[dict]:
    """The engine at commit rev, from a git worktree, in its own process (koans from this tree)."""
    with tempfile.TemporaryDirectory(prefix="sleepy-before-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True, capture_output=True)
        try:
            out = Path(tmp) / "results.json"
            subprocess.run([sys.executable, __file__, "--worker", "before", "--worker-out", str(out),
                            "--splits", ",".join(splits)], env={**os.environ, "PYTHONPATH": str(tree)}, check=True)
            return json.loads(out.read_text())
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)


def percentile(values: list[float], q: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]:.1f}"


def table(results: dict[str, list[dict]], splits: list[str]) -> str:
    fixers = list(results)
    lines = ["| split | koans | " + " | ".join(fixers) + " |", "| --- | --- |" + " --- |" * len(fixers)]
    for split in splits:
        rows = {f: [r for r in rs if r["split"] == split] for f, rs in results.items()}
        count = len(next(iter(rows.values())))
        cells = [f"{sum(r['passed'] for r in rows[f])} ({100 * sum(r['passed'] for r in rows[f]) / max(1, count):.0f}%)"
                 for f in fixers]
        lines.append(f"| {split} | {count} | " + " | ".join(cells) + " |")
    for label, q in (("first verified fix p50 (s)", 0.5), ("first verified fix p95 (s)", 0.95)):
        lines.append(f"| {label} | | " + " | ".join(
            percentile([r["first_fix_s"] for r in results[f] if r["first_fix_s"] is not None], q) for f in fixers) + " |")
    lines.append("| candidates checked per error | | " + " | ".join(
        f"{statistics.mean(r['checks_per_error'] for r in results[f]):.1f}" for f in fixers) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixers", default=",".join(FIXERS))
    parser.add_argument("--before", default=BEFORE, help="the commit whose engine is `before`")
    parser.add_argument("--splits", default=",".join(SPLITS))
    parser.add_argument("--out", type=Path, help="write the table (markdown) and results (json beside it) here")
    parser.add_argument("--worker", choices=FIXERS, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    splits = args.splits.split(",")
    if args.worker:
        args.worker_out.write_text(json.dumps(work(args.worker, splits)))
        return
    started = time.monotonic()
    results = {f: run_before(args.before, splits) if f == "before" else work(f, splits) for f in args.fixers.split(",")}
    report = table(results, splits)
    print(report)
    print(f"\n{sum(map(len, results.values()))} repairs in {(time.monotonic() - started) / 60:.0f} minutes")
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
