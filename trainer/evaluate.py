"""Evaluating a candidate with the fix engine that serves, on the model the trainer holds in memory.

The engine (sleepy_lsp.strategies.build_engine) asks its backend for an
answer per diagnostic, passing the diagnostic's family; `InProcessBackend`
answers with the trainer's model, routed by that family the way the serving
backends route to champions: a LoRA adapter by name, a Share task's loadings,
or (to reproduce the study's failure mode) loadings averaged across tasks.
Evaluation is greedy (one sample), so two evaluations of the same model agree
and the gate's "no regression" means something.
"""

from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable

from sleepy_lsp.backends import Backend

from .data import render_prompt
from .share import combine_tasks, select_task, share_layers

ALL = "all"


@dataclass
class Routing:
    """Which adapter or task serves each family in the model under evaluation.

    Args:
        kind: "base" (no adapters), "lora" (peft adapters by name) or "share" (Share tasks).
        table: family -> adapter or task name; the "all" entry serves families without their own.
        combine: "route" (one task per request) or "average" (every task's loadings averaged; Share only).
    """

    kind: str = "base"
    table: dict[str, str] = field(default_factory=dict)
    combine: str = "route"

    def __post_init__(self) -> None:
        if self.kind not in ("base", "lora", "share"):
            raise ValueError(f"routing kind {self.kind!r} must be 'base', 'lora' or 'share'")
        if self.combine not in ("route", "average"):
            raise ValueError(f"combine {self.combine!r} must be 'route' or 'average'")
        if self.combine == "average" and self.kind == "lora":
            raise ValueError("combine='average' averages Share loadings; LoRA adapters have none to average")

    def target(self, family: str | None) -> str | None:
        """The adapter or task that serves a family, or None for the base model.

        Args:
            family: the diagnostic's family.
        """
        return self.table.get(family or "") or self.table.get(ALL)


def activate(model: Any, routing: Routing, family: str | None) -> Any:
    """Make the model serve one family; returns a context manager to generate under.

    Args:
        model: the model (a PeftModel for LoRA routing, a model with Share layers for Share routing).
        routing: the routing table.
        family: the diagnostic's family.
    """
    target = routing.target(family)
    if routing.kind == "share":
        if routing.combine == "average":
            combine_tasks(model, sorted(set(routing.table.values())), "average")
        else:
            select_task(model, target)
        return nullcontext()
    if routing.kind == "lora" and target is not None:
        model.set_adapter(target)
        return nullcontext()
    if hasattr(model, "disable_adapter"):
        return model.disable_adapter()
    if share_layers(model):
        select_task(model, None)
    return nullcontext()


class InProcessBackend(Backend):
    """A fix-engine backend over a model already in memory, routed by family.

    Args:
        model: the model.
        tokenizer: its tokenizer.
        routing: which adapter or task serves each family.
        label: the name shown as the backend's model.
    """

    name = "trainer"

    def __init__(self, model: Any, tokenizer: Any, routing: Routing, label: str = "candidate") -> None:
        super().__init__()
        self.model = model
        self.tokenizer = tokenizer
        self.routing = routing
        self.label = label
        self._generate_lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return self.label

    def adapter_for(self, family: str | None) -> str | None:
        return self.routing.target(family)

    def generate(self, messages: list[dict[str, str]], n: int = 1, temperature: float = 0.0, max_tokens: int = 160,
                 family: str | None = None, cancel: threading.Event | None = None) -> list[str]:
        """Greedy answers (one, whatever n asks: evaluation must be repeatable).

        Args:
            messages: the engine's chat messages.
            n: samples asked for (evaluation answers once).
            temperature: ignored (greedy).
            max_tokens: longest answer.
            family: the diagnostic's family, for routing.
            cancel: stops before generating when set.
        """
        import torch

        if cancel is not None and cancel.is_set():
            return []
        with self._generate_lock:
            prompt = render_prompt(self.tokenizer, messages)
            inputs = self.tokenizer(prompt, add_special_tokens=False, return_tensors="pt")
            device = next(self.model.parameters()).device
            inputs = {k: v.to(device) for k, v in inputs.items()}
            self.model.eval()
            with activate(self.model, self.routing, family), torch.no_grad():
                out = self.model.generate(**inputs, max_new_tokens=max_tokens, do_sample=False,
                                          pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id)
        return [self.tokenizer.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True)]


def evaluate_koans(judge: Any, koans: list[Any], backend: Backend, strategy: str = "model",
                   on_done: Callable[[Any], None] | None = None) -> dict[str, bool]:
    """koan id -> passed, running the serving engine with this backend over the koans.

    Args:
        judge: a sleepy_lsp.judge.Judge.
        koans: the eval koans.
        backend: the backend under test.
        strategy: the engine strategy ("model": the model alone; "full": with rustc and memory too).
        on_done: called with each koan's result as it finishes.
    """
    from sleepy_lsp.evaluate import evaluate
    from sleepy_lsp.strategies import build_engine

    engine = build_engine(strategy, backend, samples=1)
    return {result.id: bool(result.passed) for result in evaluate(judge, koans, engine, on_done)}
