"""Check the recurring-fix corpus: every project builds, every occurrence breaks the way it says,
rustc's own suggestions never give the project's idiom, and the plausible wrong fixes fail the hidden tests.

    python bench/recurring/verify.py [--only NAME ...] [--root DIR]

For each project folder (see recurring_data.py for the format):
  (a) recurring.toml: at least 5 occurrences in distinct functions, each `fixed`
      unique in src/lib.rs and inside its function; the manifest is a standalone
      edition-2021 crate with no dependencies; lib.rs has at least 150 non-blank lines;
  (b) lib.rs compiles, and with check.rs appended `cargo test --offline` passes;
  (c) each occurrence alone in its broken form fails `cargo check` with the
      project's error code, every error's primary span inside that function;
  (d) each suggestion rustc attaches to those errors, applied, does not give
      the `fixed` text there (and, judged, does not pass the hidden tests);
  (e) each listed wrong fix compiles and fails at least one hidden test;
  (f) with every occurrence broken at once, each function still reports the code.
Builds run one at a time, in a scratch copy, with CARGO_TARGET_DIR under
~/.cache/sleepy-recurring-target/<name>; nothing is written to the corpus.
Standard library only; exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from recurring_data import CorpusError, Project, broken_text, function_span, load_projects, render, with_check  # noqa: E402

MIN_OCCURRENCES = 5
MIN_LINES = 150
CARGO_TIMEOUT_S = 300
TARGET_ROOT = Path.home() / ".cache" / "sleepy-recurring-target"


@dataclass
class Diagnostic:
    code: str | None
    message: str
    start: int  # byte offsets of the primary span in src/lib.rs
    end: int
    suggestions: list[list[tuple[int, int, str]]]  # per child: its (start, end, replacement) edits


@dataclass
class TestRun:
    compiled: bool
    passed: bool
    failed_tests: list[str] = field(default_factory=list)
    output: str = ""


class ScratchCrate:
    """A scratch copy of one project's crate; lib.rs is rewritten before each build."""

    def __init__(self, project: Project):
        self.project = project
        self.dir = Path(tempfile.mkdtemp(prefix=f"recurring-{project.name}-"))
        (self.dir / "src").mkdir()
        # the hidden tests make their scratch files under temp_dir(): keep them in here, removed by close()
        self.tmp = self.dir / "tmp"
        self.tmp.mkdir()
        shutil.copy(project.manifest_path, self.dir / "Cargo.toml")
        self.lib = self.dir / "src" / "lib.rs"
        self.target = TARGET_ROOT / project.name
        self.target.mkdir(parents=True, exist_ok=True)
        self._mtime = 0.0
        self.builds = 0

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def _write(self, text: str) -> None:
        self.lib.write_text(text, encoding="utf-8")
        # cargo's fingerprint compares mtimes: make every rewrite strictly newer than the last build
        self._mtime = max(time.time(), self._mtime + 1.0)
        os.utime(self.lib, (self._mtime, self._mtime))

    def _cargo(self, *args: str, test_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        env = dict(os.environ, CARGO_TARGET_DIR=str(self.target), CARGO_TERM_COLOR="never", RUST_BACKTRACE="0",
                   TMPDIR=str(self.tmp))
        env.pop("RUSTFLAGS", None)
        self.builds += 1
        return subprocess.run(
            ["cargo", *args, "--offline", "--jobs", "1", *(("--", *test_args) if test_args else ())],
            cwd=self.dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=CARGO_TIMEOUT_S,
        )

    def check(self, text: str) -> tuple[list[Diagnostic], list[Diagnostic]]:
        """(errors, warnings) of `cargo check` on lib.rs = text."""
        self._write(text)
        proc = self._cargo("check", "--message-format=json")
        errors, warnings = [], []
        for line in proc.stdout.splitlines():
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            if message.get("reason") != "compiler-message":
                continue
            diag = _diagnostic(message["message"])
            if diag is None:
                continue
            level = message["message"].get("level")
            (errors if level == "error" else warnings if level == "warning" else []).append(diag)
        if proc.returncode != 0 and not errors:
            raise RuntimeError(f"cargo check failed without a diagnostic:\n{proc.stderr[-2000:]}")
        return errors, warnings

    def test(self, text: str) -> TestRun:
        """Build lib.rs = text with the hidden tests appended, then run them."""
        self._write(with_check(text, self.project.check_text))
        built = self._cargo("test", "--no-run")
        if built.returncode != 0:
            return TestRun(False, False, output=built.stderr[-3000:])
        ran = self._cargo("test", test_args=("--test-threads=1",))
        failed = re.findall(r"^test (\S+) \.\.\. FAILED$", ran.stdout, flags=re.M)
        return TestRun(True, ran.returncode == 0, failed, ran.stdout[-3000:] + ran.stderr[-1500:])


def _diagnostic(message: dict) -> Diagnostic | None:
    primary = [s for s in message.get("spans", []) if s.get("is_primary") and s.get("file_name") == "src/lib.rs"]
    if not primary:
        return None
    suggestions = []

    def collect(children: list[dict]) -> None:
        for child in children:
            edits = [
                (s["byte_start"], s["byte_end"], s["suggested_replacement"])
                for s in child.get("spans", [])
                if s.get("suggested_replacement") is not None and s.get("file_name") == "src/lib.rs"
            ]
            if edits:
                suggestions.append(edits)
            collect(child.get("children", []))

    collect(message.get("children", []))
    code = (message.get("code") or {}).get("code")
    return Diagnostic(code, message.get("message", ""), primary[0]["byte_start"], primary[0]["byte_end"], suggestions)


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str | None:
    """Apply byte-offset edits to text; None when they overlap."""
    data = text.encode("utf-8")
    edits = sorted(edits)
    for (_, end, _), (start, _, _) in zip(edits, edits[1:]):
        if start < end:
            return None
    out, cursor = bytearray(), 0
    for start, end, replacement in edits:
        out += data[cursor:start] + replacement.encode("utf-8")
        cursor = end
    out += data[cursor:]
    return out.decode("utf-8")


def suggestion_candidates(suggestion: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """rustc's JSON flattens multipart suggestions and alternatives into one list of spans:
    try them all together (multipart) and each alone (alternatives)."""
    candidates = [suggestion]
    if len(suggestion) > 1:
        candidates += [[edit] for edit in suggestion]
    return candidates


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def byte_span(text: str, name: str) -> tuple[int, int]:
    start, end = function_span(text, name)
    return len(text[:start].encode("utf-8")), len(text[:end].encode("utf-8"))


def shorten(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


class Verifier:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.lines: list[str] = []

    def say(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)

    def fail(self, project: Project, what: str) -> None:
        self.problems.append(f"{project.name}: {what}")
        self.say(f"    FAIL {what}")

    # (a)
    def check_format(self, project: Project) -> bool:
        ok = True

        def bad(what: str) -> None:
            nonlocal ok
            ok = False
            self.fail(project, what)

        manifest = tomllib.loads(project.manifest_path.read_text(encoding="utf-8"))
        package = manifest.get("package", {})
        if package.get("edition") != "2021":
            bad("Cargo.toml: edition is not 2021")
        if "workspace" not in manifest:
            bad("Cargo.toml: no [workspace] table (the crate must be its own workspace)")
        if any(manifest.get(key) for key in ("dependencies", "dev-dependencies", "build-dependencies")):
            bad("Cargo.toml: has dependencies")
        lines = sum(1 for line in project.lib_text.splitlines() if line.strip())
        if lines < MIN_LINES:
            bad(f"src/lib.rs has {lines} non-blank lines, fewer than {MIN_LINES}")
        if len(project.occurrences) < MIN_OCCURRENCES:
            bad(f"{len(project.occurrences)} occurrences, fewer than {MIN_OCCURRENCES}")
        functions = [o.function for o in project.occurrences]
        if len(set(functions)) != len(functions):
            bad(f"occurrences share a function: {functions}")
        for occurrence in project.occurrences:
            where = f"occurrence {occurrence.index} ({occurrence.function})"
            count = project.lib_text.count(occurrence.fixed)
            if count != 1:
                bad(f"{where}: `fixed` occurs {count} times in src/lib.rs, not once")
                continue
            if occurrence.broken == occurrence.fixed:
                bad(f"{where}: `broken` is the same as `fixed`")
            if not occurrence.wrong:
                bad(f"{where}: no `wrong` fix listed")
            if occurrence.fixed in occurrence.wrong or occurrence.broken in occurrence.wrong:
                bad(f"{where}: a `wrong` fix is the fixed or the broken text")
            try:
                start, end = function_span(project.lib_text, occurrence.function)
            except CorpusError as exc:
                bad(f"{where}: {exc}")
                continue
            at = project.lib_text.find(occurrence.fixed)
            if not (start <= at and at + len(occurrence.fixed) <= end):
                bad(f"{where}: `fixed` is not inside fn {occurrence.function}")
        try:
            render(project, {o.index: o.broken for o in project.occurrences})
        except CorpusError as exc:
            bad(str(exc))
        self.say(
            f"  (a) format: {lines} non-blank lines, {len(project.occurrences)} occurrences"
            + ("" if ok else " -- FAILED")
        )
        return ok

    def verify(self, project: Project) -> None:
        self.say(f"\n== {project.name} [{project.error_code}] {project.idiom}")
        if not self.check_format(project):
            return
        crate = ScratchCrate(project)
        started = time.monotonic()
        try:
            self.verify_builds(project, crate)
        finally:
            crate.close()
        self.say(f"  {crate.builds} cargo runs, {time.monotonic() - started:.0f} s")

    def verify_builds(self, project: Project, crate: ScratchCrate) -> None:
        # (b)
        errors, warnings = crate.check(project.lib_text)
        if errors:
            self.fail(project, f"src/lib.rs does not compile: {errors[0].message}")
            return
        run = crate.test(project.lib_text)
        if not run.compiled or not run.passed:
            self.fail(project, f"hidden tests do not pass on src/lib.rs: {run.failed_tests or run.output[-800:]}")
            return
        tests = len(re.findall(r"^\s*#\[test\]", project.check_text, flags=re.M))
        self.say(f"  (b) builds ({len(warnings)} warnings), {tests} hidden tests pass")

        for occurrence in project.occurrences:
            self.verify_occurrence(project, crate, occurrence.index)

        # (f)
        everything_broken = broken_text(project, 0, fixed_before=set())
        errors, _ = crate.check(everything_broken)
        silent = []
        for occurrence in project.occurrences:
            start, end = byte_span(everything_broken, occurrence.function)
            if not any(e.code == project.error_code and start <= e.start and e.end <= end for e in errors):
                silent.append(occurrence.function)
        if silent:
            self.fail(project, f"(f) all broken at once: no {project.error_code} in {', '.join(silent)}")
        else:
            self.say(
                f"  (f) all {len(project.occurrences)} broken at once: {len(errors)} errors, {project.error_code} in every function"
            )

    def verify_occurrence(self, project: Project, crate: ScratchCrate, index: int) -> None:
        occurrence = project.occurrences[index]
        where = f"#{index} {occurrence.function}"
        self.say(f"  {where}: `{shorten(occurrence.broken, 60)}` -> `{shorten(occurrence.fixed, 70)}`")
        broken = broken_text(project, index)
        # (c)
        errors, _ = crate.check(broken)
        start, end = byte_span(broken, occurrence.function)
        inside = [e for e in errors if start <= e.start and e.end <= end]
        outside = [e for e in errors if e not in inside]
        ours = [e for e in inside if e.code == project.error_code]
        if not ours:
            codes = sorted({str(e.code) for e in errors}) or ["none"]
            self.fail(
                project, f"{where}: broken form gives {', '.join(codes)}, not {project.error_code} in the function"
            )
            return
        if outside:
            self.fail(project, f"{where}: broken form also errs outside the function: {outside[0].message}")
        codes = ", ".join(sorted({str(e.code) for e in errors}))
        self.say(
            f"    (c) {len(errors)} error(s) [{codes}], all inside fn {occurrence.function}: {shorten(ours[0].message, 70)}"
        )

        # (d)
        wanted = squeeze(occurrence.fixed)
        seen: set[str] = set()
        reported = []
        for error in inside:
            for suggestion in error.suggestions:
                for edits in suggestion_candidates(suggestion):
                    applied = apply_edits(broken, edits)
                    if applied is None or applied in seen:
                        continue
                    seen.add(applied)
                    if occurrence.fixed in applied or squeeze(applied).count(wanted) > squeeze(broken).count(wanted):
                        self.fail(project, f"{where}: rustc's suggestion {edits} gives the project's fix")
                        continue
                    if edits is not suggestion:
                        continue  # a lone part of a multipart suggestion: checked above, not judged
                    run = crate.test(applied)
                    verdict = (
                        "does not compile"
                        if not run.compiled
                        else (
                            "PASSES the hidden tests" if run.passed else f"fails {len(run.failed_tests)} hidden test(s)"
                        )
                    )
                    if run.compiled and run.passed:
                        self.fail(project, f"{where}: rustc's suggestion passes the hidden tests: {edits}")
                    changed = _changed_line(broken, applied)
                    reported.append(f"`{shorten(changed, 70)}` {verdict}")
        if reported:
            for line in reported:
                self.say(f"    (d) rustc suggests {line}")
        else:
            self.say("    (d) rustc suggests no edit")

        # (e)
        for wrong in occurrence.wrong:
            run = crate.test(render(project, {index: wrong}))
            if not run.compiled:
                self.fail(
                    project,
                    f"{where}: wrong fix `{shorten(wrong, 60)}` does not compile (it should, and fail the tests)",
                )
            elif run.passed:
                self.fail(project, f"{where}: wrong fix `{shorten(wrong, 60)}` passes the hidden tests")
            else:
                names = ", ".join(t.rsplit("::", 1)[-1] for t in run.failed_tests[:3])
                more = f" +{len(run.failed_tests) - 3}" if len(run.failed_tests) > 3 else ""
                self.say(f"    (e) wrong `{shorten(wrong, 60)}` compiles, fails {names}{more}")


def _changed_line(before: str, after: str) -> str:
    """The first line of `after` that differs from `before`, for the report."""
    for old, new in zip(before.splitlines(), after.splitlines()):
        if old != new:
            return new.strip()
    return "(no visible change)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent, help="the corpus folder")
    parser.add_argument("--only", action="append", default=[], help="verify just this project (repeatable)")
    args = parser.parse_args(argv)
    if shutil.which("cargo") is None:
        print("cargo is not on PATH: install Rust with rustup (https://rustup.rs) and run this again.")
        return 2
    try:
        projects = load_projects(args.root)
    except CorpusError as exc:
        print(f"corpus error: {exc}")
        return 1
    if args.only:
        unknown = set(args.only) - {p.name for p in projects}
        if unknown:
            print(f"no such project: {', '.join(sorted(unknown))}")
            return 2
        projects = [p for p in projects if p.name in args.only]
    verifier = Verifier()
    started = time.monotonic()
    for project in projects:
        verifier.verify(project)
    print(
        f"\n{len(projects)} projects, {sum(len(p.occurrences) for p in projects)} occurrences, {time.monotonic() - started:.0f} s"
    )
    if verifier.problems:
        print(f"{len(verifier.problems)} problem(s):")
        for problem in verifier.problems:
            print(f"  - {problem}")
        return 1
    print("all checks pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
