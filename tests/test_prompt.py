"""The prompt and the line-edit answer format: building, parsing (fenced, malformed, truncated), applying."""

import pytest
from conftest import ALL_KOANS

from sleepy_lsp.model.answers import LineEdit, answer_for, apply_line_edits, parse_answer
from sleepy_lsp.model.prompt import prompt_messages
from sleepy_lsp.model.records import ErrorCase, FixRecord, code_window, file_hash

CODE = "fn main() {\n    let x = 1;\n    x += 1;\n    println!(\"{x}\");\n}\n"


def case_of(code: str, error: str, line: int) -> ErrorCase:
    return ErrorCase(error, error[6:11], "error", error.split(": ", 1)[1], "src/main.rs", line, 5, "borrow",
                     code_window(code, line), file_hash(code))


def test_messages_hold_error_hint_numbered_code_and_examples():
    moved = "fn main() {\n    let s = String::new();\n    f(s); g(s);\n}\n"
    example = FixRecord.of(case_of(moved, "error[E0382]: use of moved value", 3), moved,
                           moved.replace("f(s);", "f(s.clone());"))
    messages = prompt_messages(case_of(CODE, "error[E0384]: cannot assign twice", 3), [example])
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    last = messages[-1]["content"]
    assert "E0384" in last and "Hint: Ownership error" in last and "  3 |     x += 1;" in last
    assert "  3 |     f(s); g(s);" in messages[1]["content"]  # the example's lines keep their numbers
    assert messages[2]["content"] == example.answer == "LINE 3:     f(s.clone()); g(s);"


def test_long_files_show_a_window_around_the_error():
    code = "\n".join(f"// line {n}" for n in range(1, 301))
    window = code_window(code, 150)
    assert "120 | // line 120" in window and "180 | // line 180" in window
    assert "// line 119\n" not in window and "// line 181" not in window


@pytest.mark.parametrize("answer, expected", [
    ("LINE 3:     let mut x = 1;", [LineEdit("LINE", 3, "    let mut x = 1;")]),
    ("```rust\nLINE 2: let mut x = 1;\n```", [LineEdit("LINE", 2, "let mut x = 1;")]),
    ("Sure! Here is the fix:\n- line 2: a\nINSERT 1: #[derive(Debug)]\nDELETE 4\nthanks",
     [LineEdit("LINE", 2, "a"), LineEdit("INSERT", 1, "#[derive(Debug)]"), LineEdit("DELETE", 4)]),
    ("LINE 2: let mut x = 1;\nLINE 3", [LineEdit("LINE", 2, "let mut x = 1;")]),  # truncated last edit
    ("LINE 0: nothing\nLINE x: nope\n", []),
    ("", []),
])
def test_parse_answer_is_robust(answer, expected):
    assert parse_answer(answer) == expected


def test_apply_line_edits():
    edits = [LineEdit("LINE", 2, "    let mut x = 1;"), LineEdit("INSERT", 1, "// counter"), LineEdit("DELETE", 4)]
    assert apply_line_edits(CODE, edits) == "// counter\nfn main() {\n    let mut x = 1;\n    x += 1;\n}\n"
    with pytest.raises(ValueError):
        apply_line_edits(CODE, [LineEdit("LINE", 9, "x")])
    with pytest.raises(ValueError):
        apply_line_edits(CODE, [LineEdit("LINE", 2, "a"), LineEdit("DELETE", 2)])


def test_answer_for_round_trips_every_koan_fix():
    for koan in ALL_KOANS:
        answer = answer_for(koan.broken, koan.solution)
        fixed = apply_line_edits(koan.broken, parse_answer(answer))
        assert fixed.rstrip() == koan.solution.rstrip(), koan.id


def test_line_edits_keep_each_line_ending():
    crlf = "fn main() {\r\n    let x = 1;\r\n    x += 1;\r\n}\r\n"
    edits = [LineEdit("LINE", 2, "    let mut x = 1;"), LineEdit("INSERT", 1, "// counter")]
    assert apply_line_edits(crlf, edits) == "// counter\nfn main() {\r\n    let mut x = 1;\r\n    x += 1;\r\n}\r\n"
    assert apply_line_edits("a\nb", [LineEdit("INSERT", 3, "c")]) == "a\nb\nc"
    with pytest.raises(ValueError):
        apply_line_edits("a\nb\n", [LineEdit("LINE", 1, "x"), LineEdit("DELETE", 1)])
