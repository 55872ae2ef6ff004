"""Tonight's training data: fix records, chat-formatted pairs with loss on the answer only, and the replay buffer.

A lesson is a FixRecord (sleepy_lsp.model.records), the same record the day
kept: the error as the model is shown it and the fix, from a fix the user
accepted or wrote, a day episode, or a koan's reference solution. Every pair is
the engine's own prompt for the record's case (`prompt_messages`) followed by
its answer, so the model is trained on exactly what it is asked at serving time.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from sleepy_lsp.benchmark.koans import LESSON_SPLIT, Koan
from sleepy_lsp.memory.store import FixMemory
from sleepy_lsp.model.prompt import prompt_messages
from sleepy_lsp.model.records import ErrorCase, FixRecord
from sleepy_lsp.vocabulary import FAMILIES

IGNORE_INDEX = -100  # label value the loss skips: every prompt token gets it
PLAIN_TEMPLATE_ROLES = {"system": "### System", "user": "### User", "assistant": "### Assistant"}
JSON_FORMAT = 2  # fix records as JSON lines (replay buffer, --data files); other lines are skipped


def first_error(koan: Koan, judge: Any) -> ErrorCase | None:
    """Run `cargo check` on the koan's broken code in a judge shadow: its first error, as the model is shown it.

    Args:
        koan: the koan whose broken code is checked.
        judge: a sleepy_lsp.benchmark.judge.Judge.
    """
    with judge.shadow(koan) as shadow:
        checked = shadow.check()
    return ErrorCase.of(checked.errors[0], koan.source_rel, koan.broken) if checked.errors else None


def examples_from_koans(koans: Iterable[Koan], judge: Any = None,
                        errors: Mapping[str, ErrorCase] | None = None) -> list[FixRecord]:
    """Fix records from train-split koans: broken code -> reference solution.

    Eval- and holdout-split koans are skipped, because a frozen benchmark is never a lesson.
    The family is the koan's own label, which is what the gate scores by.

    Args:
        koans: koans to learn from (others than the train split's are ignored).
        judge: a Judge used to obtain each koan's first error with `cargo check`;
            needed only for koans missing from `errors`.
        errors: already checked first errors by koan id (skips cargo for those).
    """
    errors = dict(errors or {})
    records = []
    for koan in koans:
        if koan.split != LESSON_SPLIT:
            continue
        case = errors.get(koan.id)
        if case is None:
            if judge is None:
                raise ValueError(f"koan {koan.id!r} has no checked error and no judge was given to obtain one")
            case = first_error(koan, judge)
        if case is None or koan.broken == koan.solution:
            continue
        case = replace(case, family=koan.family)
        records.append(FixRecord.of(case, koan.broken, koan.solution, "koan", f"koan {koan.id}",
                                    source=f"koan:{koan.id}"))
    return records


def examples_from_memory(memory: FixMemory, limit: int = 100_000) -> list[FixRecord]:
    """Fix records from the fix memory: the fixes the user accepted or wrote, and the failed day episodes
    with the fix that worked, each kept in the memory as the record it is.

    Args:
        memory: the fix memory.
        limit: the most fixes to read.
    """
    records = [replace(offer.record, source=f"memory:{outcome}")
               for offer, outcome in memory.fixes_by_outcome(("accepted", "manual"), limit=limit)]
    episodes = (episode.record() for episode in memory.episodes(passed=False))
    return records + [replace(r, source="memory:episode") for r in episodes if r is not None]


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
        messages: chat messages from prompt_messages().
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
    messages = prompt_messages(record.case)
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
            out.write(json.dumps(record_to_json(record), ensure_ascii=False) + "\n")
    tmp.replace(path)


def record_to_json(record: FixRecord) -> dict[str, Any]:
    return {"format": JSON_FORMAT, **asdict(record)}


def record_from_json(raw: Mapping[str, Any]) -> FixRecord:
    """A record from its JSON form; ValueError for another format (an older sleepy-coder's lines)."""
    if raw.get("format") != JSON_FORMAT:
        raise ValueError(f"not a format-{JSON_FORMAT} fix record")
    fields = {k: v for k, v in raw.items() if k != "format"}
    return FixRecord(**fields | {"case": ErrorCase(**fields["case"])})


def read_jsonl(path: Path) -> list[FixRecord]:
    """Records from a JSON-lines file; blank and malformed lines are skipped.

    Args:
        path: the file to read.
    """
    records = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            records.append(record_from_json(json.loads(line)))
        except (ValueError, TypeError, KeyError):
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
