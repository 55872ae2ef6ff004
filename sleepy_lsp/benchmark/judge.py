"""The koan judge: does a candidate source file build and pass the koan's hidden tests?

The candidate is untrusted code: it is built in a scratch shadow crate with
timeouts (cargo's whole process group is killed), and nothing is ever written
into the koan folder.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from ..rust.cargo import find_cargo
from ..rust.diagnostics import Diagnostic, error_codes, errors
from ..rust.scratch import cache_root
from ..rust.shadow import ShadowCrate, TargetPool, shadow_of_files
from .koans import Koan

T = TypeVar("T")

CHECK_MODULE_HEADER = "\n#[cfg(test)]\nmod koan_check {\n    use super::*;\n"


def default_manifest(koan_id: str) -> str:
    """The minimal manifest the judge writes for a koan that brings none."""
    name = "koan_" + "".join(c if c.isalnum() else "_" for c in koan_id.lower())
    return f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'


def crate_files(koan: Koan) -> dict[str, str]:
    """The koan as a plain cargo crate: its manifest and its broken source, by relative path."""
    return {"Cargo.toml": koan.manifest or default_manifest(koan.id), koan.source_rel: koan.broken}


def write_crate(koan: Koan, folder: Path) -> Path:
    """Write the koan as a plain crate into folder (a scratch project to open in an editor); its source path."""
    for rel, text in crate_files(koan).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder / koan.source_rel


def with_hidden_tests(koan: Koan, candidate: str) -> str:
    """The candidate with check.rs appended inside `#[cfg(test)] mod koan_check`."""
    if koan.check is None:
        return candidate
    return candidate.rstrip("\n") + "\n" + CHECK_MODULE_HEADER + koan.check + "\n}\n"


@dataclass
class Verdict:
    """The judge's typed result for one candidate."""

    koan_id: str
    passed: bool
    stage: str  # "passed", "compile" (build errors), "test" (hidden tests failed), "timeout" or "tampered"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    check_seconds: float = 0.0
    test_seconds: float = 0.0
    test_output: str = ""

    @property
    def error_codes(self) -> set[str]:
        return error_codes(self.diagnostics)

    @property
    def seconds(self) -> float:
        return self.check_seconds + self.test_seconds


@contextmanager
def koan_guard(koan: Koan) -> Iterator[list[str]]:
    """Watch the koan folder while untrusted tests run: whatever they change there is put back, and
    the list yielded names what they changed (empty when they kept out)."""
    before = {p: p.read_bytes() for p in Path(koan.path).rglob("*") if p.is_file()}
    changed: list[str] = []
    try:
        yield changed
    finally:
        now = {p for p in Path(koan.path).rglob("*") if p.is_file()}
        for path in now - set(before):
            path.unlink()
            changed.append(path.name)
        for path, data in before.items():
            if not path.is_file() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                changed.append(path.name)


class Judge:
    """Builds koan candidates in shadow crates, several koans in parallel."""

    def __init__(
        self,
        target_root: Path | None = None,
        jobs: int | None = None,
        timeout: float = 120.0,
        cargo: str = "cargo",
    ) -> None:
        self.cargo = find_cargo(cargo)
        self.jobs = jobs or os.cpu_count() or 1
        self.timeout = timeout
        root = Path(target_root) if target_root else cache_root() / "judge-target"
        self.pool = TargetPool(root, self.jobs)

    @contextmanager
    def shadow(self, koan: Koan) -> Iterator[ShadowCrate]:
        """A scratch crate for this koan, holding one target slot while it is open."""
        with self.pool.slot() as target, shadow_of_files(crate_files(koan), target, self.timeout, self.cargo) as shadow:
            yield shadow

    def judge(self, koan: Koan, candidate: str, shadow: ShadowCrate | None = None,
              cancel: threading.Event | None = None) -> Verdict:
        """Build the candidate; when it builds and the koan has hidden tests, run them."""
        if shadow is None:
            with self.shadow(koan) as fresh:
                return self.judge(koan, candidate, fresh, cancel)
        shadow.write(koan.source_rel, with_hidden_tests(koan, candidate))
        checked = shadow.check(cancel)
        verdict = Verdict(koan.id, False, "compile", checked.diagnostics, check_seconds=checked.seconds)
        if checked.timed_out or checked.cancelled:
            verdict.stage = "timeout"
            return verdict
        if checked.errors:
            return verdict
        if koan.check is None:
            verdict.passed, verdict.stage = True, "passed"
            return verdict
        with koan_guard(koan) as tampered:
            run = shadow.test(cancel)
        if tampered:
            verdict.stage = "tampered"
            verdict.test_output = f"the candidate's tests wrote into the koan folder ({', '.join(tampered)}); restored"
            return verdict
        verdict.test_seconds = run.seconds
        verdict.test_output = (run.stdout + run.stderr)[-4000:]
        if run.timed_out or run.cancelled:
            verdict.stage = "timeout"
        elif run.returncode == 0:
            verdict.passed, verdict.stage = True, "passed"
        else:
            verdict.stage = "test"
            verdict.diagnostics = errors(run.diagnostics) or verdict.diagnostics
        return verdict

    def map(self, items: Iterable[T], work: Callable[[T], object],
            on_done: Callable[[object], None] | None = None) -> list:
        """Run work over items on `jobs` threads, results in input order."""
        items = list(items)
        with ThreadPoolExecutor(max_workers=self.jobs) as executor:
            futures = [executor.submit(work, item) for item in items]
            results = []
            for future in futures:
                result = future.result()
                if on_done:
                    on_done(result)
                results.append(result)
        return results
