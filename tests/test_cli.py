"""The `sleepy` command line as a user runs it: real processes, real cargo."""

import json
import os
import shutil
import subprocess
import sys

from conftest import KOANS, MUT_BROKEN, MUT_SOLUTION, MUT_CHECK, write_koan


def sleepy(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "sleepy_lsp.cli", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def assert_one_sentence_error(result, expected):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stderr
    assert result.stderr.strip().startswith("error:")


def test_koans_list_and_show():
    listed = sleepy("koans", "list", "--split", "eval", "--family", "borrow")
    assert listed.returncode == 0
    assert "bc_001" in listed.stdout and "bc_010" in listed.stdout and "bc_011" not in listed.stdout
    shown = sleepy("koans", "show", "bc_004")
    assert shown.returncode == 0 and "E0596" in shown.stdout and "BTreeMap::new()" in shown.stdout


def test_unknown_koan_and_unknown_family(tmp_path):
    assert_one_sentence_error(sleepy("koans", "show", "zz_999"), "There is no koan 'zz_999'")
    folder = write_koan(tmp_path, "bc_001", MUT_BROKEN, MUT_SOLUTION)
    (folder / "koan.toml").write_text((folder / "koan.toml").read_text().replace("borrow", "lifetimes"))
    assert_one_sentence_error(sleepy("koans", "list", "--koans", tmp_path), "unknown family 'lifetimes'")


def test_non_utf8_source_is_reported(tmp_path):
    folder = write_koan(tmp_path, "bc_001", MUT_BROKEN, MUT_SOLUTION)
    (folder / "solution.rs").write_bytes(b"\xff\xfe broken")
    assert_one_sentence_error(sleepy("eval", "--koans", tmp_path), "is not valid UTF-8")


def test_cargo_missing_from_path(tmp_path):
    write_koan(tmp_path, "bc_001", MUT_BROKEN, MUT_SOLUTION)
    env = {**os.environ, "PATH": os.path.dirname(sys.executable)}
    assert_one_sentence_error(sleepy("eval", "--koans", tmp_path, env=env), "`cargo` was not found on PATH")


def test_eval_rustc_fixes_what_rustc_can_and_writes_json(tmp_path):
    koans = tmp_path / "koans"
    write_koan(koans, "bc_001", MUT_BROKEN, MUT_SOLUTION, MUT_CHECK)
    shutil.copytree(KOANS / "rh_004", koans / "rh_004")  # needs ok_or_else: rustc has no suggestion
    out = tmp_path / "eval.json"
    result = sleepy("eval", "--koans", koans, "--strategy", "rustc", "--json", out)
    assert result.returncode == 0, result.stderr
    assert "borrow" in result.stdout and "total" in result.stdout
    report = json.loads(out.read_text())
    passed = {k["id"]: k["passed"] for k in report["koans"]}
    assert passed == {"bc_001": True, "rh_004": False}
    total = report["families"][-1]
    assert (total["family"], total["koans"], total["passed"]) == ("total", 2, 1)

    none = sleepy("eval", "--koans", koans, "--strategy", "none", "--json", out)
    assert none.returncode == 0
    assert [k["passed"] for k in json.loads(out.read_text())["koans"]] == [False, False]
