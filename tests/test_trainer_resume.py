"""A night killed mid-training resumes from its last checkpoint; checkpoints are written atomically."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trainer.data import tokenize_records, write_jsonl
from trainer.loop import TrainSettings, latest_checkpoint, train
from trainer.lora import LoraSettings, attach_lora
from trainer.tiny import save_tiny, tiny_model, tiny_records, tiny_tokenizer

REPO = Path(__file__).resolve().parent.parent


def sleepy_train(*args: str) -> list[str]:
    return [sys.executable, "-m", "trainer.cli", "run", "--method", "lora", "--no-koans", "--no-memory", "--no-eval",
            "--rank", "4", "--checkpoint-every", "5", "--lr", "1e-3", *args]


@pytest.fixture
def night_files(tmp_path):
    base = save_tiny(tmp_path / "tiny-model")
    data = tmp_path / "tonight.jsonl"
    write_jsonl(data, tiny_records(2))
    return ["--base-model", str(base), "--data", str(data), "--registry", str(tmp_path / "adapters"),
            "--work-dir", str(tmp_path / "work")]


def wait_for_checkpoint(pointer_glob: str, root: Path, process: subprocess.Popen, timeout: float = 90.0) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(root.glob(pointer_glob))
        if found:
            return found[0]
        if process.poll() is not None:
            raise AssertionError(f"the trainer exited early: {process.stderr.read()}")
        time.sleep(0.02)
    raise AssertionError("no checkpoint appeared")


def test_killed_night_resumes_from_its_checkpoint(tmp_path, night_files):
    env = os.environ | {"PYTHONPATH": str(REPO), "COLUMNS": "200"}
    first = subprocess.Popen(sleepy_train("--max-steps", "400", *night_files), cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        pointer = wait_for_checkpoint("runs/*/lora-all/latest", tmp_path / "work", first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    saved = int(pointer.read_text().strip().removeprefix("step-"))
    assert saved >= 5 and saved % 5 == 0
    assert not (tmp_path / "adapters").exists() or not any((tmp_path / "adapters").iterdir()), \
        "a killed night publishes nothing"

    second = subprocess.run(sleepy_train("--max-steps", str(saved + 7), *night_files), cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert f"lora-all: resumed from step {saved}" in second.stderr
    assert f"lora-all: {saved + 7}/{saved + 7} steps, stopped: done" in second.stderr
    [report] = (tmp_path / "work" / "nights").glob("night-*.json")
    assert json.loads(report.read_text())["steps"] == {"all": saved + 7}
    assert not list((tmp_path / "work" / "runs").iterdir()), "a finished night removes its checkpoints"
    assert re.search(r"registered \S+-lora-all-", second.stderr)


def test_a_half_written_checkpoint_is_never_used(tmp_path):
    tokenizer = tiny_tokenizer()
    model = attach_lora(tiny_model(), LoraSettings(r=4, alpha=8.0), "all")
    pairs = tokenize_records(tokenizer, tiny_records(1))
    settings = TrainSettings(max_steps=4, checkpoint_every=2)
    folder = tmp_path / "checkpoints"
    result = train(model, pairs, settings, tokenizer.pad_token_id, folder, "fp", show_progress=False)
    assert result.steps == 4 and latest_checkpoint(folder, "fp").name == "step-0000004"
    (folder / ".step-0000006.4242.tmp").mkdir()  # a writer killed before its rename
    assert latest_checkpoint(folder, "fp").name == "step-0000004"
    assert latest_checkpoint(folder, "other data") is None, "a checkpoint of other data is not resumed"
    assert [p.name for p in folder.glob("step-*")] == ["step-0000004"], "older checkpoints are pruned"

    resumed = train(model, pairs, TrainSettings(max_steps=6, checkpoint_every=2), tokenizer.pad_token_id, folder, "fp",
                    show_progress=False)
    assert resumed.resumed_from == 4 and resumed.steps == 6 and len(resumed.losses) == 2


def test_interrupting_training_keeps_the_last_checkpoint(tmp_path, monkeypatch):
    import trainer.loop as loop
    from sleepy_lsp.errors import SleepyError

    tokenizer = tiny_tokenizer()
    model = attach_lora(tiny_model(), LoraSettings(r=4, alpha=8.0), "all")
    pairs = tokenize_records(tokenizer, tiny_records(1))
    real_step, calls = loop._step, []

    def interrupted_step(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_step(*args, **kwargs)

    monkeypatch.setattr(loop, "_step", interrupted_step)
    with pytest.raises(SleepyError, match="stopped at step 2 of 10: run the same command again"):
        train(model, pairs, TrainSettings(max_steps=10, checkpoint_every=2), tokenizer.pad_token_id,
              tmp_path / "ck", "fp", show_progress=False)
    assert latest_checkpoint(tmp_path / "ck", "fp").name == "step-0000002"
