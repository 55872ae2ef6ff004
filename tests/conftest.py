"""Shared fixtures: the repository's koans, a judge with its own target dirs, koan builders."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sleepy_lsp.benchmark.judge import Judge
from sleepy_lsp.benchmark.koans import load_koans

REPO = Path(__file__).resolve().parent.parent
KOANS = REPO / "koans"
DATA = Path(__file__).resolve().parent / "data"
ALL_KOANS = load_koans(KOANS)


@pytest.fixture(scope="session")
def judge(tmp_path_factory) -> Judge:
    return Judge(target_root=tmp_path_factory.mktemp("judge-target"), jobs=2, timeout=60)


def write_koan(root: Path, koan_id: str, broken: str, solution: str, check: str | None = None,
               family: str = "borrow", codes: tuple[str, ...] = ("E0596",), split: str = "train",
               source_name: str = "lib.rs") -> Path:
    """A koan folder in the koan format, for tests that need one of a known shape."""
    folder = root / koan_id
    (folder / "src").mkdir(parents=True)
    codes_toml = ", ".join(f'"{c}"' for c in codes)
    (folder / "koan.toml").write_text(
        f'id = "{koan_id}"\nfamily = "{family}"\ntitle = "test koan"\n'
        f"error_codes = [{codes_toml}]\nsplit = \"{split}\"\n"
    )
    (folder / "src" / source_name).write_text(textwrap.dedent(broken))
    (folder / "solution.rs").write_text(textwrap.dedent(solution))
    if check is not None:
        (folder / "check.rs").write_text(textwrap.dedent(check))
    return folder


# A small library koan: `total` forgets `mut`; rustc suggests adding it.
MUT_BROKEN = """\
    pub fn total(prices: &[u32]) -> u32 {
        let sum = 0;
        for p in prices {
            sum += p;
        }
        sum
    }
"""
MUT_SOLUTION = MUT_BROKEN.replace("let sum", "let mut sum")
MUT_CHECK = """\
    #[test]
    fn adds_prices() {
        assert_eq!(total(&[1, 2, 3]), 6);
        assert_eq!(total(&[]), 0);
    }
"""


@pytest.fixture
def mut_koan(tmp_path) -> Path:
    return write_koan(tmp_path / "koans", "bc_900", MUT_BROKEN, MUT_SOLUTION, MUT_CHECK)
