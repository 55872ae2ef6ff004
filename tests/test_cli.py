"""The `sleepy` command line as a user runs it: real processes, real cargo."""

import json
import os
import shutil
import subprocess
import sys

from conftest import KOANS, MUT_BROKEN, MUT_CHECK, MUT_SOLUTION, write_koan


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
    shutil.copytree(KOANS / "mi_002", koans / "mi_002")  # needs a function written: rustc cannot say what it does
    out = tmp_path / "eval.json"
    result = sleepy("eval", "--koans", koans, "--strategy", "rustc", "--json", out)
    assert result.returncode == 0, result.stderr
    assert "borrow" in result.stdout and "total" in result.stdout
    assert "eval rustc: 2/2" in result.stderr  # redirected output still shows progress, as lines
    report = json.loads(out.read_text())
    passed = {k["id"]: k["passed"] for k in report["koans"]}
    assert passed == {"bc_001": True, "mi_002": False}
    total = report["families"][-1]
    assert (total["family"], total["koans"], total["passed"]) == ("total", 2, 1)

    none = sleepy("eval", "--koans", koans, "--strategy", "none", "--json", out)
    assert none.returncode == 0
    assert [k["passed"] for k in json.loads(out.read_text())["koans"]] == [False, False]


def crate_with(tmp_path, koan_id):
    crate = tmp_path / "crate"
    shutil.copytree(KOANS / koan_id / "src", crate / "src")
    (crate / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n')
    return crate


def test_fix_prints_verified_diffs_and_applies_them(tmp_path):
    crate = crate_with(tmp_path, "bc_004")
    main = crate / "src" / "main.rs"
    before = main.read_text()
    narrow = {**os.environ, "COLUMNS": "24"}  # a diff is printed whole however narrow the terminal
    shown = sleepy("fix", main, "--db", tmp_path / "memory.db", env=narrow)
    assert shown.returncode == 0, shown.stderr
    assert "E0596" in shown.stdout and "compiles" in shown.stdout
    assert "+    let mut counts = BTreeMap::new();\n" in shown.stdout
    assert main.read_text() == before  # showing never writes
    applied = sleepy("fix", main, "--apply", "--db", tmp_path / "memory.db")
    assert applied.returncode == 0 and "1 verified fix" in applied.stdout
    assert subprocess.run(["cargo", "check", "-q"], cwd=crate, capture_output=True).returncode == 0
    assert sleepy("fix", main).stdout.strip() == "No errors in src/main.rs."


def test_fix_outside_a_crate(tmp_path):
    loose = tmp_path / "loose.rs"
    loose.write_text("fn main() {}\n")
    assert_one_sentence_error(sleepy("fix", loose), "is not inside a cargo project")


def test_day_records_episodes_and_refuses_the_eval_split(tmp_path):
    from sleepy_lsp.memory.store import FixMemory

    koans = tmp_path / "koans"
    for koan_id in ("bc_013", "rh_011"):
        shutil.copytree(KOANS / koan_id, koans / koan_id)
    db = tmp_path / "memory.db"
    assert_one_sentence_error(sleepy("day", "--koans", koans, "--split", "eval", "--db", db), "never a lesson")
    ran = sleepy("day", "--koans", koans, "--strategy", "rustc", "--db", db)
    assert ran.returncode == 0, ran.stderr
    with FixMemory.open_existing(db) as store:
        episodes = {e.koan_id: e for e in store.episodes()}
    assert set(episodes) == {"bc_013", "rh_011"}
    for koan_id, episode in episodes.items():
        solution = (KOANS / koan_id / "solution.rs").read_text()
        assert episode.fix_that_worked == (episode.candidate if episode.passed else solution)
        assert episode.code_before == next((KOANS / koan_id / "src").iterdir()).read_text()


def test_eval_compares_with_a_baseline(tmp_path):
    koans = tmp_path / "koans"
    write_koan(koans, "bc_001", MUT_BROKEN, MUT_SOLUTION, MUT_CHECK)
    base = tmp_path / "none.json"
    assert sleepy("eval", "--koans", koans, "--strategy", "none", "--json", base).returncode == 0
    compared = sleepy("eval", "--koans", koans, "--strategy", "rustc", "--baseline", base)
    assert "improved bc_001; regressed none" in compared.stdout


def test_model_list_and_offline_pull():
    listed = sleepy("model", "list")
    assert listed.returncode == 0 and "smollm2-135m-instruct" in listed.stdout
    pulled = sleepy("model", "pull", "qwen2.5-coder-1.5b-instruct", "--serve-only")
    assert pulled.returncode == 2 and "--model" in pulled.stderr and "Traceback" not in pulled.stderr
