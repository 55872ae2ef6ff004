"""Tonight's data: records from koans and the fix memory, chat pairs with loss on the answer only, dedup, replay."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import MUT_BROKEN, MUT_SOLUTION, write_koan

from sleepy_lsp.benchmark.koans import load_koans
from sleepy_lsp.model.prompt import answer_for, build_messages
from trainer.data import (
    IGNORE_INDEX,
    FixRecord,
    RenderedError,
    ReplayBuffer,
    collate,
    dedup,
    examples_from_koans,
    examples_from_memory,
    family_counts,
    first_changed_line,
    read_jsonl,
    render_prompt,
    tokenize_record,
    write_jsonl,
)
from trainer.tiny import tiny_records, tiny_tokenizer


@pytest.fixture(scope="module")
def tokenizers():
    return {"chat": tiny_tokenizer(), "plain": tiny_tokenizer(chat_template=False)}


def test_koan_records_pair_broken_with_solution_and_skip_eval(tmp_path):
    root = tmp_path / "koans"
    write_koan(root, "bc_901", MUT_BROKEN, MUT_SOLUTION, split="train")
    write_koan(root, "bc_902", MUT_BROKEN, MUT_SOLUTION, split="eval")
    errors = {"bc_901": RenderedError("error[E0596]: cannot borrow `sum` as mutable", 4, "borrow"),
              "bc_902": RenderedError("error[E0596]: cannot borrow `sum` as mutable", 4, "borrow")}
    records = examples_from_koans(load_koans(root), errors=errors)
    assert [r.source for r in records] == ["koan:bc_901"]
    record = records[0]
    assert record.code_after == load_koans(root)[0].solution
    assert record.answer == answer_for(record.code_before, record.code_after) == "LINE 2:     let mut sum = 0;"
    assert record.messages() == build_messages(record.error, record.code_before, 4, "borrow", file_name="src/lib.rs")


def test_koan_records_need_a_judge_or_errors(tmp_path):
    write_koan(tmp_path / "koans", "bc_903", MUT_BROKEN, MUT_SOLUTION)
    with pytest.raises(ValueError, match="bc_903"):
        examples_from_koans(load_koans(tmp_path / "koans"))


def test_koan_records_render_rustc_errors_with_cargo(tmp_path, judge):
    write_koan(tmp_path / "koans", "bc_904", MUT_BROKEN, MUT_SOLUTION)
    [record] = examples_from_koans(load_koans(tmp_path / "koans"), judge=judge)
    assert "E0596" in record.error and "-->" in record.error
    assert record.error_line == 4


@dataclass
class FakeOffer:
    code_before: str
    code_after: str
    error_code: str
    family: str
    message: str


@dataclass
class FakeEpisode:
    code_before: str
    fix_that_worked: str
    error_code: str
    family: str


class FakeMemory:
    def accepted_fixes(self, limit: int = 50):
        return [FakeOffer("a\nb\n", "a\nc\n", "E0308", "type_mismatch", "mismatched types"),
                FakeOffer("same\n", "same\n", "E0308", "type_mismatch", "no change is no lesson")]

    def episodes(self, passed=None):
        assert passed is False
        return [FakeEpisode("x\ny\nz\n", "x\ny\nw\n", "E0382", "borrow")]


def test_memory_records_are_read_tolerantly():
    records = examples_from_memory(FakeMemory())
    assert [(r.source, r.family, r.error_line) for r in records] == [
        ("memory:accepted", "type_mismatch", 2), ("memory:episode", "borrow", 3)]
    assert records[0].error == "error[E0308]: mismatched types"
    assert records[1].answer == "LINE 3: w"
    assert examples_from_memory(object()) == []


def test_first_changed_line():
    assert first_changed_line("a\nb\n", "a\nc\n") == 2
    assert first_changed_line("a\n", "a\nb\n") == 2


def test_dedup_keeps_first_and_ignores_error_wording():
    a = FixRecord("error[E0382]: long rendering", "x\n", "y\n", "borrow", 1, "koan:bc_1")
    b = FixRecord("error[E0382]", "x\n", "y\n", "borrow", 1, "memory:episode")
    c = FixRecord("error[E0382]", "x\n", "z\n", "borrow", 1, "memory:episode")
    assert dedup([a, b, c]) == [a, c]


def test_record_rejects_bad_values():
    with pytest.raises(ValueError, match="'cooking'"):
        FixRecord("e", "a", "b", "cooking", 1, "s")
    with pytest.raises(ValueError, match="error_line 0"):
        FixRecord("e", "a", "b", "borrow", 0, "s")


@pytest.mark.parametrize("template", ["chat", "plain"])
def test_loss_is_on_the_answer_only(tokenizers, template):
    tokenizer = tokenizers[template]
    record = tiny_records(1)[0]
    pair = tokenize_record(tokenizer, record)
    prompt = render_prompt(tokenizer, record.messages())
    assert tokenizer.decode(pair.input_ids[:pair.prompt_length]) == prompt
    assert all(label == IGNORE_INDEX for label in pair.labels[:pair.prompt_length])
    answer_ids = pair.labels[pair.prompt_length:]
    assert answer_ids == pair.input_ids[pair.prompt_length:]
    decoded = tokenizer.decode(answer_ids)
    assert decoded.startswith(record.answer) and tokenizer.eos_token in decoded
    if template == "chat":
        assert prompt.endswith("<|im_start|>assistant\n")
    else:
        assert prompt.startswith("### System\n") and prompt.endswith("### Assistant\n")


def test_long_prompts_are_dropped_and_long_answers_cut(tokenizers):
    tokenizer = tokenizers["chat"]
    record = tiny_records(1)[0]
    full = tokenize_record(tokenizer, record)
    assert tokenize_record(tokenizer, record, max_length=full.prompt_length) is None
    cut = tokenize_record(tokenizer, record, max_length=full.prompt_length + 2)
    assert len(cut.input_ids) == full.prompt_length + 2
    with pytest.raises(ValueError, match="max_length 4"):
        tokenize_record(tokenizer, record, max_length=4)


def test_collate_pads_without_learning_padding(tokenizers):
    tokenizer = tokenizers["chat"]
    pairs = [tokenize_record(tokenizer, r) for r in tiny_records(2)[:2]]
    batch = collate(pairs, tokenizer.pad_token_id)
    width = max(len(p.input_ids) for p in pairs)
    assert batch["input_ids"].shape == batch["labels"].shape == (2, width)
    short = min(range(2), key=lambda i: len(pairs[i].input_ids))
    pad = len(pairs[short].input_ids)
    assert (batch["labels"][short, pad:] == IGNORE_INDEX).all()
    assert (batch["attention_mask"][short, pad:] == 0).all()


def test_replay_buffer_samples_earlier_nights(tmp_path):
    buffer = ReplayBuffer(tmp_path / "replay")
    first, second = tiny_records(3)[:5], tiny_records(3)[5:]
    buffer.add_night("20260101T000000", first)
    buffer.add_night("20260102T000000", second)
    assert len(buffer.nights()) == 2
    drawn = buffer.sample(3, seed=1, exclude=second, exclude_night="20260102T000000")
    assert len(drawn) == 3 and all(r in first for r in drawn)
    assert drawn == buffer.sample(3, seed=1, exclude=second, exclude_night="20260102T000000")
    assert {r.family for r in buffer.sample(10, family="result")} == {"result"}
    assert len(buffer.sample(100)) == len(first) + len(second)
    with pytest.raises(ValueError, match="night id"):
        buffer.add_night("../escape", first)
    with pytest.raises(ValueError, match="-1"):
        buffer.sample(-1)


def test_jsonl_round_trip_skips_bad_lines(tmp_path):
    path = tmp_path / "records.jsonl"
    records = tiny_records(1)
    write_jsonl(path, records)
    path.write_text(path.read_text() + "not json\n{\"family\": \"cooking\"}\n")
    assert read_jsonl(path) == records
    assert family_counts(records) == {"borrow": 1, "result": 1, "type_mismatch": 1}
