"""Loading koans, and the one-sentence errors for koan folders that break the format."""

import pytest
from conftest import MUT_BROKEN, MUT_SOLUTION, write_koan

from sleepy_lsp.benchmark.koans import load_koan, load_koans
from sleepy_lsp.errors import KoanError


def test_loads_every_field(mut_koan):
    koan = load_koan(mut_koan)
    assert (koan.id, koan.family, koan.split, koan.error_codes) == ("bc_900", "borrow", "train", ("E0596",))
    assert koan.source_rel == "src/lib.rs"
    assert "let sum = 0" in koan.broken and "let mut sum" in koan.solution
    assert koan.check and "#[test]" in koan.check
    assert koan.manifest is None


def test_filters_by_split_and_family(tmp_path):
    write_koan(tmp_path, "bc_001", MUT_BROKEN, MUT_SOLUTION, split="eval")
    write_koan(tmp_path, "bc_002", MUT_BROKEN, MUT_SOLUTION)
    write_koan(tmp_path, "tb_001", MUT_BROKEN, MUT_SOLUTION, family="trait_bounds", split="eval")
    assert [k.id for k in load_koans(tmp_path, split="eval")] == ["bc_001", "tb_001"]
    assert [k.id for k in load_koans(tmp_path, family="borrow", split="train")] == ["bc_002"]


@pytest.mark.parametrize("breakage, expected", [
    (lambda f: (f / "koan.toml").unlink(), "has no koan.toml"),
    (lambda f: (f / "solution.rs").unlink(), "has no solution.rs"),
    (lambda f: (f / "src" / "lib.rs").unlink(), "exactly one of src/main.rs and src/lib.rs"),
    (lambda f: (f / "src" / "main.rs").write_text("fn main() {}"), "exactly one of"),
    (lambda f: (f / "koan.toml").write_text((f / "koan.toml").read_text().replace("borrow", "lifetimes")),
     "unknown family 'lifetimes'"),
    (lambda f: (f / "koan.toml").write_text("id = [unclosed"), "is not valid TOML"),
    (lambda f: (f / "koan.toml").write_text((f / "koan.toml").read_text().replace('"bc_900"', '"bc_901"')),
     "make them equal"),
    (lambda f: (f / "src" / "lib.rs").write_bytes(b"fn f() { let s = \"\xff\xfe\"; }"), "is not valid UTF-8"),
])
def test_broken_koan_folders_give_one_clear_sentence(mut_koan, breakage, expected):
    breakage(mut_koan)
    with pytest.raises(KoanError) as info:
        load_koan(mut_koan)
    message = str(info.value)
    assert expected in message
    assert message.count("\n") == 0 and message.endswith(".")


def test_missing_folder_and_bad_filters(tmp_path):
    with pytest.raises(KoanError, match="is not a folder"):
        load_koans(tmp_path / "nope")
    with pytest.raises(KoanError, match="holds no koan folders"):
        load_koans(tmp_path)
    with pytest.raises(KoanError, match="Unknown family"):
        load_koans(tmp_path, family="lifetimes")
