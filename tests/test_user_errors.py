"""Every command, given input it cannot use, answers with one sentence and exit status 2: no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MUT_BROKEN, MUT_SOLUTION, write_koan

from sleepy_lsp.model.answers import numbered
from sleepy_lsp.model.records import ErrorCase, FixRecord
from trainer.data import write_jsonl
from trainer.tiny import save_tiny

LONG_CODE = "fn main() {\n" + "    let value_with_a_long_name = 1;\n" * 60 + "}\n"


def command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from sleepy_lsp.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300)


def train(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from trainer.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=300)


def one_sentence(run: subprocess.CompletedProcess, *words: str) -> None:
    """The run ended in one line that says it all (a night's progress lines may come before it)."""
    assert run.returncode == 2, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert "Traceback" not in run.stderr and all(w in last for w in words), run.stderr


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory) -> Path:
    return save_tiny(tmp_path_factory.mktemp("tiny") / "model")


def test_a_night_whose_pairs_are_all_too_long(tmp_path, tiny_base):
    data = tmp_path / "long.jsonl"
    case = ErrorCase("error[E0384]: cannot assign twice", "E0384", "error", "cannot assign twice", "src/main.rs", 2, 5,
                     "borrow", numbered(LONG_CODE), "")
    write_jsonl(data, [FixRecord.of(case, LONG_CODE, LONG_CODE.replace("let ", "let mut ", 1), "rustc", source="test")])
    run = train("run", "--method", "lora", "--max-length", "64", "--base-model", str(tiny_base), "--no-koans",
                "--no-memory", "--no-eval", "--data", str(data), "--registry", str(tmp_path / "adapters"),
                "--work-dir", str(tmp_path / "work"), "--rank", "4", "--max-steps", "1")
    one_sentence(run, "--max-length 64", "raise --max-length")


@pytest.mark.parametrize("args, words", [
    (("run", "--method", "lora", "--lr", "-1", "--dry-run", "--no-koans", "--no-memory"), ("learning_rate",)),
    (("run", "--method", "share", "--k", "4", "--variance", "0.5", "--dry-run"), ("exactly one of k",)),
    (("promote", "no-such-adapter"), ("no-such-adapter",)),
])
def test_trainer_settings_it_cannot_use(tmp_path, tiny_base, args, words):
    extra = ("--registry", str(tmp_path / "adapters")) + (("--base-model", str(tiny_base), "--work-dir",
                                                          str(tmp_path / "work")) if args[0] == "run" else ())
    one_sentence(train(*args, *extra), *words)


def test_sleepy_commands_given_what_they_cannot_use(tmp_path):
    koans = tmp_path / "koans"
    write_koan(koans, "bc_900", MUT_BROKEN, MUT_SOLUTION, split="eval")
    one_sentence(command("day", "--koans", str(koans), "--split", "holdout", "--db", str(tmp_path / "db")),
                 "never a lesson")
    one_sentence(command("eval", "--koans", str(tmp_path / "nowhere")), "is not a folder")
    one_sentence(command("review", "--open"), "--open needs --html")
    binary = tmp_path / "crate" / "src" / "main.rs"
    binary.parent.mkdir(parents=True)
    (tmp_path / "crate" / "Cargo.toml").write_text('[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n')
    binary.write_bytes(b"fn main() { \xff }\n")
    one_sentence(command("fix", str(binary)), "not valid UTF-8")
