"""Candidate providers: rustc's suggestions, fix patterns from the memory, and the model."""

from __future__ import annotations

import logging
from typing import Callable, Sequence

from ..memory.index import MemoryIndex
from ..model.answers import LineEdit, line_text_edits, parse_answer
from ..model.backends import Backend
from ..model.prompt import prompt_messages
from ..model.records import ErrorCase, FixRecord
from ..repair.rustc_notes import note_candidates
from ..repair.rustc_suggestions import Suggestion, everywhere, rustc_candidates
from ..rust.diagnostics import Diagnostic
from ..rust.families import classify
from .engine import Candidate, Fix, FixContext

log = logging.getLogger(__name__)


def describe(edits: list[LineEdit]) -> str:
    """A short title for a change: its first edit, in words."""
    if not edits:
        return "no change"
    first = edits[0]
    verb = {"LINE": "change line", "INSERT": "insert before line", "DELETE": "delete line"}[first.kind]
    summary = f"{verb} {first.line}"
    return f"{summary}: `{first.text.strip()[:60]}`" if first.text.strip() else summary


class RustcProvider:
    """rustc's suggestions for the diagnostic and the fixes its words describe (rustc_notes),
    each also applied at every alike error of the file, as candidates."""

    name = "rustc"

    def propose(self, ctx: FixContext) -> list[Candidate]:
        data = ctx.code.encode("utf-8")

        def suggest(diagnostic: Diagnostic) -> list[Suggestion]:
            return rustc_candidates(diagnostic, ctx.rel_path) + note_candidates(diagnostic, ctx.rel_path, data)

        suggestions = suggest(ctx.diagnostic)
        suggestions += everywhere(ctx.diagnostic, suggestions, ctx.errors, suggest)
        return [Candidate(s.edits, "rustc", f"rustc: {s.message}") for s in sorted(suggestions, key=lambda s: not s.preferred)]


def rustc_fixes(diagnostic: Diagnostic, rel_path: str, text: str, errors: Sequence[Diagnostic]) -> list[Fix]:
    """rustc's fixes for an error as they are offered at once, before the engine has checked them.

    Args:
        diagnostic: the error.
        rel_path: the file's path in its crate.
        text: the file's text.
        errors: every error of the check (a fix is also applied at each alike one).
    """
    ctx = FixContext(rel_path, text, diagnostic, classify(diagnostic), errors=tuple(errors))
    return [Fix.of(candidate, rel_path, text, diagnostic, ctx.family) for candidate in RustcProvider().propose(ctx)]


class PatternProvider:
    """Fix patterns learned from the user's fixes, applied where they match near the error: at the error
    itself, and once more at every alike error of the file as one fix."""

    name = "memory"

    def __init__(self, memory: "MemoryIndex", limit: int = 4) -> None:
        self.memory = memory
        self.limit = limit

    def propose(self, ctx: FixContext) -> list[Candidate]:
        span = ctx.diagnostic.primary_span
        if span is None or not ctx.diagnostic.code:
            return []
        book = self.memory.patterns
        found = []
        alike = sorted({d.primary_span.line_start for d in ctx.errors
                        if d.code == ctx.diagnostic.code and d.primary_span is not None
                        and d.primary_span.file_name == span.file_name and d.primary_span.line_start != span.line_start})
        data = ctx.code.encode("utf-8")
        at = (len(data[:span.byte_start].decode("utf-8", errors="ignore")),
              len(data[:span.byte_end].decode("utf-8", errors="ignore"))) \
            if span.file_name == ctx.rel_path else None  # the span in characters
        for application in book.apply(ctx.diagnostic.code, ctx.code, span.line_start, self.limit, at):
            title = f"memory ({application.pattern.uses()}): `{application.snippet[:80]}`"
            found.append(Candidate(application.edits, "memory", title))
            wider = book.everywhere(application, ctx.code, alike) if alike and len(found) == 1 else None
            if wider is not None:
                count = len(wider.edits)
                found.append(Candidate(wider.edits, "memory", f"{title} at {count} alike errors"))
        return found[: self.limit]


# Looks up worked examples for a prompt: the fixes most like this one.
ExampleSource = Callable[[FixContext], list[FixRecord]]


class ModelProvider:
    """Asks the model for line edits, with the family's hint and retrieved examples in the prompt."""

    name = "model"

    def __init__(self, backend: Backend, examples: ExampleSource | None = None, samples: int = 3,
                 temperature: float = 0.7, max_tokens: int = 160) -> None:
        self.backend = backend
        self.examples = examples
        self.samples = samples
        self.temperature = temperature
        self.max_tokens = max_tokens

    def propose(self, ctx: FixContext) -> list[Candidate]:
        examples = self.examples(ctx) if self.examples else []
        case = ErrorCase.of(ctx.diagnostic, ctx.rel_path, ctx.code)
        answers = self.backend.generate(prompt_messages(case, examples), n=self.samples, temperature=self.temperature,
                                        max_tokens=self.max_tokens, family=ctx.family, cancel=ctx.cancel)
        log.debug("%s answered %s at %s:%s: %r", self.backend.model_name, case.code, case.rel_path, case.line, answers)
        found = []
        for answer in answers:
            edits = parse_answer(answer)
            try:
                changes = line_text_edits(ctx.code, edits)
            except ValueError:
                continue
            if changes:
                found.append(Candidate(changes, "model", f"{self.backend.name}: {describe(edits)}",
                                       self.backend.model_name, self.backend.adapter_for(ctx.family)))
        return found
