"""The fix engine's benchmark: every strategy on the eval split, before and after one day on the train split.

    .venv/bin/python bench/eval_strategies.py [--backend llama_cpp] [--samples 1] [--max-tokens 96] [--out FILE]

The day's memory lives in a fresh temporary database, so the run never touches
the user's fix memory. Prints markdown tables: pass counts per family and
strategy, koans fixed per minute, and p50/p95 time from asking for fixes for
a koan's first error to its first verified fix.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sleepy_lsp.benchmark.day import run_day
from sleepy_lsp.benchmark.evaluate import evaluate, summarise
from sleepy_lsp.benchmark.judge import Judge
from sleepy_lsp.benchmark.koans import load_koans
from sleepy_lsp.engine.strategies import build_engine
from sleepy_lsp.memory.index import MemoryIndex
from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.model.backends import make_backend
from sleepy_lsp.vocabulary import KOAN_FAMILIES as FAMILIES
from sleepy_lsp.vocabulary import SERVER_STRATEGIES as STRATEGIES

KOANS = Path(__file__).resolve().parent.parent / "koans"
STUDY_FAMILIES = ("borrow", "trait_bounds", "result")  # the eval koans bc_, tb_ and rh_ pose the study's 30


def measure(judge, koans, store, backend, samples, max_tokens) -> dict[str, dict]:
    memory = MemoryIndex.from_store(store)
    rows = {}
    for strategy in STRATEGIES:
        engine = build_engine(strategy, backend, memory, samples=samples, max_tokens=max_tokens)
        started = time.monotonic()
        results = evaluate(judge, koans, engine)
        minutes = (time.monotonic() - started) / 60
        latencies = [r.first_fix_ms / 1000 for r in results if r.first_fix_ms is not None]
        rows[strategy] = {
            "scores": {s.family: s.passed for s in summarise(results)},
            "fixes_per_minute": sum(r.passed for r in results) / minutes if minutes else 0.0,
            "p50": statistics.median(latencies) if latencies else None,
            "p95": statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 2 else None,
        }
        print(f"  {strategy}: {rows[strategy]['scores']['total']}/{len(koans)}", flush=True)
    return rows


def table(title: str, rows: dict[str, dict], koans) -> str:
    counts = {f: sum(k.family == f for k in koans) for f in FAMILIES}
    out = [f"**{title}**", "", "| family | koans | " + " | ".join(STRATEGIES) + " |",
           "| --- | --- |" + " --- |" * len(STRATEGIES)]
    for family in (*FAMILIES, "total"):
        n = counts.get(family, len(koans))
        out.append(f"| {family} | {n} | " + " | ".join(str(rows[s]["scores"].get(family, 0)) for s in STRATEGIES) + " |")
    study = sum(counts[f] for f in STUDY_FAMILIES)
    out.append(f"| the study's 30 problems | {study} | "
               + " | ".join(str(sum(rows[s]["scores"].get(f, 0) for f in STUDY_FAMILIES)) for s in STRATEGIES) + " |")
    fmt = lambda v: "-" if v is None else f"{v:.1f}"
    out.append("| koans fixed per minute | | " + " | ".join(fmt(rows[s]["fixes_per_minute"]) for s in STRATEGIES) + " |")
    out.append("| first verified fix p50 (s) | | " + " | ".join(fmt(rows[s]["p50"]) for s in STRATEGIES) + " |")
    out.append("| first verified fix p95 (s) | | " + " | ".join(fmt(rows[s]["p95"]) for s in STRATEGIES) + " |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="llama_cpp", choices=("none", "llama_cpp", "transformers"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--samples", type=int, default=1, help="model answers per error")
    parser.add_argument("--max-tokens", type=int, default=96, help="longest model answer")
    parser.add_argument("--threads", type=int, default=None, help="llama_cpp threads [every core]")
    parser.add_argument("--jobs", type=int, default=None, help="cargo checks at once")
    parser.add_argument("--out", type=Path, default=None, help="also write the markdown here")
    args = parser.parse_args()

    backend = make_backend(args.backend, args.model, args.threads)
    judge = Judge(jobs=args.jobs)
    eval_koans = load_koans(KOANS, split="eval")
    run_started = time.monotonic()
    header = (f"backend `{args.backend}` ({backend.model_name or 'no model'}), {args.samples} sample(s) "
              f"of at most {args.max_tokens} tokens per error")
    with tempfile.TemporaryDirectory() as tmp, FixMemory.open(Path(tmp) / "bench.db") as store:
        print("before the day:", flush=True)
        before = measure(judge, eval_koans, store, backend, args.samples, args.max_tokens)
        emit(args, [header, table("Before the day (empty fix memory)", before, eval_koans)])
        day_engine = build_engine("full", backend, MemoryIndex.from_store(store), samples=args.samples,
                                  max_tokens=args.max_tokens)
        day = run_day(judge, load_koans(KOANS, split="train"), day_engine, store, "full", backend.model_name or "")
        print(f"day: {day.passed}/{day.attempted} train koans fixed; failures paired with their solutions", flush=True)
        after = measure(judge, eval_koans, store, backend, args.samples, args.max_tokens)
    header += f"; {(time.monotonic() - run_started) / 60:.0f} minutes in all"
    emit(args, [header, table("Before the day (empty fix memory)", before, eval_koans),
                table(f"After one day on the train split ({day.passed}/{day.attempted} fixed by the engine)",
                      after, eval_koans)])


def emit(args, parts: list[str]) -> None:
    """Print the tables so far and write them to --out, so a long run leaves what it measured."""
    report = "\n\n".join(parts)
    print(report, flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report + "\n")


if __name__ == "__main__":
    main()
