"""Evaluating a candidate with the fix engine that serves, on the model the trainer holds in memory.

The engine (sleepy_lsp.engine.strategies.build_engine) asks its backend for an
answer per diagnostic, passing the diagnostic's family; `InProcessBackend`
answers with the trainer's model, routed by that family the way the serving
backends route to champions: a LoRA adapter by name, a Share task's loadings,
or (to reproduce the study's failure mode) loadings averaged across tasks.
Evaluation is greedy (one sample), so two evaluations of the same model agree
and the gate's "no regression" means something. `evaluate_candidates` is the
night's evaluation: the base model once (cached), the champions from their
recorded results, and tonight's candidate on the families it covers.
"""

from __future__ import annotations

import hashlib
import json
import threading
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from sleepy_lsp.benchmark.koans import load_koans
from sleepy_lsp.model.backends import Backend
from sleepy_lsp.vocabulary import ALL_FAMILIES, KOAN_FAMILIES

from .data import render_prompt
from .share import combine_tasks, select_task, share_layers, tasks_of

if TYPE_CHECKING:
    from .night import NightPlan
    from .registry import Registry
    from .tasks import Trained

Log = Callable[[str], None]


@dataclass
class Routing:
    """Which adapter or task serves each family in the model under evaluation.

    Args:
        kind: "base" (no adapters), "lora" (peft adapters by name) or "share" (Share tasks).
        table: family -> adapter or task name; the ALL_FAMILIES entry serves families without their own.
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
        return self.table.get(family or "") or self.table.get(ALL_FAMILIES)


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
    from sleepy_lsp.benchmark.evaluate import evaluate
    from sleepy_lsp.engine.strategies import build_engine

    engine = build_engine(strategy, backend, samples=1)
    return {result.id: bool(result.passed) for result in evaluate(judge, koans, engine, on_done)}


# Tonight's evaluation -----------------------------------------------------------------------------

@dataclass
class Scores:
    """Tonight's evaluation on the eval split: what the gate decides on.

    Args:
        families: koan id -> family.
        champion: koan id -> passed, for the current champions (the base model where a family has none).
        candidate: koan id -> passed, for tonight's candidate (the champion's result outside the families it covers).
        covered: the families tonight's candidate was evaluated on.
    """

    families: dict[str, str]
    champion: dict[str, bool]
    candidate: dict[str, bool]
    covered: list[str]


def evaluate_candidates(plan: NightPlan, trained: Trained, tokenizer: Any, judge_factory: Callable[[], Any],
                        log: Log) -> Scores:
    """Score tonight's candidate, and the champions it would replace, on the eval split.

    Args:
        plan: tonight's plan.
        trained: what training produced.
        tokenizer: the tokenizer.
        judge_factory: makes the Judge.
        log: progress messages.
    """
    koans = load_koans(plan.eval_koans_dir, split="eval")
    judge = judge_factory()

    def run_eval(routing: Routing, subset: list[Any] | None = None) -> dict[str, bool]:
        backend = InProcessBackend(trained.model, tokenizer, routing, routing.kind)
        chosen = subset if subset is not None else koans
        with eval_progress(f"evaluating the {routing.kind} model", len(chosen)) as advance:
            return evaluate_koans(judge, chosen, backend, plan.eval_strategy, advance)

    baseline = baseline_results(plan, koans, run_eval, log)
    champion = champion_results(plan.registry, koans, baseline)
    routing = candidate_routing(plan, trained)
    # An adapter for all families, or loadings averaged over every task, serves every family; routed
    # per-family adapters only their own.
    covered = set(KOAN_FAMILIES) if routing.table.get(ALL_FAMILIES) or plan.combine == "average" else set(routing.table)
    subset = [k for k in koans if k.family in covered]
    log(f"evaluating tonight's candidate on {len(subset)} eval koans")
    candidate = dict(champion) | run_eval(routing, subset)
    return Scores({k.id: k.family for k in koans}, champion, candidate, sorted(covered))


def baseline_results(plan: NightPlan, koans: list[Any], run_eval: Callable[[Routing], dict[str, bool]],
                     log: Log) -> dict[str, bool]:
    """The base model's results on the eval koans, cached per base model, koan set and strategy.

    Args:
        plan: tonight's plan.
        koans: the eval koans.
        run_eval: evaluates a routing (the base routing here) and returns koan id -> passed.
        log: progress messages.
    """
    key = hashlib.sha1(json.dumps([str(plan.base_model), plan.eval_strategy, sorted(k.id for k in koans)]).encode())
    path = plan.work / "evals" / f"base-{key.hexdigest()[:16]}.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    log("evaluating the base model once (cached for later nights)")
    results = run_eval(Routing("base"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


def champion_results(registry: Registry, koans: list[Any], baseline: dict[str, bool]) -> dict[str, bool]:
    """What the current champions pass: each koan scored by its family's champion (recorded when it was gated).

    Args:
        registry: the adapter registry.
        koans: the eval koans.
        baseline: the base model's results, for families without a champion.
    """
    results = {}
    for koan in koans:
        champion = registry.champion_for(koan.family)
        recorded = registry.manifest(champion.adapter).eval_results if champion else {}
        results[koan.id] = bool(recorded.get(koan.id, baseline[koan.id]))
    return results


def candidate_routing(plan: NightPlan, trained: Trained) -> Routing:
    """How the candidate model routes families during evaluation.

    Args:
        plan: tonight's plan.
        trained: what training produced.
    """
    if plan.method == "share":
        if plan.combine == "average":
            return Routing("share", {t: t for t in tasks_of(trained.model)}, "average")
        return Routing("share", {t: t for t in trained.factors})
    return Routing("lora", {t: t for t in trained.factors})


@contextmanager
def eval_progress(label: str, total: int) -> Iterator[Callable[[Any], None]]:
    """A rich progress bar over koans being evaluated; yields the per-koan callback.

    Args:
        label: the bar's description.
        total: koans to evaluate.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task(label, total=total)
        yield lambda _result=None: progress.advance(task)
