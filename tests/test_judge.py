"""The judge on candidates of every kind: passing, not building, failing tests, hanging, cheating."""

import subprocess
import textwrap
import time

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


def test_a_test_that_escapes_into_its_own_session_is_killed_at_the_timeout(tmp_path):
    """`setsid` takes a child out of cargo's process group and keeps the output pipe open; the verdict
    still comes at the limit and the child is gone."""
    folder = write_koan(tmp_path, "bc_902", MUT_BROKEN, MUT_SOLUTION, """\
        #[test]
        fn escapes() {
            std::process::Command::new("setsid")
                .args(["sh", "-c", "exec sleep 321"])
                .spawn()
                .unwrap();
            std::thread::sleep(std::time::Duration::from_secs(300));
        }
    """)
    judge = Judge(target_root=tmp_path / "target", jobs=1, timeout=20)
    koan = load_koan(folder)
    started = time.monotonic()
    verdict = judge.judge(koan, koan.solution)
    assert verdict.stage == "timeout" and time.monotonic() - started < 60
    ps = subprocess.run(["ps", "-eo", "stat=,args="], capture_output=True, text=True).stdout
    assert [line for line in ps.splitlines() if "sleep 321" in line and not line.lstrip().startswith("Z")] == []


def test_tests_that_write_into_the_koan_folder_fail_and_the_folder_is_restored(judge, tmp_path):
    folder = write_koan(tmp_path, "bc_903", MUT_BROKEN, MUT_SOLUTION)
    (folder / "check.rs").write_text(textwrap.dedent(f"""\
        #[test]
        fn tampers() {{
            std::fs::write("{folder}/solution.rs", "// gone").unwrap();
            std::fs::write("{folder}/planted.rs", "// new").unwrap();
        }}
    """))
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    koan = load_koan(folder)
    verdict = judge.judge(koan, koan.solution)
    assert not verdict.passed and verdict.stage == "tampered" and "solution.rs" in verdict.test_output
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_a_cargo_config_planted_in_the_temp_folder_is_never_read(tmp_path, monkeypatch):
    """Scratch crates live in the user's private cache, so a `.cargo/config.toml` in $TMPDIR
    (any local user can write there) does not reach cargo."""
    planted = tmp_path / "tmp"
    (planted / ".cargo").mkdir(parents=True)
    marker = tmp_path / "wrapper-ran"
    wrapper = planted / "wrapper.sh"
    wrapper.write_text(f'#!/bin/sh\ntouch {marker}\nexec "$@"\n')
    wrapper.chmod(0o755)
    (planted / ".cargo" / "config.toml").write_text(f'[build]\nrustc-wrapper = "{wrapper}"\n')
    monkeypatch.setenv("TMPDIR", str(planted))
    monkeypatch.setenv("SLEEPY_CACHE_DIR", str(tmp_path / "cache"))
    judge = Judge(jobs=1, timeout=120)
    koan = load_koan(write_koan(tmp_path / "koans", "bc_904", MUT_BROKEN, MUT_SOLUTION))
    assert judge.judge(koan, koan.solution).passed
    assert not marker.exists()
    assert oct((tmp_path / "cache" / "scratch").stat().st_mode & 0o777) == "0o700"
