"""The recurring-fix benchmark end to end on one project: a fix written by hand in the editor, captured by
the real server into the fix memory, makes the next session offer the project's idiom first (issue #14)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("cargo") is None, reason="needs cargo")


def load_bench():
    spec = importlib.util.spec_from_file_location("recurring_bench", REPO / "bench" / "recurring.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_one_fix_by_hand_teaches_the_idiom_for_a_later_occurrence(tmp_path):
    bench = load_bench()
    [project] = [p for p in bench.load_projects(REPO / "bench" / "recurring") if p.name == "retry_policy"]
    last = len(project.occurrences) - 1  # `self.window_ms` where a Duration is wanted
    run = bench.Bench(project, tmp_path, log=lambda line: None)
    try:
        memories = run.teach_in_editor(1)  # didOpen, the error published, a fix by hand, didSave
        assert bench.manual_count(memories[1]) == 1
        [untaught] = run.score(bench.Row(project.name, "k=0", "full", 0), None, [last]).verdicts
        [taught] = run.score(bench.Row(project.name, "k=1", "full", 1), memories[1], [last]).verdicts
    finally:
        run.close()
    assert untaught.error_seen and not (untaught.idiom and untaught.passes)
    assert taught.error_seen and taught.idiom and taught.compiles and taught.passes
    assert taught.title.startswith("memory") and taught.fix == "Duration::from_millis(self.window_ms)"


def test_the_idiom_names_are_the_names_the_projects_fix_adds():
    bench = load_bench()
    projects = {p.name: p for p in bench.load_projects(REPO / "bench" / "recurring")}
    assert bench.idiom_names(projects["units"].occurrences[0]) == {"Meters", "new"}
    assert bench.idiom_names(projects["retry_policy"].occurrences[0]) == {"Duration", "from_millis"}
