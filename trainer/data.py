"""Tonight's training data: fix records, chat-formatted pairs with loss on the answer only, and the replay buffer.

A fix record is what the day left behind: a rendered rustc error, the code
before and the code after (an accepted fix, or for a koan the reference
solution). Every pair is rendered with the fix engine's own prompt
(`sleepy_lsp.prompt.build_messages`) and answer format (`answer_for`), so the
model is trained on exactly what it is asked at serving time.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from sleepy_lsp.benchmark.koans import Koan
from sleepy_lsp.model.prompt import answer_for, build_messages
from sleepy_lsp.rust.diagnostics import Diagnostic
from sleepy_lsp.rust.families import classify
from sleepy_lsp.vocabulary import FAMILIES

IGNORE_INDEX = -100  # label value the loss skips: every prompt token gets it
PLAIN_TEMPLATE_ROLES = {"system": "### System", "user": "### User", "assistant": "### Assistant"}


@dataclass(frozen=True)
class FixRecord:
    """One lesson: an error, the code it was reported on and the code that fixed it.

    Args:
        error: the rendered rustc error, as the engine puts it into the prompt.
        code_before: the file as it was when the error was reported.
        code_after: the same file once fixed.
        family: the error family (one of sleepy_lsp.families.FAMILIES).
        error_line: 1-based line of the error's primary span.
        source: where it came from, e.g. "koan:bc_004" or "memory:accepted".
        file_name: the file's path in its crate, shown in the prompt.
    """

    error: str
    code_before: str
    code_after: str
    family: str
    error_line: int
    source: str
    file_name: str = "src/main.rs"

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"family {self.family!r} is not one of {', '.join(FAMILIES)}")
        if self.error_line < 1:
            raise ValueError(f"error_line {self.error_line} must be 1 or more")

    @property
    def key(self) -> str:
        """A content hash used for deduplication: the same code and the same fix are the same lesson.

        The error text is left out on purpose: the fix memory stores an error
        code where a koan run has rustc's full rendering, and both describe
        one lesson.
        """
        digest = hashlib.sha1("\x00".join((self.file_name, self.code_before, self.code_after)).encode("utf-8"))
        return digest.hexdigest()

    @property
    def answer(self) -> str:
        """The target answer in the engine's one-line-edit format."""
        return answer_for(self.code_before, self.code_after)

    def messages(self) -> list[dict[str, str]]:
        """The chat prompt the engine would send for this error."""
        return build_messages(self.error, self.code_before, self.error_line, self.family, file_name=self.file_name)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "FixRecord":
        """A record from its JSON form; unknown keys (from newer versions) are ignored."""
        names = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in raw.items() if k in names})


@dataclass(frozen=True)
class RenderedError:
    """The first compiler error of a broken file, as the prompt shows it.

    Args:
        text: rustc's rendered message.
        line: 1-based line of its primary span.
        family: the family classify() gives it.
    """

    text: str
    line: int
    family: str


def render_error(diagnostic: Diagnostic) -> RenderedError:
    """The prompt's view of one diagnostic: rustc's rendered text, its line and family.

    Args:
        diagnostic: a parsed rustc error.
    """
    text = (diagnostic.rendered or diagnostic.message).strip()  # what the engine's ModelProvider shows
    span = diagnostic.primary_span
    return RenderedError(text, span.line_start if span else 1, classify(diagnostic))


def first_error(koan: Koan, judge: Any) -> RenderedError | None:
    """Run `cargo check` on the koan's broken code in a judge shadow and render its first error.

    Args:
        koan: the koan whose broken code is checked.
        judge: a sleepy_lsp.judge.Judge.
    """
    with judge.shadow(koan) as shadow:
        checked = shadow.check()
    return render_error(checked.errors[0]) if checked.errors else None


def examples_from_koans(koans: Iterable[Koan], judge: Any = None,
                        errors: Mapping[str, RenderedError] | None = None) -> list[FixRecord]:
    """Fix records from train-split koans: broken code -> reference solution.

    Eval-split koans are skipped, because the frozen benchmark is never a lesson.
    The family is the koan's own label, which is what the gate scores by.

    Args:
        koans: koans to learn from (eval-split ones are ignored).
        judge: a Judge used to obtain each koan's rendered error with `cargo check`;
            needed only for koans missing from `errors`.
        errors: already rendered errors by koan id (skips cargo for those).
    """
    errors = dict(errors or {})
    records = []
    for koan in koans:
        if koan.split != "train":
            continue
        rendered = errors.get(koan.id)
        if rendered is None:
            if judge is None:
                raise ValueError(f"koan {koan.id!r} has no rendered error and no judge was given to obtain one")
            rendered = first_error(koan, judge)
        if rendered is None or koan.broken == koan.solution:
            continue
        records.append(FixRecord(rendered.text, koan.broken, koan.solution, koan.family, rendered.line,
                                 f"koan:{koan.id}", koan.source_rel))
    return records


def _field(record: Any, *names: str, default: Any = None) -> Any:
    """The first attribute (or mapping key) of record among names that is set."""
    for name in names:
        value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
        if value not in (None, ""):
            return value
    return default


def record_from_memory(raw: Any, source: str) -> FixRecord | None:
    """One fix-memory record as a FixRecord, or None when it lacks a before/after pair.

    The store's record types may still change, so every field is read tolerantly.

    Args:
        raw: an episode or accepted fix from sleepy_lsp.store.FixMemory.
        source: the source label to give it.
    """
    before = _field(raw, "code_before")
    after = _field(raw, "code_after", "fix_that_worked")
    if not isinstance(before, str) or not isinstance(after, str) or before == after:
        return None
    error = _field(raw, "rendered", "error", "message", default="")
    code = _field(raw, "error_code")
    if code and f"[{code}]" not in error:
        error = f"error[{code}]: {error}".strip()
    family = _field(raw, "family", default="other")
    return FixRecord(
        error=error,
        code_before=before,
        code_after=after,
        family=family if family in FAMILIES else "other",
        error_line=max(1, int(_field(raw, "error_line", "line", default=0) or first_changed_line(before, after))),
        source=source,
        file_name=_field(raw, "file_name", "rel_path", default="src/main.rs"),
    )


def first_changed_line(before: str, after: str) -> int:
    """The 1-based number of the first line that differs: where a fix without a recorded error line acted.

    Args:
        before: the code before the fix.
        after: the code after it.
    """
    old, new = before.splitlines(), after.splitlines()
    for number, (a, b) in enumerate(zip(old, new), start=1):
        if a != b:
            return number
    return min(len(old), len(new)) + 1


def _call_tolerantly(produce: Any, **preferred: Any) -> list[Any]:
    """produce(**preferred), or produce() when it takes no such arguments; [] when it is missing."""
    if not callable(produce):
        return []
    try:
        return list(produce(**preferred))
    except TypeError:
        return list(produce())


def examples_from_memory(memory: Any, limit: int = 100_000) -> list[FixRecord]:
    """Fix records from the fix memory: accepted fixes, and failed day episodes with the fix that worked.

    Args:
        memory: a sleepy_lsp.store.FixMemory (anything with accepted_fixes() and/or episodes()).
        limit: the most accepted fixes to read.
    """
    found = [(raw, "memory:accepted") for raw in _call_tolerantly(getattr(memory, "accepted_fixes", None), limit=limit)]
    found += [(raw, "memory:episode") for raw in _call_tolerantly(getattr(memory, "episodes", None), passed=False)]
    records = (record_from_memory(raw, source) for raw, source in found)
    return [r for r in records if r is not None]


def dedup(records: Iterable[FixRecord]) -> list[FixRecord]:
    """Records without repeats (same error, code and fix), first occurrence kept."""
    seen: set[str] = set()
    kept = []
    for record in records:
        if record.key not in seen:
            seen.add(record.key)
            kept.append(record)
    return kept


def family_counts(records: Iterable[FixRecord]) -> dict[str, int]:
    """Records per family, in the canonical family order, families with none left out."""
    counts = Counter(r.family for r in records)
    return {f: counts[f] for f in FAMILIES if counts[f]}


def by_family(records: Iterable[FixRecord]) -> dict[str, list[FixRecord]]:
    """Records grouped by family, in the canonical family order."""
    groups: dict[str, list[FixRecord]] = {}
    for family in FAMILIES:
        group = [r for r in records if r.family == family]
        if group:
            groups[family] = group
    return groups


# Tokenisation -----------------------------------------------------------------------------------

def render_prompt(tokenizer: Any, messages: Sequence[Mapping[str, str]]) -> str:
    """The prompt text up to where the model starts answering.

    The tokenizer's chat template when it has one, else a plain template, so
    that training and serving render the same text.

    Args:
        tokenizer: a Hugging Face tokenizer.
        messages: chat messages from build_messages().
    """
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(list(messages), tokenize=False, add_generation_prompt=True)
    parts = [f"{PLAIN_TEMPLATE_ROLES[m['role']]}\n{m['content']}\n\n" for m in messages]
    return "".join(parts) + PLAIN_TEMPLATE_ROLES["assistant"] + "\n"


def render_answer(tokenizer: Any, messages: Sequence[Mapping[str, str]], answer: str) -> str:
    """The text that follows the prompt in a finished conversation: the answer and its end marker.

    Args:
        tokenizer: a Hugging Face tokenizer.
        messages: the prompt's chat messages.
        answer: the assistant's reply.
    """
    if getattr(tokenizer, "chat_template", None):
        prompt = render_prompt(tokenizer, messages)
        full = tokenizer.apply_chat_template([*messages, {"role": "assistant", "content": answer}],
                                             tokenize=False)
        if full.startswith(prompt):
            return full[len(prompt):]
    return answer + (tokenizer.eos_token or "")


@dataclass
class TokenizedPair:
    """Token ids of prompt + answer, with labels hiding the prompt from the loss.

    Args:
        input_ids: prompt then answer token ids.
        labels: IGNORE_INDEX over the prompt, the answer's ids after it.
        family: the record's family (routing and per-family training use it).
        key: the record's dedup key.
    """

    input_ids: list[int]
    labels: list[int]
    family: str
    key: str = ""
    prompt_length: int = field(default=0)


def tokenize_record(tokenizer: Any, record: FixRecord, max_length: int = 1024) -> TokenizedPair | None:
    """A record as model inputs with the loss on the answer only; None when the prompt alone is too long.

    The prompt and the answer are tokenised separately, exactly as serving
    tokenises the prompt and then generates.

    Args:
        tokenizer: a Hugging Face tokenizer.
        record: the fix record.
        max_length: longest sequence kept; a long answer is cut at the end.
    """
    if max_length < 8:
        raise ValueError(f"max_length {max_length} is too small: use at least 8 tokens")
    messages = record.messages()
    prompt_ids = tokenizer(render_prompt(tokenizer, messages), add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(render_answer(tokenizer, messages, record.answer), add_special_tokens=False)["input_ids"]
    if len(prompt_ids) >= max_length - 1:
        return None
    answer_ids = answer_ids[: max_length - len(prompt_ids)]
    return TokenizedPair(prompt_ids + answer_ids, [IGNORE_INDEX] * len(prompt_ids) + answer_ids,
                         record.family, record.key, len(prompt_ids))


def tokenize_records(tokenizer: Any, records: Iterable[FixRecord], max_length: int = 1024) -> list[TokenizedPair]:
    """tokenize_record over records, dropping those whose prompt does not fit.

    Args:
        tokenizer: a Hugging Face tokenizer.
        records: fix records.
        max_length: longest sequence kept.
    """
    pairs = (tokenize_record(tokenizer, r, max_length) for r in records)
    return [p for p in pairs if p is not None]


def collate(pairs: Sequence[TokenizedPair], pad_id: int) -> dict[str, Any]:
    """A right-padded batch: input_ids, attention_mask and labels as torch tensors.

    Args:
        pairs: the batch's tokenized pairs.
        pad_id: the id used for padding (never learned: its labels are IGNORE_INDEX).
    """
    import torch

    width = max(len(p.input_ids) for p in pairs)
    ids = [p.input_ids + [pad_id] * (width - len(p.input_ids)) for p in pairs]
    mask = [[1] * len(p.input_ids) + [0] * (width - len(p.input_ids)) for p in pairs]
    labels = [p.labels + [IGNORE_INDEX] * (width - len(p.labels)) for p in pairs]
    return {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask), "labels": torch.tensor(labels)}


# The replay buffer ------------------------------------------------------------------------------

def write_jsonl(path: Path, records: Iterable[FixRecord]) -> None:
    """Records as JSON lines, written atomically (temporary file, then rename).

    Args:
        path: the target file.
        records: what to write.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
    tmp.replace(path)


def read_jsonl(path: Path) -> list[FixRecord]:
    """Records from a JSON-lines file; blank and malformed lines are skipped.

    Args:
        path: the file to read.
    """
    records = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            records.append(FixRecord.from_json(json.loads(line)))
        except (ValueError, TypeError):
            continue
    return records


class ReplayBuffer:
    """Earlier nights' data: a folder with one JSON-lines file per night.

    Args:
        root: the folder (created when the first night is added).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def nights(self) -> list[Path]:
        """The nights' files, oldest first (names sort by time)."""
        return sorted(self.root.glob("night-*.jsonl")) if self.root.is_dir() else []

    def add_night(self, night_id: str, records: Iterable[FixRecord]) -> Path:
        """Store a night's records for later replay.

        Args:
            night_id: the night's id (a sortable timestamp).
            records: the night's records.
        """
        if not re.fullmatch(r"[\w.-]+", night_id):
            raise ValueError(f"night id {night_id!r} may hold only letters, digits, '_', '-' and '.'")
        path = self.root / f"night-{night_id}.jsonl"
        write_jsonl(path, records)
        return path

    def all_records(self, exclude_night: str | None = None) -> list[FixRecord]:
        """Every stored record, deduplicated, optionally without one night's file.

        Args:
            exclude_night: a night id whose file is left out (tonight's own).
        """
        skip = f"night-{exclude_night}.jsonl" if exclude_night else None
        return dedup(r for path in self.nights() if path.name != skip for r in read_jsonl(path))

    def sample(self, k: int, seed: int = 0, exclude: Iterable[FixRecord] = (),
               exclude_night: str | None = None, family: str | None = None) -> list[FixRecord]:
        """Up to k earlier records chosen uniformly at random (reproducibly), none equal to an excluded one.

        Args:
            k: how many to draw (all of them when fewer are stored).
            seed: the random seed.
            exclude: records not to draw (tonight's own data).
            exclude_night: a night id whose file is not drawn from.
            family: draw only records of this family.
        """
        if k < 0:
            raise ValueError(f"replay sample size {k} must be 0 or more")
        skip = {r.key for r in exclude}
        pool = [r for r in self.all_records(exclude_night)
                if r.key not in skip and (family is None or r.family == family)]
        return random.Random(seed).sample(pool, min(k, len(pool)))
