"""The mutation benchmark: fix each mutant of three real crates, then judge the fix by the crate's tests.

Each mutant (bench/mutants/mutants.json) breaks `cargo check` of a crate that has
unit tests. A fixer gets the broken crate and fixes every file with errors; the
result **passed** when the crate compiles and its tests pass, is **wrong** when
it compiles and a test fails, **unfixed** when it does not compile. A passing
fix the risk check calls risky (a panic added, code dropped, an API changed) is
counted as risky too. Fixers:

- `rustc`: rustc's own suggestions only, the first that compiles at each error;
- `before`: the engine at an earlier commit (`--before REV`, default the one before the
  risk check and test verification), run from a git worktree of that commit;
- `engine`: the engine as it is: clean fixes before risky ones (risky ones are not
  applied), and the crate's tests run on the fixes that compile.

    python bench/mutants.py [--fixers rustc,before,engine] [--limit N] [--out bench/results/mutants.md]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "mutants"))
from mutants_data import CRATES_DIR, KINDS, load_mutants, mutated_source  # noqa: E402

BEFORE = "5ca4092"  # the commit before the risk check and the test verification (issue #15)
FIXERS = ("rustc", "before", "engine")
OUTCOMES = ("passed", "wrong", "unfixed")


# --- the worker: fixes mutants with the sleepy_lsp found on sys.path (this tree's, or a worktree's) ----


def cargo(args: list[str], cwd: Path, target: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_TERM_COLOR": "never"}
    return subprocess.run(["cargo", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def files_with_errors(crate: Path, target: Path) -> list[str]:
    run = cargo(["check", "--offline", "--message-format=json"], crate, target)
    files = []
    for line in run.stdout.splitlines():
        message = json.loads(line).get("message") if line.startswith("{") else None
        if message and message.get("level") == "error":
            span = next((s for s in message.get("spans", []) if s.get("is_primary")), None)
            if span and span["file_name"] not in files:
                files.append(span["file_name"])
    return files


def judge(crate: Path, target: Path) -> str:
    if files_with_errors(crate, target) or cargo(["check", "--offline"], crate, target).returncode:
        return "unfixed"
    return "passed" if cargo(["test", "--offline", "--quiet"], crate, target).returncode == 0 else "wrong"


def make_fixer(name: str):
    """repair(shadow, rel, code) -> new code, for this fixer, with the sleepy_lsp on sys.path."""
    from sleepy_lsp.engine.engine import FixEngine
    from sleepy_lsp.engine.strategies import build_engine

    if name == "rustc":
        from sleepy_lsp.engine.engine import Candidate
        from sleepy_lsp.repair.rustc_suggestions import rustc_candidates

        class OwnSuggestions:
            name = "rustc"

            def propose(self, ctx):
                return [Candidate(s.edits, "rustc", s.message) for s in rustc_candidates(ctx.diagnostic, ctx.rel_path)]

        engine = FixEngine([OwnSuggestions()], max_rounds=1)
    else:
        engine = build_engine("full")
    options = {}
    if "tests" in inspect.signature(engine.repair).parameters and name == "engine":
        from sleepy_lsp.engine.engine import TestPolicy

        options = {"allow_risky": False, "tests": TestPolicy(budget=120)}
    return lambda shadow, rel, code: engine.repair(shadow, rel, code, **options).code


def fix_mutant(fixer, mutant, work: Path) -> dict:
    """Break a copy of the mutant's crate, fix every file with errors (at most three rounds), judge it."""
    from sleepy_lsp.rust.shadow import ShadowCrate

    crate = work / mutant.crate
    if not crate.exists():
        shutil.copytree(CRATES_DIR / mutant.crate, crate, ignore=shutil.ignore_patterns("target"))
    target = work / f"{mutant.crate}-target"
    broken = mutated_source(mutant)
    (crate / mutant.file).write_text(broken, encoding="utf-8")
    started = time.monotonic()
    try:
        for _ in range(3):
            files = files_with_errors(crate, target)
            if not files:
                break
            for rel in files:
                code = (crate / rel).read_text(encoding="utf-8")
                (crate / rel).write_text(fixer(ShadowCrate(crate, target, 300.0), rel, code), encoding="utf-8")
        seconds = time.monotonic() - started
        fixed = (crate / mutant.file).read_text(encoding="utf-8")
        outcome = judge(crate, target)
    finally:
        for path in (CRATES_DIR / mutant.crate).rglob("*.rs"):
            shutil.copyfile(path, crate / path.relative_to(CRATES_DIR / mutant.crate))
    return {"id": mutant.id, "kind": mutant.kind, "outcome": outcome, "seconds": seconds, "broken": broken,
            "fixed": fixed}


def work(fixer_name: str, limit: int | None, kinds: set[str]) -> list[dict]:
    fixer = make_fixer(fixer_name)
    mutants = [m for m in load_mutants() if m.kind in kinds][:limit]
    results = []
    with tempfile.TemporaryDirectory(prefix="sleepy-mutants-") as tmp:
        for i, mutant in enumerate(mutants, 1):
            results.append(fix_mutant(fixer, mutant, Path(tmp)))
            print(f"{fixer_name}: {i}/{len(mutants)} {mutant.id} {results[-1]['outcome']}", file=sys.stderr, flush=True)
    return results


# --- the driver ----------------------------------------------------------------------------------


def run_before(rev: str, limit: int | None, kinds: set[str]) -> list[dict]:
    """The engine at commit `rev`, from a git worktree, in its own process."""
    with tempfile.TemporaryDirectory(prefix="sleepy-before-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            out = Path(tmp) / "results.json"
            env = {**os.environ, "PYTHONPATH": str(tree)}
            subprocess.run([sys.executable, __file__, "--worker", "before", "--worker-out", str(out),
                            "--kinds", ",".join(sorted(kinds)), *(["--limit", str(limit)] if limit else [])],
                           env=env, cwd=tree, check=True)
            return json.loads(out.read_text())
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)


def risky(result: dict) -> bool:
    """Whether the fix, as the whole change it made to the mutated file, is one the risk check flags."""
    from sleepy_lsp.repair.risk import assess
    from sleepy_lsp.rust.edits import replacement

    return bool(assess(result["broken"], replacement(result["broken"], result["fixed"])))


def table(results: dict[str, list[dict]]) -> str:
    fixers = list(results)
    lines = ["| kind | mutants | " + " | ".join(f"{f}: passed / wrong / risky but passing" for f in fixers) + " |",
             "| --- | --- |" + " --- |" * len(fixers)]
    for kind in [*KINDS, "total"]:
        row = []
        count = 0
        for fixer in fixers:
            chosen = [r for r in results[fixer] if kind in (r["kind"], "total")]
            count = len(chosen)
            tally = Counter(r["outcome"] for r in chosen)
            passing_risky = sum(1 for r in chosen if r["outcome"] == "passed" and risky(r))
            row.append(f"{tally['passed']} / {tally['wrong']} / {passing_risky}")
        if count:
            lines.append(f"| {'**total**' if kind == 'total' else kind} | {count} | " + " | ".join(row) + " |")
    seconds = {f: sum(r["seconds"] for r in rs) / max(1, len(rs)) for f, rs in results.items()}
    lines.append("| seconds per mutant | | " + " | ".join(f"{seconds[f]:.1f}" for f in fixers) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixers", default=",".join(FIXERS), help="which fixers, comma-separated")
    parser.add_argument("--before", default=BEFORE, help="the commit whose engine is `before`")
    parser.add_argument("--limit", type=int, help="only the first N mutants (of the chosen kinds)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="which mutation kinds, comma-separated")
    parser.add_argument("--out", type=Path, help="write the table (markdown) and results (json beside it) here")
    parser.add_argument("--worker", choices=FIXERS, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    kinds = set(args.kinds.split(","))
    if args.worker:
        args.worker_out.write_text(json.dumps(work(args.worker, args.limit, kinds)))
        return
    started = time.monotonic()
    results: dict[str, list[dict]] = defaultdict(list)
    for fixer in args.fixers.split(","):
        results[fixer] = run_before(args.before, args.limit, kinds) if fixer == "before" else \
            work(fixer, args.limit, kinds)
    report = table(results)
    print(report)
    print(f"\n{sum(len(r) for r in results.values())} fixes in {(time.monotonic() - started) / 60:.0f} minutes")
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(
            {f: [{k: v for k, v in r.items() if k not in ("broken", "fixed")} | {"risky": risky(r)} for r in rs]
             for f, rs in results.items()}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
