"""The night-cycle experiment: a sequence of nights, each method trained in turn, the whole eval split after every night.

    .venv/bin/python bench/night_experiment.py            # the full run (about 100 minutes on 2 cores, idle)
    .venv/bin/python bench/night_experiment.py --quick    # the smoke test (a few minutes)
    .venv/bin/python bench/night_experiment.py --plan     # measure this machine, print the budget plan, stop
    .venv/bin/python bench/night_experiment.py --resume   # continue a killed run from its last recorded night

Each night brings one family's train-split koans (the base model's day
failures, see --day), in the order borrow, trait_bounds, result,
type_mismatch, missing_item. Every method trains on that night with
`trainer.night.run_night` (the same code `sleepy-train run` runs), in its own
registry and work folder so that methods never see each other's adapters or
replay buffers:

- lora:   one adapter for all families, each night continuing from the last (naive LoRA);
- replay: the same, with as many pairs replayed from earlier nights as tonight brings;
- share:  Share per family (phase 1 bootstraps from one LoRA trained on the first night's
          records at LoRA's learning rate, phase 2 trains loadings and rank updates, phase 3
          grows the basis and re-projects every task, and earlier tasks whose delta W it changed
          are exported again), served routed by family;
- share-average: the same nights' Share basis with every task's loadings averaged into one
          adapter for all families (`--combine average`: the seed study's failure mode). It is
          derived from the share method's basis after each night, so the two differ only in
          routing versus averaging, and it costs evaluation only.

The experiment carries every night's adapters forward (they become the
champions the next night continues from), whatever the gate says, because the
question is what training does; what the gate would have served from the same
candidates is reported next to it. After every night each method is scored
on the whole eval split with the fix engine's `model` strategy (one greedy
sample), its registry's champions routed by family exactly as the server
routes them (the peft folders the registry publishes; for share that includes the
earlier tasks re-exported after phase 3, so its forgetting matrix shows what phase 3
did to them). A koan's result depends
only on the adapter that serves its family, so results are memoised by
(adapter content, koan): a family whose adapter did not change is not
evaluated again (nor is replay's first night when, with an empty buffer and
the same seed, it trains byte for byte the adapter lora trained).

Writes bench/results/night_experiment.md and .json (night_experiment_quick.* for --quick).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sleepy_lsp.benchmark.koans import load_koans  # noqa: E402
from sleepy_lsp.vocabulary import ALL_FAMILIES as ALL  # noqa: E402
from sleepy_lsp.vocabulary import KOAN_FAMILIES as FAMILIES

KOANS = ROOT / "koans"
RESULTS = ROOT / "bench" / "results"
NIGHTS = FAMILIES  # borrow, trait_bounds, result, type_mismatch, missing_item
METHODS = ("lora", "replay", "share", "share-average")
TITLES = {
    "lora": "Naive LoRA (one adapter, continued nightly)",
    "replay": "Replay buffer (LoRA + earlier nights, 1:1)",
    "share": "Share (phases 1-3), routed by family",
    "share-average": "Share, loadings averaged (study's failure mode)",
}
Log = Callable[[str], None]


@dataclass
class Config:
    """What the experiment runs; the defaults are the full run's (see the budget plan it prints).

    Args:
        nights: the family each night brings, in order.
        methods: the methods, trained in turn each night.
        steps: optimizer steps per adapter (and per Share task) per night.
        lr_lora: learning rate for lora and replay.
        lr_share: learning rate for Share's loadings and rank updates (its first night's bootstrap LoRA trains
            at lr_lora, like the LoRA methods).
        rank: LoRA rank (Share's too).
        k: Share's principal directions per side in phase 1 (the basis grows from there in phase 3).
        rank_updates: Share's rank-update vectors per side.
        max_length: longest training pair in tokens.
        max_tokens: longest model answer at evaluation.
        eval_per_family: evaluate only the first n eval koans of each family (None: the whole split).
        eval_families: evaluate only these families' eval koans (for calibrating; the default is all).
        threads: torch threads for training ("auto" measures 1 and 2 before each training and keeps the faster).
        eval_threads: torch threads for evaluation, when the judge's cargo builds run beside the model.
        jobs: koans judged in parallel.
        day: run the base model over the train split first and learn only from what it failed.
        resume: continue a killed run from its progress file (same settings and work folder).
        average_nights: evaluate share-average after "all" nights or only the "last" one.
        budget_minutes: the time the plan is checked against.
        hard_limit_minutes: share-average's evaluation is skipped when it would end past this.
        work_dir: registries, work folders and caches.
        out_dir: where the markdown and JSON go.
        stem: their file name without extension.
        seed: training seed.
    """

    nights: tuple[str, ...] = NIGHTS
    methods: tuple[str, ...] = ("lora", "replay", "share", "share-average")
    steps: int = 12
    lr_lora: float = 5e-4
    lr_share: float = 1e-3
    rank: int = 16
    k: int = 32
    rank_updates: int = 2
    max_length: int = 1536
    max_tokens: int = 96
    eval_per_family: int | None = None
    eval_families: tuple[str, ...] = FAMILIES
    threads: str = "auto"
    eval_threads: int = 1
    jobs: int = 2
    day: bool = False
    resume: bool = False
    average_nights: str = "last"
    budget_minutes: float = 100.0
    hard_limit_minutes: float = 120.0
    work_dir: Path = Path("/tmp/sleepy-night-experiment")
    out_dir: Path = RESULTS
    stem: str = "night_experiment"
    seed: int = 0

    @classmethod
    def quick(cls, **overrides: Any) -> "Config":
        """The smoke test: 2 nights, lora and share, 2 steps, one eval koan per family, short answers."""
        values = dict(nights=("borrow", "trait_bounds"), methods=("lora", "share"), steps=2, max_tokens=16,
                      max_length=1024, threads="1",
                      eval_per_family=1, budget_minutes=4.0, hard_limit_minutes=15.0, work_dir=Path("/tmp/sleepy-night-experiment-quick"),
                      stem="night_experiment_quick")
        return cls(**(values | overrides))


# Measuring the machine ------------------------------------------------------------------------------

def forward_seconds(model: Any, tokens: int, threads: int, repeats: int = 2) -> float:
    """The best of a few timed forward passes over `tokens` tokens with `threads` torch threads."""
    import torch

    torch.set_num_threads(threads)
    ids = torch.randint(100, 20000, (1, tokens), generator=torch.Generator().manual_seed(0))
    best = math.inf
    with torch.no_grad():
        model(input_ids=ids[:, :16])
        for _ in range(repeats):
            started = time.perf_counter()
            model(input_ids=ids)
            best = min(best, time.perf_counter() - started)
    return best


def choose_threads(model: Any, setting: str, log: Log) -> int:
    """torch threads for the next training: a number, or "auto" (the faster of 1 and 2 right now).

    On this 2-core machine two threads are faster when the machine is idle and
    several times slower when another process holds a core (OpenMP workers
    spin waiting for each other), so the choice is measured again before every
    training. Evaluation keeps to eval_threads (1): the judge's cargo builds
    run beside the model there.
    """
    import torch

    cores = os.cpu_count() or 1
    if setting != "auto":
        torch.set_num_threads(max(1, int(setting)))
        return torch.get_num_threads()
    if cores < 2:
        torch.set_num_threads(1)
        return 1
    timings = {n: forward_seconds(model, 256, n, repeats=1) for n in (1, 2)}
    best = min(timings, key=timings.get)
    torch.set_num_threads(best)
    log(f"torch threads: {best} (forward of 256 tokens: 1 thread {timings[1]:.2f} s, 2 threads {timings[2]:.2f} s; "
        f"load average {os.getloadavg()[0]:.1f})")
    return best


@dataclass
class Costs:
    """Measured unit costs on this machine right now."""

    threads: int
    train_threads: int
    step_seconds: float  # one training step on a median-length pair (estimated as 3.2 forward passes)
    prefill_seconds: float  # one prompt of median length
    token_seconds: float  # one generated token
    pair_tokens: int

    def generation(self, tokens: float) -> float:
        return self.prefill_seconds + tokens * self.token_seconds


def measure_costs(model: Any, tokenizer: Any, records: list[Any], threads: int, train_threads: int) -> Costs:
    """Unit costs: generation with `threads` torch threads, a training step with `train_threads`."""
    import torch

    from sleepy_lsp.model.prompt import prompt_messages
    from trainer.data import render_prompt, tokenize_records

    pairs = tokenize_records(tokenizer, records, 4096)
    lengths = sorted(len(p.input_ids) for p in pairs) or [800]
    median = lengths[len(lengths) // 2]
    prompt = render_prompt(tokenizer, prompt_messages(records[0].case))
    inputs = tokenizer(prompt, add_special_tokens=False, return_tensors="pt")
    timings = {}
    with torch.no_grad():
        for tokens in (4, 20):
            started = time.perf_counter()
            model.generate(**inputs, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False,
                           pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id)
            timings[tokens] = time.perf_counter() - started
    per_token = max(0.005, (timings[20] - timings[4]) / 16)
    prefill = max(0.05, timings[4] - 4 * per_token)
    step = 3.2 * forward_seconds(model, median, train_threads, repeats=1)
    torch.set_num_threads(threads)
    return Costs(threads, train_threads, step, prefill, per_token, median)


# The plan -----------------------------------------------------------------------------------------

GENERATIONS_PER_KOAN = 1.3  # measured: koans with several errors ask the model once per error
CARGO_SECONDS_PER_KOAN = 2.0  # checks and the judge's build not hidden behind generation (2 jobs)
TRAINED_ANSWER_TOKENS = 40  # a trained adapter answers in the edit format and stops; the base model rambles


def plan_rows(config: Config, costs: Costs, eval_counts: dict[str, int], baseline_cached: int = 0) -> list[tuple[str, str, float]]:
    """(phase, what, estimated seconds) for the whole run (baseline_cached: base results already memoised)."""
    total_eval = sum(eval_counts.values())
    koan_base = GENERATIONS_PER_KOAN * costs.generation(config.max_tokens) + CARGO_SECONDS_PER_KOAN
    koan_trained = GENERATIONS_PER_KOAN * costs.generation(min(config.max_tokens, TRAINED_ANSWER_TOKENS)) \
        + CARGO_SECONDS_PER_KOAN
    step, nights = costs.step_seconds, len(config.nights)
    rows = [("setup", "load the model, check the train koans, measure", 30.0)]
    if config.day:
        rows.append(("day", f"base model on {6 * nights} train koans", 6 * nights * koan_base))
    rows.append(("baseline", f"base model on {total_eval} eval koans"
                 + (f" ({baseline_cached} already memoised)" if baseline_cached else ""),
                 (total_eval - baseline_cached) * koan_base))
    for method in config.methods:
        if method in ("lora", "replay"):
            train = nights * (config.steps * step + 15)
            evals = nights * total_eval * koan_trained
            rows.append((method, f"{nights} nights x {config.steps} steps; {nights} x {total_eval} eval koans", train + evals))
        elif method == "share":
            train = (nights + 1) * config.steps * step + nights * 20
            # At most every family trained so far: tonight's, and earlier ones phase 3 changed and re-exported.
            evals = sum(eval_counts.get(f, 0) for i in range(nights) for f in config.nights[:i + 1]) * koan_trained
            rows.append((method, f"{nights} nights x {config.steps} steps (+{config.steps} bootstrap); "
                                 f"tonight's family and the re-exported ones re-evaluated (at most)", train + evals))
        elif method == "share-average":
            times = nights if config.average_nights == "all" else 1
            evals = times * total_eval * koan_trained
            rows.append((method, f"derived from share's basis; {times} x {total_eval} eval koans "
                                 f"({'after every night' if times > 1 else 'after the last night'})", evals))
    return rows


def render_plan(config: Config, costs: Costs, rows: list[tuple[str, str, float]]) -> str:
    total = sum(seconds for _, _, seconds in rows)
    lines = ["## Budget plan", "",
             f"Measured now (load average {os.getloadavg()[0]:.1f}): "
             f"a training step on a {costs.pair_tokens}-token pair ~{costs.step_seconds:.1f} s "
             f"({costs.train_threads} torch thread(s)); with {costs.threads} thread(s) for evaluation, "
             f"a prompt prefill {costs.prefill_seconds:.1f} s and a generated token {1000 * costs.token_seconds:.0f} ms.",
             f"Settings: {len(config.nights)} nights ({', '.join(config.nights)}), methods {', '.join(config.methods)}, "
             f"{config.steps} steps per adapter per night (lr {config.lr_lora:g} LoRA, {config.lr_share:g} Share), "
             f"rank {config.rank}, Share k={config.k} with {config.rank_updates} rank updates, max length {config.max_length} tokens, "
             f"answers of at most {config.max_tokens} tokens, 1 greedy sample, "
             f"{'every' if config.eval_per_family is None else f'{config.eval_per_family} per family of the'} "
             f"eval koan(s), {config.jobs} judge jobs.", "",
             "| phase | what | estimated |", "| --- | --- | --- |"]
    lines += [f"| {phase} | {what} | {seconds / 60:.1f} min |" for phase, what, seconds in rows]
    verdict = "fits" if total <= config.budget_minutes * 60 else "DOES NOT FIT"
    lines += [f"| total | | {total / 60:.1f} min ({verdict} in {config.budget_minutes:.0f} min) |", "",
              "Unit costs are measured at the start; they change with the machine's load (torch threads for "
              "training are chosen again before every training). share-average is skipped, and says so, if its evaluation "
              f"would end past {config.hard_limit_minutes:.0f} min.", ""]
    return "\n".join(lines)


# Evaluation ---------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def adapter_digest(folder: Path) -> str:
    """The adapter's content (its peft weights and config): two byte-identical adapters score the same.

    A published adapter folder never changes, so its digest is computed once.
    """
    digest = hashlib.sha1()
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        digest.update((Path(folder) / name).read_bytes())
    return "adapter:" + digest.hexdigest()[:16]


class Evaluator:
    """Scores routing tables (family -> adapter folder) on the eval koans with the engine's model strategy.

    One base model is held in memory; adapters are loaded into it by id as
    peft adapters, the way the transformers backend loads champions. Results
    are memoised by (adapter content or "base", koan id) in a JSON file.

    Args:
        base: the base model path.
        judge: the koan judge.
        koans: the eval koans.
        max_tokens: longest answer.
        memo_path: the memo file.
        log: progress messages.
    """

    def __init__(self, base: Path, judge: Any, koans: list[Any], max_tokens: int, memo_path: Path, log: Log) -> None:
        from trainer.models import Placement, load_model, load_tokenizer

        self.base, self.judge, self.koans, self.max_tokens, self.log = base, judge, koans, max_tokens, log
        self.tokenizer = load_tokenizer(base)
        self.model = load_model(base, Placement("cpu", "float32"))
        self.loaded: set[str] = set()
        self.memo_path = memo_path
        self.memo: dict[str, dict[str, Any]] = {}
        if memo_path.is_file():
            self.memo = json.loads(memo_path.read_text(encoding="utf-8"))
        self.seconds = 0.0
        self.koans_run = 0

    def base_key(self) -> str:
        return f"base:{self.base.name}:{self.max_tokens}"

    def _key(self, adapter: str | None, koan_id: str) -> str:
        return f"{adapter or self.base_key()}|{koan_id}|{self.max_tokens}"

    def _load(self, adapter_id: str, folder: Path) -> None:
        from peft import PeftModel

        if adapter_id in self.loaded:
            return
        if isinstance(self.model, PeftModel):
            self.model.load_adapter(str(folder), adapter_name=adapter_id)
        else:
            self.model = PeftModel.from_pretrained(self.model, str(folder), adapter_name=adapter_id)
        self.loaded.add(adapter_id)

    def forget_except(self, keep: set[str]) -> None:
        """Drop loaded adapters that no table serves any more (memory stays flat over the nights)."""
        for name in sorted(self.loaded - keep):
            self.model.delete_adapter(name)
            self.loaded.discard(name)

    def evaluate(self, table: dict[str, tuple[str, Path]], label: str) -> dict[str, bool]:
        """koan id -> passed, each koan served by table[family] (else table[ALL], else the base model).

        Args:
            table: family -> (adapter id, peft folder).
            label: for the progress line.
        """
        from sleepy_lsp.benchmark.evaluate import evaluate
        from sleepy_lsp.engine.engine import FixEngine
        from sleepy_lsp.engine.providers import ModelProvider
        from trainer.evaluate import InProcessBackend, Routing

        def serving(koan: Any) -> tuple[str, Path] | None:
            return table.get(koan.family) or table.get(ALL)

        def key(koan: Any) -> str:
            chosen = serving(koan)
            return self._key(adapter_digest(chosen[1]) if chosen else None, koan.id)

        todo = [k for k in self.koans if key(k) not in self.memo]
        if todo:
            for adapter_id, folder in {serving(k) for k in todo if serving(k)}:
                self._load(adapter_id, folder)
            routing = Routing("lora", {family: adapter_id for family, (adapter_id, _) in table.items()})
            backend = InProcessBackend(self.model, self.tokenizer, routing, label)
            engine = FixEngine([ModelProvider(backend, None, samples=1, max_tokens=self.max_tokens)],
                               max_candidates=8, max_rounds=1, verify=True)
            started = time.monotonic()
            done = [0]

            by_id = {k.id: k for k in todo}

            def progress(result: Any) -> None:  # memoised (and saved) as each koan finishes: a kill loses little
                self.memo[key(by_id[result.id])] = {
                    "passed": bool(result.passed), "stage": result.stage, "seconds": round(result.seconds, 2)}
                self._save()
                done[0] += 1
                if done[0] % 10 == 0 or done[0] == len(todo):
                    self.log(f"  {label}: {done[0]}/{len(todo)} koans, {time.monotonic() - started:.0f} s")

            evaluate(self.judge, todo, engine, progress)
            spent = time.monotonic() - started
            self.seconds += spent
            self.koans_run += len(todo)
            self.log(f"  {label}: evaluated {len(todo)} koan(s) in {spent:.0f} s "
                     f"({len(self.koans) - len(todo)} unchanged, from the memo)")
        return {k.id: bool(self.memo[key(k)]["passed"]) for k in self.koans}

    def _save(self) -> None:
        self.memo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.memo_path.with_name(self.memo_path.name + ".tmp")
        tmp.write_text(json.dumps(self.memo, indent=1), encoding="utf-8")
        tmp.replace(self.memo_path)


# Methods ------------------------------------------------------------------------------------------

@dataclass
class MethodState:
    """One method's registry, work folder and results so far."""

    name: str
    registry_root: Path
    work_root: Path
    results: list[dict[str, bool]] = field(default_factory=list)  # after each night
    served: dict[str, bool] = field(default_factory=dict)  # what the gate would serve
    served_after: list[dict[str, bool]] = field(default_factory=list)
    promoted: list[bool] = field(default_factory=list)
    train_seconds: float = 0.0
    eval_seconds: float = 0.0
    trainable_params: int = 0
    lora_params_same_rank: int = 0
    bootstrap_params: int = 0
    notes: list[str] = field(default_factory=list)
    nights: list[dict[str, Any]] = field(default_factory=list)


def night_plan(config: Config, method: str, state: MethodState, base: Path) -> Any:
    from trainer.loop import TrainSettings
    from trainer.lora import LoraSettings
    from trainer.night import NightPlan
    from trainer.share import ShareSettings

    share = method == "share"
    return NightPlan(method=method, base_model=base, per_family=share, combine="route",
                     lora=LoraSettings(r=config.rank, alpha=2.0 * config.rank),
                     share=ShareSettings(r=config.rank, k=config.k, rank_updates=config.rank_updates),
                     train=TrainSettings(learning_rate=config.lr_share if share else config.lr_lora,
                                         max_steps=config.steps, checkpoint_every=max(config.steps, 1),
                                         seed=config.seed),
                     bootstrap_learning_rate=config.lr_lora,
                     registry_root=state.registry_root, work_root=state.work_root, koans_dir=None,
                     eval_koans_dir=KOANS, use_memory=False, evaluate=False, replay_ratio=1.0,
                     max_length=config.max_length, device="cpu", jobs=config.jobs)


def carry_forward(registry: Any, night: str) -> list[Any]:
    """Make tonight's adapters the champions (the next night continues from them); returns their manifests."""
    tonight = [m for m in registry.manifests(kind="adapter") if m.night == night]
    registry.promote(*(m.id for m in tonight))
    return tonight


def routing_table(registry: Any) -> dict[str, tuple[str, Path]]:
    """family -> (adapter id, peft folder) for the registry's champions (what the server would route to)."""
    return {family: (c.adapter, registry.path(c.adapter)) for family, c in registry.champions().items()}


def derive_average(share_registry: Any, avg_registry: Any, base: Path, night: str, log: Log) -> Any:
    """Average every task's loadings in share's newest basis into one adapter for all families, and publish it."""
    from trainer.lora import save_factors_as_peft
    from trainer.models import Placement, load_model
    from trainer.registry import Manifest
    from trainer.share import load_share, tasks_of
    from trainer.tasks import averaged_factors

    basis = [m for m in share_registry.manifests("share", "basis") if m.night == night][-1]
    model, _ = load_share(load_model(base, Placement("cpu", "float32")), share_registry.path(basis.id) / "share")
    factors = averaged_factors(model)
    tasks = tasks_of(model)
    manifest = Manifest(avg_registry.new_id("share", "average"), "share", str(base), ALL, "adapter", ALL,
                        None, basis.trainable_params, basis.lora_params_same_rank, night=night,
                        files={"peft": ".", "averaged_from": basis.id, "tasks": tasks})
    with avg_registry.adding(manifest) as folder:
        save_factors_as_peft(factors, folder, str(base))
    avg_registry.promote(manifest.id)
    log(f"  share-average: averaged {len(tasks)} task(s) of {basis.id} ({', '.join(tasks)}) into {manifest.id}")
    return manifest


def share_drift(registry: Any) -> dict[str, float]:
    """task -> the worst relative change, across layers, of the delta W its latest export holds against its first
    (the night it was trained): what phase 3's re-projections have done to it since, night after night."""
    from trainer.lora import read_peft_factors
    from trainer.share import relative_error

    exports: dict[str, list[Any]] = {}
    for manifest in registry.manifests("share", "adapter"):  # oldest first
        exports.setdefault(manifest.task, []).append(manifest)
    drift = {}
    for task, manifests in exports.items():
        if len(manifests) < 2:
            continue
        first, last = (read_peft_factors(registry.path(m.id)) for m in (manifests[0], manifests[-1]))
        drift[task] = max(relative_error(last[n][1] @ last[n][0], first[n][1] @ first[n][0]) for n in first)
    return drift


def simulate_gate(state: MethodState, candidate: dict[str, bool], families: dict[str, str], night_family: str,
                  per_family: bool, reexported: tuple[str, ...] = ()) -> bool:
    """What the product's gate would do with tonight's candidate against what it serves; updates state.served.

    Per family, the families of re-exported tasks are decided too (each on its own koans); the return value is
    the decision for tonight's family.
    """
    from trainer.gate import decide, decide_per_family

    if per_family:
        scopes = [night_family, *(f for f in reexported if f != night_family and f in families.values())]
        decisions = decide_per_family(state.served, candidate, families, scopes)
        for family, verdict in decisions.items():
            if verdict.promote:
                state.served |= {k: v for k, v in candidate.items() if families[k] == family}
        decision = decisions[night_family]
    else:
        decision = decide(state.served, candidate)
        if decision.promote:
            state.served = dict(candidate)
    state.served_after.append(dict(state.served))
    return decision.promote


# Reporting ----------------------------------------------------------------------------------------

def count(results: dict[str, bool], ids: list[str] | None = None) -> int:
    return sum(bool(results[k]) for k in (ids if ids is not None else results))


def pct(passed: int, total: int) -> str:
    return f"{100.0 * passed / total:.1f}%" if total else "-"


def summary(config: Config, koans: list[Any], baseline: dict[str, bool], states: dict[str, MethodState]) -> dict[str, Any]:
    """Everything the tables show, as JSON-ready data."""
    total = len(koans)
    ids_by_family = {f: [k.id for k in koans if k.family == f] for f in FAMILIES}
    rows = [{"approach": "Baseline (no training)", "method": "baseline", "passed": count(baseline), "total": total,
             "pass_rate": count(baseline) / total if total else 0.0, "vs_baseline_pp": 0.0, "regressions": 0,
             "regressed": []}]
    matrices = {}
    for name, state in states.items():
        done = [r for r in state.results if r is not None]
        if not done or state.results[-1] is None:
            continue
        final = state.results[-1]
        regressed = sorted(k for k in baseline if baseline[k] and not final[k])
        ever = {k for r in done for k, v in r.items() if v}
        forgotten = sorted(k for k in ever if not final[k])
        rows.append({"approach": TITLES[name], "method": name, "passed": count(final), "total": total,
                     "pass_rate": count(final) / total if total else 0.0,
                     "vs_baseline_pp": 100.0 * (count(final) - count(baseline)) / total if total else 0.0,
                     "regressions": len(regressed), "regressed": regressed,
                     "best": max(count(r) for r in done),
                     "forgotten": forgotten,
                     "promoted_nights": [config.nights[i] for i, p in enumerate(state.promoted) if p],
                     "evaluated_nights": [i + 1 for i, r in enumerate(state.results) if r is not None],
                     "notes": state.notes,
                     "served_passed": count(state.served) if state.served else count(baseline),
                     "trainable_params": state.trainable_params,
                     "lora_params_same_rank": state.lora_params_same_rank,
                     "bootstrap_params": state.bootstrap_params,
                     "train_seconds": round(state.train_seconds, 1), "eval_seconds": round(state.eval_seconds, 1)})
        matrices[name] = {family: [count(baseline, ids_by_family[family])]
                          + [None if r is None else count(r, ids_by_family[family]) for r in state.results]
                          for family in FAMILIES if ids_by_family[family]}
    share_nights = [{"night": e["night"], "family": e["family"], "steps": e.get("steps", {}), **e["share"],
                     "drift": e.get("drift", {})}
                    for e in (states["share"].nights if "share" in states else []) if e.get("share")]
    return {"rows": rows, "matrices": matrices, "share_nights": share_nights,
            "family_totals": {f: len(ids) for f, ids in ids_by_family.items() if ids},
            "columns": ["base", *[f"{i + 1}:{f}" for i, f in enumerate(config.nights)]]}


def render_tables(config: Config, data: dict[str, Any]) -> str:
    rows = data["rows"]
    lines = ["## Results", "",
             f"Eval split: {rows[0]['total']} koans; pass rates after the last night "
             f"({config.nights[-1]}); regressions are koans the untrained base model passes that the method fails.", "",
             "| Approach | Pass Rate | vs Baseline | Regressions |", "| --- | --- | --- | --- |"]
    for row in rows:
        vs = "—" if row["method"] == "baseline" else f"{row['vs_baseline_pp']:+.1f}%"
        lines.append(f"| {row['approach']} | {pct(row['passed'], row['total'])} ({row['passed']}/{row['total']}) "
                     f"| {vs} | {row['regressions']} |")
    lines += ["", "| Approach | best night | forgotten by the end | gate would promote | served after the gate "
                  "| trainable params per task | train | eval |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows[1:]:
        params = f"{row['trainable_params']:,}" if row["trainable_params"] else "-"
        if row["method"].startswith("share") and row["trainable_params"] and row["lora_params_same_rank"]:
            params += f" ({row['lora_params_same_rank'] / row['trainable_params']:.1f}x fewer than LoRA"
            params += (f"; plus one {row['bootstrap_params']:,}-parameter bootstrap LoRA on night 1)"
                       if row.get("bootstrap_params") else ")")
        lines.append(f"| {row['approach']}"
                     + (f" (evaluated after night {', '.join(map(str, row['evaluated_nights']))})"
                        if len(row["evaluated_nights"]) < len(config.nights) else "")
                     + f" | {row['best']}/{row['total']} | {len(row['forgotten'])}"
                     + (f" ({', '.join(row['forgotten'])})" if row["forgotten"] else "")
                     + f" | {', '.join(row['promoted_nights']) or 'no night'} | {row['served_passed']}/{row['total']} "
                     f"| {params} | {row['train_seconds'] / 60:.1f} min | {row['eval_seconds'] / 60:.1f} min |")
    lines += render_share_nights(data.get("share_nights", []))
    for name, matrix in data["matrices"].items():
        lines += ["", f"**Forgetting matrix: {TITLES[name]}** (eval koans passed per family after each night; "
                      "the night that trained the family in bold)", "",
                  "| family | " + " | ".join(["base", *[f"night {i + 1}: {f}" for i, f in enumerate(config.nights)]]) + " |",
                  "| --- |" + " --- |" * (len(config.nights) + 1)]
        for family, counts in matrix.items():
            cells = [str(counts[0])]
            for i, value in enumerate(counts[1:]):
                text = "-" if value is None else str(value)
                cells.append(f"**{text}**" if config.nights[i] == family and value is not None else text)
            lines.append(f"| {family} ({data['family_totals'][family]}) | " + " | ".join(cells) + " |")
        totals = [None if any(m[i] is None for m in matrix.values()) else sum(m[i] for m in matrix.values())
                  for i in range(len(config.nights) + 1)]
        lines.append(f"| total ({sum(data['family_totals'].values())}) | "
                     + " | ".join("-" if t is None else str(t) for t in totals) + " |")
    return "\n".join(lines) + "\n"


def render_share_nights(nights: list[dict[str, Any]]) -> list[str]:
    """Share night by night: the basis, what a task trains, and what phase 3 did to every task."""
    if not nights:
        return []

    def span(k: list[int]) -> str:
        return str(k[0]) if k[0] == k[1] else f"{k[0]}-{k[1]}"

    lines = ["", "**Share night by night** (K: directions per side across layers, while tonight's task trained -> "
                 "after phase 3; errors: the worst relative Frobenius error of any task's delta W in any layer; "
                 "drift: an earlier task's latest export against the one it was trained as)", "",
             "| night | K | trainable per task (loadings + rank updates) | basis (frozen) | phase 3 error "
             "| keeping K fixed | re-exported | worst drift since trained |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for n in nights:
        drift = max(n["drift"].items(), key=lambda item: item[1], default=None)
        lines.append(f"| {n['night']}: {n['family']} | {span(n['k_before'])} -> {span(n['k_after'])} "
                     f"| {n['loadings_params'] + n['rank_update_params']:,} ({n['loadings_params']:,} + "
                     f"{n['rank_update_params']:,}) | {n['basis_params']:,} "
                     f"| {max(n['phase3_errors'].values(), default=0.0):.1e} "
                     f"| {max(n['phase3_without_growth'].values(), default=0.0):.1e} "
                     f"| {', '.join(n['reexported']) or '-'} "
                     f"| {f'{drift[1]:.1e} ({drift[0]})' if drift else '-'} |")
    first = nights[0]
    if first.get("bootstrap_params"):
        lines += ["", f"Night 1 also trained the one bootstrap LoRA ({first['bootstrap_params']:,} parameters, "
                      f"{first['bootstrap_steps']} steps at lr {first['bootstrap_learning_rate']:g}) whose span is the "
                      f"first basis (its delta W kept within {first['phase1_error']:.1e}); phase 3's tolerance is "
                      f"{first['merge_tolerance']:g}."]
    return lines


# The run ------------------------------------------------------------------------------------------

def night_records(config: Config, judge: Any, log: Log, evaluator: Evaluator | None) -> tuple[dict[str, list[Any]], str]:
    """Each night's records: that family's train-split koans (only the base model's failures with --day)."""
    from trainer.dataset import koan_records

    records = koan_records(KOANS, judge, log)
    note = "every train koan of the family is taken as a failure of the base model's day (pass --day to measure it)"
    if config.day and evaluator is not None:
        train_koans = load_koans(KOANS, split="train")
        saved = evaluator.koans
        evaluator.koans = train_koans
        day = evaluator.evaluate({}, "day (base model, train split)")
        evaluator.koans = saved
        records = [r for r in records if not day.get(r.source.removeprefix("koan:"), False)]
        note = f"the base model's day fixed {sum(day.values())}/{len(day)} train koans; nights learn from the rest"
    return {f: [r for r in records if r.family == f] for f in config.nights}, note


def run(config: Config, log: Log) -> dict[str, Any]:
    """Run the experiment and write its report; returns the JSON payload."""
    import torch

    from sleepy_lsp.benchmark.judge import Judge
    from trainer.gate import pass_rates
    from trainer.models import resolve_base_model
    from trainer.night import run_night
    from trainer.registry import Registry

    started = time.monotonic()
    base = resolve_base_model(None)
    work = Path(config.work_dir)
    saved = load_progress(config, work, log) if config.resume else None
    if saved is None:
        for method in METHODS:
            shutil.rmtree(work / method, ignore_errors=True)  # a fresh experiment; the memo of the base model stays
        (work / PROGRESS).unlink(missing_ok=True)
    else:
        started -= saved["elapsed"]
    judge = Judge(target_root=work / "judge-target", jobs=config.jobs)
    koans = [k for k in load_koans(KOANS, split="eval") if k.family in config.eval_families]
    if config.eval_per_family is not None:
        koans = [k for f in FAMILIES for k in [k for k in koans if k.family == f][: config.eval_per_family]]
    families = {k.id: k.family for k in koans}
    memo = work / f"memo-{hashlib.sha1(str(base).encode()).hexdigest()[:10]}.json"
    evaluator = Evaluator(base, judge, koans, config.max_tokens, memo, log)
    records, data_note = night_records(config, judge, log, evaluator if config.day else None)
    flat = [r for rs in records.values() for r in rs]
    train_threads = choose_threads(evaluator.model, config.threads, log)
    torch.set_num_threads(config.eval_threads)
    costs = measure_costs(evaluator.model, evaluator.tokenizer, flat, config.eval_threads, train_threads)
    baseline_cached = sum(evaluator._key(None, k.id) in evaluator.memo for k in koans)
    eval_counts = {f: sum(k.family == f for k in koans) for f in FAMILIES}
    plan = render_plan(config, costs, plan_rows(config, costs, eval_counts, baseline_cached))
    print(plan, flush=True)
    log("data: " + ", ".join(f"night {i + 1} {f}: {len(records[f])} pairs" for i, f in enumerate(config.nights))
        + f" ({data_note})")

    baseline = evaluator.evaluate({}, "baseline (no training)")
    log(f"baseline: {count(baseline)}/{len(koans)} eval koans")
    states = {m: MethodState(m, work / m / "adapters", work / m / "work") for m in config.methods}
    for state in states.values():
        state.served = dict(baseline)
    if saved is not None:
        states = restore_states(saved, states, log)
    for index, family in enumerate(config.nights):
        log(f"night {index + 1}/{len(config.nights)}: {family} ({len(records[family])} pairs), "
            f"{(time.monotonic() - started) / 60:.1f} min in")
        share_night = None
        if "share" in states and len(states["share"].nights) > index:
            share_night = states["share"].nights[index].get("run_night")
        for name, state in states.items():
            if len(state.results) > index:
                log(f"  {name}: night {index + 1} was done before the restart")
                continue
            registry = Registry(state.registry_root)
            entry: dict[str, Any] = {"night": index + 1, "family": family}
            if name == "share-average":
                if share_night is None:
                    raise SystemExit("share-average is derived from the share method: list share before it")
                last = index == len(config.nights) - 1
                if config.average_nights == "last" and not last:
                    state.results.append(None)
                    state.promoted.append(None)
                    state.nights.append(entry | {"skipped": "evaluated after the last night only"})
                    save_progress(config, work, states, time.monotonic() - started)
                    continue
                per_koan = evaluator.seconds / evaluator.koans_run if evaluator.koans_run else 15.0
                left = config.hard_limit_minutes * 60 - (time.monotonic() - started)
                if per_koan * len(koans) + 120 > left:
                    note = (f"share-average skipped after night {index + 1}: about {per_koan * len(koans) / 60:.0f} min "
                            f"of evaluation would pass the {config.hard_limit_minutes:.0f}-minute limit")
                    log(note)
                    state.notes.append(note)
                    state.results.append(None)
                    state.promoted.append(None)
                    state.nights.append(entry | {"skipped": note})
                    save_progress(config, work, states, time.monotonic() - started)
                    continue
                t0 = time.monotonic()
                manifest = derive_average(Registry(states["share"].registry_root), registry, base, share_night, log)
                state.train_seconds += time.monotonic() - t0
                state.trainable_params = manifest.trainable_params
                state.lora_params_same_rank = manifest.lora_params_same_rank
                adapters = [manifest.id]
                entry["run_night"] = share_night
            else:
                if not records[family]:
                    raise SystemExit(f"night {family} has no training data")
                entry["train_threads"] = choose_threads(evaluator.model, config.threads, log)
                torch.manual_seed(config.seed)  # the same adapter initialisation for every method and night
                try:
                    report = run_night(night_plan(config, name, state, base), lambda m: log(f"  {name}: {m}"),
                                       lambda: judge, records=records[family])
                finally:
                    torch.set_num_threads(config.eval_threads)
                state.train_seconds += report.seconds
                state.trainable_params = report.trainable_params
                state.lora_params_same_rank = report.lora_params_same_rank
                tonight = carry_forward(registry, report.night)
                adapters = [m.id for m in tonight]
                entry |= {"run_night": report.night, "steps": report.steps, "replayed": report.replayed,
                          "train_seconds": round(report.seconds, 1), "notes": report.notes}
                if name == "share":
                    share_night = report.night
                    state.bootstrap_params += report.share.bootstrap_params
                    entry |= {"share": asdict(report.share), "drift": share_drift(registry)}
                log(f"  {name}: trained in {report.seconds:.0f} s, steps {report.steps}, "
                    f"{report.trainable_params:,} trainable params per task")
            t0 = time.monotonic()
            table = routing_table(registry)
            results = evaluator.evaluate(table, f"{name} after night {index + 1}")
            state.eval_seconds += time.monotonic() - t0
            evaluator.forget_except({adapter for adapter, _ in table.values()}
                                    | {a for s in states.values() for a, _ in routing_table(Registry(s.registry_root)).values()})
            state.results.append(results)
            reexported = tuple(entry.get("share", {}).get("reexported", ()))
            state.promoted.append(simulate_gate(state, results, families, family, per_family=(name == "share"),
                                                reexported=reexported))
            for adapter_id in adapters:  # the registry records what each adapter scored
                manifest = registry.manifest(adapter_id)
                scope = [k for k in koans if manifest.task == ALL or k.family == manifest.task]
                manifest.eval_results = {k.id: results[k.id] for k in scope}
                manifest.eval_scores = pass_rates(manifest.eval_results, families)
                registry.update_manifest(manifest)
            entry |= {"adapters": adapters, "passed": count(results),
                      "by_family": {f: count(results, [k.id for k in koans if k.family == f]) for f in FAMILIES},
                      "gate_promotes": state.promoted[-1]}
            state.nights.append(entry)
            save_progress(config, work, states, time.monotonic() - started)
            log(f"  {name} after night {index + 1}: {count(results)}/{len(koans)} "
                f"({', '.join(f'{f} {n}' for f, n in entry['by_family'].items())}); gate would "
                f"{'promote' if state.promoted[-1] else 'keep the champion'}")

    data = summary(config, koans, baseline, states)
    elapsed = time.monotonic() - started
    header = [f"# Night-cycle experiment{' (quick smoke test)' if config.stem.endswith('quick') else ''}", "",
              f"Base model `{base.name}` (untrained baseline and every adapter's base), on "
              f"{os.cpu_count()} CPU core(s); {len(config.nights)} nights, each one family's train-split koans; "
              f"{data_note}. Adapters are carried from night to night whatever the gate says; "
              f"evaluation is the fix engine's model strategy with the registry's champions routed by family. "
              f"Wall time {elapsed / 60:.1f} min "
              f"(training {sum(s.train_seconds for s in states.values()) / 60:.1f}, evaluation "
              f"{evaluator.seconds / 60:.1f}, {evaluator.koans_run} koan evaluations).", ""]
    markdown = "\n".join(header) + "\n" + plan + "\n" + render_tables(config, data)
    payload = {"config": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(config).items()},
               "base_model": str(base), "costs": asdict(costs), "elapsed_seconds": round(elapsed, 1),
               "data": {f: len(records[f]) for f in config.nights}, "data_note": data_note,
               "baseline": baseline, "koans": families,
               "methods": {n: {"results": s.results, "served_after": s.served_after, "promoted": s.promoted,
                               "nights": s.nights, "registry": str(s.registry_root)} for n, s in states.items()},
               **data}
    out = Path(config.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{config.stem}.md").write_text(markdown, encoding="utf-8")
    (out / f"{config.stem}.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    print(render_tables(config, data), flush=True)
    log(f"wrote {out / (config.stem + '.md')} and .json in {elapsed / 60:.1f} min")
    return payload


PROGRESS = "progress.json"
RESUME_FIELDS = ("nights", "methods", "steps", "lr_lora", "lr_share", "rank", "k", "rank_updates", "max_length",
                 "max_tokens",
                 "eval_per_family", "eval_families", "day", "average_nights", "seed")


def progress_key(config: Config) -> dict[str, Any]:
    """The settings a resumed run must share with the killed one."""
    return json.loads(json.dumps({name: getattr(config, name) for name in RESUME_FIELDS}))


def save_progress(config: Config, work: Path, states: dict[str, MethodState], elapsed: float) -> None:
    """Every finished (night, method) so far, written atomically after each one: what --resume continues from."""
    payload = {"key": progress_key(config), "elapsed": elapsed,
               "states": {name: {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(state).items()}
                          for name, state in states.items()}}
    tmp = work / f".{PROGRESS}.tmp"
    tmp.write_text(json.dumps(payload), encoding="utf-8")
    tmp.replace(work / PROGRESS)


def load_progress(config: Config, work: Path, log: Log) -> dict[str, Any] | None:
    """The killed run's progress, or None (with the reason) when there is none to continue."""
    path = work / PROGRESS
    if not path.is_file():
        log("--resume: no earlier progress in the work folder: starting afresh")
        return None
    saved = json.loads(path.read_text(encoding="utf-8"))
    if saved.get("key") != progress_key(config):
        log("--resume: the earlier run used other settings: starting afresh")
        return None
    log(f"--resume: continuing a run {saved['elapsed'] / 60:.1f} min in")
    return saved


def restore_states(saved: dict[str, Any], states: dict[str, MethodState], log: Log) -> dict[str, MethodState]:
    """Method states from the saved progress; registries and replay buffers are trimmed to the recorded nights.

    A night killed after its adapters were published but before it was
    recorded left adapters (and a replay file) nobody scored: they are removed
    and the champions are rebuilt from the recorded nights, so the rerun of
    that night starts where the recorded ones ended.
    """
    from sleepy_lsp.model.adapters import CHAMPIONS
    from trainer.registry import Registry

    restored = {}
    for name, state in states.items():
        raw = saved["states"].get(name)
        if raw is None:
            restored[name] = state
            continue
        state = MethodState(**(raw | {"registry_root": Path(raw["registry_root"]),
                                      "work_root": Path(raw["work_root"])}))
        registry = Registry(state.registry_root)
        recorded = [e["run_night"] for e in state.nights if e.get("run_night")]
        kept = {a for e in state.nights for a in e.get("adapters", [])}
        for manifest in registry.manifests():
            if manifest.night not in recorded or (manifest.kind == "adapter" and manifest.id not in kept):
                log(f"  {name}: removing {manifest.id}, published by a night that was not recorded")
                shutil.rmtree(registry.root / manifest.id, ignore_errors=True)
        for stale in (state.work_root / "replay").glob("night-*.jsonl"):
            if stale.stem.removeprefix("night-") not in recorded:
                stale.unlink()
        (registry.root / CHAMPIONS).unlink(missing_ok=True)
        for entry in state.nights:  # replayed in order: later nights' adapters take over their families
            registry.promote(*entry.get("adapters", []))
        restored[name] = state
    return restored


def plan_only(config: Config, log: Log) -> None:
    """Measure the machine and print the budget plan, without training anything."""
    from sleepy_lsp.benchmark.judge import Judge
    from trainer.dataset import koan_records
    from trainer.models import Placement, load_model, load_tokenizer, resolve_base_model

    base = resolve_base_model(None)
    model, tokenizer = load_model(base, Placement("cpu", "float32")), load_tokenizer(base)
    records = koan_records(KOANS, Judge(target_root=Path(config.work_dir) / "judge-target", jobs=config.jobs), log)
    train_threads = choose_threads(model, config.threads, log)
    costs = measure_costs(model, tokenizer, records, config.eval_threads, train_threads)
    koans = load_koans(KOANS, split="eval")
    counts = {f: min(sum(k.family == f for k in koans), config.eval_per_family or 10**6) for f in FAMILIES}
    print(render_plan(config, costs, plan_rows(config, costs, counts)))


def parse_args(argv: list[str] | None = None) -> tuple[Config, bool]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the smoke test: 2 nights, lora and share, a few steps")
    parser.add_argument("--plan", action="store_true", help="measure and print the budget plan, then stop")
    parser.add_argument("--nights", help="comma-separated families, one per night")
    parser.add_argument("--methods", help=f"comma-separated, from {', '.join(METHODS)}")
    parser.add_argument("--steps", type=int, help="optimizer steps per adapter per night")
    parser.add_argument("--lr-lora", type=float)
    parser.add_argument("--lr-share", type=float)
    parser.add_argument("--max-tokens", type=int, help="longest answer at evaluation")
    parser.add_argument("--max-length", type=int, help="longest training pair in tokens")
    parser.add_argument("--eval-per-family", type=int, help="evaluate only the first n eval koans of each family")
    parser.add_argument("--eval-families", help="comma-separated: evaluate only these families (calibration)")
    parser.add_argument("--threads", help="torch threads for training, or auto [auto]")
    parser.add_argument("--eval-threads", type=int, help="torch threads for evaluation [1]")
    parser.add_argument("--jobs", type=int, help="koans judged in parallel")
    parser.add_argument("--day", action="store_true", help="learn only from the train koans the base model fails")
    parser.add_argument("--resume", action="store_true",
                        help="continue a killed run (same settings and work folder) from the last finished night")
    parser.add_argument("--average-nights", choices=("last", "all"),
                        help="evaluate share-average after every night or after the last one only [last]")
    parser.add_argument("--hard-limit-minutes", type=float)
    parser.add_argument("--budget-minutes", type=float)
    parser.add_argument("--work-dir", type=Path)
    parser.add_argument("--out-dir", type=Path)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(argv)
    overrides: dict[str, Any] = {}
    if args.nights:
        overrides["nights"] = tuple(n.strip() for n in args.nights.split(",") if n.strip())
        unknown = [n for n in overrides["nights"] if n not in FAMILIES]
        if unknown:
            parser.error(f"unknown families {unknown}: use {', '.join(FAMILIES)}")
    if args.methods:
        overrides["methods"] = tuple(m.strip() for m in args.methods.split(",") if m.strip())
        unknown = [m for m in overrides["methods"] if m not in METHODS]
        if unknown:
            parser.error(f"unknown methods {unknown}: use {', '.join(METHODS)}")
        if "share-average" in overrides["methods"] and "share" not in overrides["methods"]:
            parser.error("share-average is derived from share's basis: list share too")
    if args.eval_families:
        overrides["eval_families"] = tuple(f.strip() for f in args.eval_families.split(",") if f.strip())
    for name in ("eval_threads", "average_nights", "hard_limit_minutes", "steps", "lr_lora", "lr_share", "max_tokens", "max_length", "eval_per_family", "threads", "jobs",
                 "budget_minutes", "work_dir", "out_dir", "seed"):
        value = getattr(args, name)
        if value is not None:
            overrides[name] = value
    if args.day:
        overrides["day"] = True
    if args.resume:
        overrides["resume"] = True
    config = Config.quick(**overrides) if args.quick else Config(**overrides)
    if "methods" in overrides:
        order = [m for m in METHODS if m in config.methods]
        config = replace(config, methods=tuple(order))
    return config, args.plan


def main(argv: list[str] | None = None) -> None:
    config, only_plan = parse_args(argv)

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    if only_plan:
        plan_only(config, log)
        return
    run(config, log)


if __name__ == "__main__":
    main()
