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


def make_offer(fix_id: str | None = None, file: str = "src/lib.rs", error_code: str = "E0502",
               family: str = "borrow", provider: str = "rustc", message: str = "cannot borrow `v` as mutable",
               title: str = "", code_before: str = "", code_after: str = "", **offered):
    """An Offer from the fields a test cares about; the rest of its record is plain."""
    from sleepy_lsp.memory.store import Offer, new_fix_id
    from sleepy_lsp.model.answers import answer_for
    from sleepy_lsp.model.records import ErrorCase, FixRecord

    case = ErrorCase(f"error[{error_code}]: {message}", error_code, "error", message, Path(file).name, 1, 1, family,
                     code_before, "")
    record = FixRecord(case, answer_for(code_before, code_after), code_before, code_after, 1, provider, title)
    return Offer(fix_id or new_fix_id(), record, file=file, **offered)
