"""The model's prompt, one builder for serving and for training.

The prompt is made from an ErrorCase (model/records.py): the system rule, worked
examples (earlier fixes, as earlier turns of the chat), then the error with a
hint for its family and the numbered code around it. A training pair is the
prompt of a recorded fix's case followed by its answer, so the model is trained
on exactly what it is asked.
"""

from __future__ import annotations

from typing import Sequence

from .answers import numbered
from .records import ErrorCase, FixRecord

SYSTEM = (
    "You fix Rust compiler errors. Reply only with edits, one per line: "
    "`LINE n: <new text of line n>` replaces line n, `INSERT n: <text>` inserts a line before line n, "
    "`DELETE n` deletes line n. Change as little as possible."
)

# A hint per error family, in the prompt under the error.
FAMILY_HINTS = {
    "borrow": "Ownership error: clone the value, borrow instead of moving, add `mut`, shorten a borrow, "
              "reorder statements, or return an owned value instead of a reference to a local.",
    "trait_bounds": "A trait is missing: derive it (#[derive(Debug, Clone, PartialEq, ...)]), implement it, "
                    "add a bound like `T: Debug` to the generic, or use a type that has it (Arc instead of Rc).",
    "result": "Option/Result handling: make the function return Result, use `?`, map_err, ok_or, "
              "unwrap_or, unwrap_or_else, if let or match.",
    "type_mismatch": "Types differ: convert with .to_string(), .into(), `as`, from(), or change the declared type.",
    "missing_item": "Something is not defined or not imported: add the `use`, fix the name, or write the "
                    "missing function, method, field or variant.",
    "other": "Make the smallest change that makes the code compile.",
}


def user_message(case: ErrorCase) -> str:
    """The question about one error: rustc's words, the family's hint, the code around it."""
    hint = FAMILY_HINTS.get(case.family, FAMILY_HINTS["other"])
    return f"Error:\n{case.error}\n\nHint: {hint}\n\nCode ({case.rel_path}):\n{case.context}\n\nEdits:"


def example_turns(record: FixRecord) -> list[dict[str, str]]:
    """A worked example: the error and the lines the fix changed, numbered as in its file, and the answer."""
    code = numbered(record.before, start=record.hunk_line)
    return [{"role": "user", "content": f"Error:\n{record.case.error}\n\nCode:\n{code}\n\nEdits:"},
            {"role": "assistant", "content": record.answer}]


def prompt_messages(case: ErrorCase, examples: Sequence[FixRecord] = ()) -> list[dict[str, str]]:
    """Chat messages: the system rule, worked examples as earlier turns, then this error."""
    messages = [{"role": "system", "content": SYSTEM}]
    for example in examples:
        messages += example_turns(example)
    messages.append({"role": "user", "content": user_message(case)})
    return messages
