"""The holdout split: a second frozen benchmark, unlike the eval and train programs.

These tests read the koan files only; they never build or fix a holdout koan
(`sleepy koans check --split holdout` does the cargo checks).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sleepy_lsp.benchmark.koans import load_koans
from sleepy_lsp.memory.similarity import similarity

KOANS_DIR = Path(__file__).resolve().parent.parent / "koans"

# The separation bound between holdout programs and every other koan (and each other):
# the same 0.75 as SIMILARITY_THRESHOLD in tests/test_corpus.py (normalised tokens, blind to renaming).
SIMILARITY_LIMIT = 0.75

MIN_PER_FAMILY = {"borrow": 10, "type_mismatch": 8, "missing_item": 8, "result": 5, "trait_bounds": 4}
PREFIX = {"bc": "borrow", "tb": "trait_bounds", "rh": "result", "tm": "type_mismatch", "mi": "missing_item"}


@pytest.fixture(scope="module")
def all_koans():
    return load_koans(KOANS_DIR)


@pytest.fixture(scope="module")
def holdout(all_koans):
    return [k for k in all_koans if k.split == "holdout"]


def test_holdout_is_large_enough(holdout):
    assert len(holdout) >= 40


def test_holdout_family_spread(holdout):
    counts = Counter(k.family for k in holdout)
    for family, least in MIN_PER_FAMILY.items():
        assert counts[family] >= least, f"{family}: {counts[family]} holdout koans, want {least}"


def test_holdout_has_errors_without_a_code(holdout):
    assert len([k for k in holdout if k.error_codes == ()]) >= 3


def test_holdout_ids_are_numbered_apart_and_match_their_family(holdout):
    for k in holdout:
        prefix, number = k.id.split("_")
        assert PREFIX[prefix] == k.family, k.id
        assert int(number) >= 101, k.id


def test_every_holdout_koan_has_hidden_behaviour_tests(holdout):
    for k in holdout:
        assert k.check is not None, f"{k.id} has no check.rs"
        assert "#[test]" in k.check, f"{k.id}: check.rs has no #[test]"
        assert "assert" in k.check, f"{k.id}: check.rs asserts nothing"
        assert k.manifest is None, f"{k.id} brings a Cargo.toml"
        lines = len([line for line in k.broken.splitlines() if line.strip()])
        assert 10 <= lines <= 60, f"{k.id}: {lines} non-blank lines"


def test_holdout_programs_are_unlike_the_others(all_koans, holdout):
    others = [k for k in all_koans if k.split != "holdout"]
    for k in holdout:
        for other in others:
            score = similarity(k.broken, other.broken)
            assert score < SIMILARITY_LIMIT, f"{k.id} is {score:.2f} alike {other.id} ({other.split})"


def test_holdout_programs_are_unlike_each_other(holdout):
    for i, a in enumerate(holdout):
        for b in holdout[i + 1:]:
            score = similarity(a.broken, b.broken)
            assert score < SIMILARITY_LIMIT, f"{a.id} is {score:.2f} alike {b.id}"
