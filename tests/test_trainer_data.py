"""Tonight's data: records from koans and the fix memory, chat pairs with loss on the answer only, dedup, replay."""

from __future__ import annotations

import pytest
from conftest import MUT_BROKEN, MUT_SOLUTION, write_koan

from sleepy_lsp.benchmark.koans import load_koans
from sleepy_lsp.memory.store import Episode, FixMemory, Offer
from sleepy_lsp.model.prompt import prompt_messages
from sleepy_lsp.model.records import ErrorCase, FixRecord, code_window, file_hash
from trainer.data import (
    IGNORE_INDEX,
    ReplayBuffer,
    collate,
    dedup,
    examples_from_koans,
    examples_from_memory,
    family_counts,
    read_jsonl,
    render_prompt,
    tokenize_record,
    write_jsonl,
)
from trainer.tiny import tiny_records, tiny_tokenizer


@pytest.fixture(scope="module")
def tokenizers():
    return {"chat": tiny_tokenizer(), "plain": tiny_tokenizer(chat_template=False)}


def case(code: str, line: int = 2, error: str = "error[E0596]: cannot borrow `sum` as mutable",
         family: str = "borrow", rel_path: str = "src/lib.rs") -> ErrorCase:
    return ErrorCase(error, error[6:11], "error", error.split(": ", 1)[1], rel_path, line, 9, family,
                     code_window(code, line), file_hash(code))


def test_koan_records_pair_broken_with_solution_and_skip_frozen_splits(tmp_path):
    root = tmp_path / "koans"
    write_koan(root, "bc_901", MUT_BROKEN, MUT_SOLUTION, split="train")
    write_koan(root, "bc_902", MUT_BROKEN, MUT_SOLUTION, split="eval")
    write_koan(root, "bc_905", MUT_BROKEN, MUT_SOLUTION, split="holdout")
    koans = load_koans(root)
    errors = {k.id: case(k.broken, 4) for k in koans}
    records = examples_from_koans(koans, errors=errors)
    assert [r.source for r in records] == ["koan:bc_901"]
    record = records[0]
    assert record.after.strip().startswith("pub fn total") and "let mut sum = 0;" in record.after
    assert record.answer == "LINE 2:     let mut sum = 0;" and record.provider == "koan"


def test_koan_records_need_a_judge_or_errors(tmp_path):
    write_koan(tmp_path / "koans", "bc_903", MUT_BROKEN, MUT_SOLUTION)
    with pytest.raises(ValueError, match="bc_903"):
        examples_from_koans(load_koans(tmp_path / "koans"))


def test_koan_records_render_rustc_errors_with_cargo(tmp_path, judge):
    write_koan(tmp_path / "koans", "bc_904", MUT_BROKEN, MUT_SOLUTION)
    [record] = examples_from_koans(load_koans(tmp_path / "koans"), judge=judge)
    assert "E0596" in record.case.error and "-->" in record.case.error
    assert record.case.line == 4 and record.case.rel_path == "src/lib.rs"


def test_memory_records_are_the_records_the_day_kept(tmp_path):
    """What the night reads is what the server stored: no field is guessed back."""
    code = "fn main() {\n    let x = 1;\n    x += 1;\n}\n"
    fixed = code.replace("let x", "let mut x")
    accepted = FixRecord.of(case(code), code, fixed, "rustc", "make x mutable", rank=1)
    manual = FixRecord.of(case(code, error="error[E0308]: mismatched types", family="type_mismatch"), code,
                          code.replace("1;\n    x", "1u8;\n    x"))
    with FixMemory.open(tmp_path / "memory.sqlite3") as memory:
        memory.record_offer(Offer("a", accepted))
        memory.record_outcome("a", "accepted")
        memory.record_offer(Offer("r", accepted))
        memory.record_outcome("r", "rejected")
        memory.record_manual(Offer("m", manual))
        memory.record_episode(Episode("day", "bc_906", "borrow", False, "compile", "E0596", code_before=code,
                                      fix_that_worked=fixed, case=case(code)))
        records = examples_from_memory(memory)
    assert sorted(r.source for r in records) == ["memory:accepted", "memory:episode", "memory:manual"]
    by_source = {r.source: r for r in records}
    assert by_source["memory:accepted"].case == accepted.case and by_source["memory:accepted"].rank == 1
    assert by_source["memory:manual"].provider == "user" and by_source["memory:manual"].family == "type_mismatch"
    assert by_source["memory:episode"].answer == "LINE 2:     let mut x = 1;"


def test_a_training_prompt_and_a_serving_prompt_are_the_same_text(tmp_path):
    """One prompt builder: the engine asking about an error, and the night training on its record."""
    from sleepy_lsp.rust.shadow import shadow_of_files

    code = "pub fn total(prices: &[u32]) -> u32 {\n    let sum = 0;\n    for p in prices {\n        sum += p;\n    }\n    sum\n}\n"
    with shadow_of_files({"Cargo.toml": '[package]\nname = "same"\nversion = "0.1.0"\nedition = "2021"\n',
                          "src/lib.rs": code}, tmp_path / "target") as shadow:
        [diagnostic] = shadow.check().errors
    serving = prompt_messages(ErrorCase.of(diagnostic, "src/lib.rs", code))
    record = FixRecord.of(ErrorCase.of(diagnostic, "src/lib.rs", code), code, code.replace("let sum", "let mut sum"))
    write_jsonl(tmp_path / "night.jsonl", [record])
    [read_back] = read_jsonl(tmp_path / "night.jsonl")
    assert read_back == record and prompt_messages(read_back.case) == serving


def test_dedup_keeps_first_and_ignores_error_wording():
    code = "fn f() {\n    let x = 1;\n}\n"
    a = FixRecord.of(case(code, error="error[E0382]: long rendering"), code, code.replace("x", "y"), source="koan:bc_1")
    b = FixRecord.of(case(code, error="error[E0382]: short"), code, code.replace("x", "y"), source="memory:episode")
    c = FixRecord.of(case(code, error="error[E0382]: short"), code, code.replace("x", "z"), source="memory:episode")
    assert dedup([a, b, c]) == [a, c]


def test_lines_of_another_format_are_skipped(tmp_path):
    path = tmp_path / "old.jsonl"
    path.write_text('{"error": "e", "code_before": "a", "code_after": "b", "family": "borrow"}\n')
    write_jsonl(tmp_path / "new.jsonl", tiny_records(1)[:1])
    assert read_jsonl(path) == [] and len(read_jsonl(tmp_path / "new.jsonl")) == 1


@pytest.mark.parametrize("template", ["chat", "plain"])
def test_loss_is_on_the_answer_only(tokenizers, template):
    tokenizer = tokenizers[template]
    record = tiny_records(1)[0]
    pair = tokenize_record(tokenizer, record)
    prompt = render_prompt(tokenizer, prompt_messages(record.case))
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
