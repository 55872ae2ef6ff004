"""The judge on candidates of every kind: passing, not building, failing tests, hanging, cheating."""

import subprocess
import textwrap

from conftest import MUT_BROKEN, MUT_SOLUTION, write_koan

from sleepy_lsp.benchmark.judge import Judge, with_hidden_tests
from sleepy_lsp.benchmark.koans import load_koan


def test_solution_passes(judge, mut_koan):
    koan = load_koan(mut_koan)
    verdict = judge.judge(koan, koan.solution)
    assert verdict.passed and verdict.stage == "passed"
    assert verdict.check_seconds > 0 and verdict.test_seconds > 0


def test_broken_code_fails_at_compile_with_its_codes(judge, mut_koan):
    koan = load_koan(mut_koan)
    verdict = judge.judge(koan, koan.broken)
    assert not verdict.passed and verdict.stage == "compile"
    assert verdict.error_codes == {"E0596"}
    assert verdict.test_seconds == 0


def test_wrong_behaviour_fails_the_hidden_tests(judge, mut_koan):
    koan = load_koan(mut_koan)
    wrong = koan.solution.replace("sum += p;", "sum += p * 2;")
    verdict = judge.judge(koan, wrong)
    assert not verdict.passed and verdict.stage == "test"
    assert "adds_prices" in verdict.test_output


def test_deleting_what_the_tests_call_fails(judge, mut_koan):
    koan = load_koan(mut_koan)
    verdict = judge.judge(koan, "// nothing left\n")
    assert not verdict.passed and verdict.stage == "test"
    assert "E0425" in verdict.error_codes


def test_a_hanging_test_is_killed_by_the_timeout(tmp_path):
    folder = write_koan(tmp_path, "bc_901", MUT_BROKEN, MUT_SOLUTION, """\
        #[test]
        fn never_ends() {
            loop { std::hint::spin_loop(); }
        }
    """)
    judge = Judge(target_root=tmp_path / "target", jobs=1, timeout=8)
    koan = load_koan(folder)
    verdict = judge.judge(koan, koan.solution)
    assert not verdict.passed and verdict.stage == "timeout"
    # Nothing of the killed test binary may still run (a zombie awaiting its reaper is dead).
    ps = subprocess.run(["ps", "-eo", "stat=,args="], capture_output=True, text=True).stdout
    running = [line for line in ps.splitlines() if "koan_bc_901" in line and not line.lstrip().startswith("Z")]
    assert running == []


def test_never_writes_into_the_koan_folder(judge, mut_koan):
    before = {p: p.read_bytes() for p in mut_koan.rglob("*") if p.is_file()}
    koan = load_koan(mut_koan)
    judge.judge(koan, koan.solution)
    judge.judge(koan, "fn broken( {")
    after = {p: p.read_bytes() for p in mut_koan.rglob("*") if p.is_file()}
    assert before == after


def test_hidden_tests_are_appended_in_a_cfg_test_module(mut_koan):
    koan = load_koan(mut_koan)
    text = with_hidden_tests(koan, koan.solution)
    assert text.startswith(koan.solution.rstrip("\n"))
    assert "#[cfg(test)]\nmod koan_check {\n    use super::*;\n" in text
    assert text.rstrip().endswith("}")


def test_koan_without_check_passes_on_building_alone(judge, tmp_path):
    folder = write_koan(tmp_path, "bc_902", MUT_BROKEN, MUT_SOLUTION)
    koan = load_koan(folder)
    assert judge.judge(koan, koan.solution).passed
    assert not judge.judge(koan, koan.broken).passed


def test_a_koans_own_manifest_is_used(judge, tmp_path):
    folder = write_koan(tmp_path, "bc_903", MUT_BROKEN, MUT_SOLUTION)
    (folder / "Cargo.toml").write_text(textwrap.dedent("""\
        [package]
        name = "own_manifest"
        version = "0.1.0"
        edition = "2015"
    """))
    koan = load_koan(folder)
    # `async` is a plain identifier in edition 2015 and a keyword in 2021.
    assert judge.judge(koan, koan.solution + "\npub fn async() {}\n").passed
