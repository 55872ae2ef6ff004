"""Candidate providers: rustc's suggestions, fix patterns from the memory, and the model."""

from __future__ import annotations

from typing import Callable

from .backends import Backend
from .diagnostics import Diagnostic
from .edits import apply_edits
from .engine import Candidate, FixContext
from .memory import MemoryIndex
from .prompt import Example, answer_for, apply_line_edits, build_messages, parse_answer
from .rustc_notes import note_candidates
from .rustc_suggestions import Suggestion, everywhere, rustc_candidates


def describe(old: str, new: str) -> str:
    """A short title for a change: its first edit, in the answer format's words."""
    first = answer_for(old, new).splitlines()[:1]
    if not first:
        return "no change"
    kind, _, text = first[0].partition(":")
    verb = {"LINE": "change line", "INSERT": "insert before line", "DELETE": "delete line"}[kind.split()[0]]
    summary = f"{verb} {kind.split()[1]}"
    return f"{summary}: `{text.strip()[:60]}`" if text.strip() else summary


class RustcProvider:
    """rustc's suggestions for the diagnostic and the fixes its words describe (rustc_notes),
    each also applied at every alike error of the file, as candidates."""

    name = "rustc"

    def propose(self, ctx: FixContext) -> list[Candidate]:
        found = []
        data = ctx.code.encode("utf-8")

        def suggest(diagnostic: Diagnostic) -> list[Suggestion]:
            return rustc_candidates(diagnostic, ctx.rel_path) + note_candidates(diagnostic, ctx.rel_path, data)

        suggestions = suggest(ctx.diagnostic)
        suggestions += everywhere(ctx.diagnostic, suggestions, ctx.errors, suggest)
        for suggestion in sorted(suggestions, key=lambda s: not s.preferred):
            try:
                text = apply_edits(ctx.code, suggestion.edits)
            except ValueError:
                continue
            found.append(Candidate(text, "rustc", f"rustc: {suggestion.message}"))
        return found


class PatternProvider:
    """Fix patterns mined from accepted fixes, applied directly where they match."""

    name = "memory"

    def __init__(self, memory: "MemoryIndex", limit: int = 4) -> None:
        self.memory = memory
        self.limit = limit

    def propose(self, ctx: FixContext) -> list[Candidate]:
        found = []
        for text, pattern in self.memory.patterns.apply(ctx.diagnostic.code, ctx.code)[: self.limit]:
            title = f"memory ({pattern.accepted}× accepted): {describe(ctx.code, text)}"
            found.append(Candidate(text, "memory", title))
        return found


# Looks up worked examples for a prompt: (diagnostic, family, code) -> examples.
ExampleSource = Callable[[FixContext], list[Example]]


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
        span = ctx.diagnostic.primary_span
        examples = self.examples(ctx) if self.examples else []
        messages = build_messages(ctx.diagnostic.rendered or ctx.diagnostic.message, ctx.code,
                                  span.line_start if span else 1, ctx.family, examples, ctx.rel_path)
        answers = self.backend.generate(messages, n=self.samples, temperature=self.temperature,
                                        max_tokens=self.max_tokens, family=ctx.family, cancel=ctx.cancel)
        found = []
        for answer in answers:
            edits = parse_answer(answer)
            try:
                text = apply_line_edits(ctx.code, edits) if edits else None
            except ValueError:
                continue
            if text and text != ctx.code:
                found.append(Candidate(text, "model", f"{self.backend.name}: {describe(ctx.code, text)}",
                                       self.backend.model_name, self.backend.adapter_for(ctx.family)))
        return found
