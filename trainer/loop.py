"""The training loop shared by LoRA, replay and Share: progress, step and time limits, checkpoints and resume.

Only adapter parameters train (whatever requires_grad says). A checkpoint
holds the adapter's tensors, the optimizer state, the step and the data order
seed; it is written to a temporary folder and renamed, and a `latest` pointer
is replaced atomically afterwards, so a run killed at any moment leaves either
the previous checkpoint or the new one, never half of one. Rerunning the same
training with the same data resumes from the saved step.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from sleepy_lsp.errors import SleepyError

from .data import TokenizedPair, collate

ADAPTER_PREFIXES = ("lora_", "share_")  # the name prefixes that mark adapter tensors, in peft's convention
LATEST = "latest"


class TrainingInterrupted(SleepyError):
    """Training was stopped by the user; the last checkpoint lets the same command resume."""


@dataclass(frozen=True)
class TrainSettings:
    """How long and how fast to train.

    Args:
        learning_rate: AdamW's learning rate.
        epochs: passes over the data (ignored when max_steps is set).
        batch_size: pairs per optimizer step.
        max_steps: optimizer steps to run, wrapping over the data as needed.
        time_budget: seconds after which training stops at the next step boundary.
        checkpoint_every: steps between checkpoints (a final one is always written).
        seed: seeds the data order and the adapter initialisation.
        max_grad_norm: gradient clipping norm.
    """

    learning_rate: float = 2e-4
    epochs: int = 1
    batch_size: int = 1
    max_steps: int | None = None
    time_budget: float | None = None
    checkpoint_every: int = 20
    seed: int = 0
    max_grad_norm: float = 1.0

    def __post_init__(self) -> None:
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate={self.learning_rate!r} must be positive")
        for name in ("epochs", "batch_size", "checkpoint_every"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name}={getattr(self, name)!r} must be 1 or more")
        if self.max_steps is not None and self.max_steps < 1:
            raise ValueError(f"max_steps={self.max_steps!r} must be 1 or more")
        if self.time_budget is not None and not self.time_budget > 0:
            raise ValueError(f"time_budget={self.time_budget!r} must be a positive number of seconds")


@dataclass
class TrainResult:
    """What one training run did.

    Args:
        steps: optimizer steps completed, including those before a resume.
        total_steps: steps planned.
        losses: the loss of every step run in this process.
        seconds: wall time in this process.
        stopped: "done", "time_budget" or "interrupted".
        resumed_from: the step the run resumed from (0 when it started fresh).
    """

    steps: int
    total_steps: int
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    stopped: str = "done"
    resumed_from: int = 0

    @property
    def finished(self) -> bool:
        return self.steps >= self.total_steps


def batch_schedule(n_examples: int, settings: TrainSettings) -> list[list[int]]:
    """The order in which example indices are visited, one list per optimizer step.

    Each epoch is a fresh permutation seeded by (seed, epoch), so a resumed
    run sees exactly the batches it would have seen.

    Args:
        n_examples: how many examples there are.
        settings: batch size, epochs, max_steps and seed.
    """
    if n_examples < 1:
        raise ValueError("there is no training data: the dataset has 0 examples")
    per_epoch = math.ceil(n_examples / settings.batch_size)
    total = settings.max_steps or settings.epochs * per_epoch
    schedule: list[list[int]] = []
    epoch = 0
    while len(schedule) < total:
        order = list(range(n_examples))
        random.Random(settings.seed * 100_003 + epoch).shuffle(order)
        schedule += [order[i:i + settings.batch_size] for i in range(0, n_examples, settings.batch_size)]
        epoch += 1
    return schedule[:total]


def adapter_state(model: Any, prefixes: Sequence[str] = ADAPTER_PREFIXES) -> dict[str, Any]:
    """Every adapter tensor (parameters and buffers) by name, detached on the CPU.

    Args:
        model: the model.
        prefixes: name prefixes that mark adapter tensors.
    """
    return {name: tensor.detach().cpu().clone() for name, tensor in model.state_dict().items()
            if any(p in name for p in prefixes)}


def load_adapter_state(model: Any, state: dict[str, Any]) -> None:
    """Copy saved adapter tensors into the model; every saved name must exist.

    Args:
        model: the model, with the same adapters attached as when saved.
        state: from adapter_state().
    """
    own = model.state_dict()
    missing = [name for name in state if name not in own]
    if missing:
        raise ValueError(f"checkpoint tensors {missing[:3]} do not exist in this model")
    for name, tensor in state.items():
        own[name].copy_(tensor.to(own[name].device, own[name].dtype))


def _write_json(path: Path, payload: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    tmp.replace(path)


def save_checkpoint(folder: Path, step: int, model: Any, optimizer: Any, settings: TrainSettings,
                    fingerprint: str, losses: list[float]) -> Path:
    """Write a checkpoint atomically (temporary folder, rename, then the `latest` pointer).

    Args:
        folder: the run's checkpoint folder.
        step: optimizer steps completed.
        model: the model whose adapter tensors are saved.
        optimizer: its optimizer.
        settings: the training settings (the data order seed among them).
        fingerprint: identifies the training data and configuration.
        losses: the loss history so far.
    """
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    name = f"step-{step:07d}"
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    torch.save(adapter_state(model), tmp / "adapter.pt")
    torch.save(optimizer.state_dict(), tmp / "optimizer.pt")
    _write_json(tmp / "state.json", {"step": step, "seed": settings.seed, "fingerprint": fingerprint,
                                     "settings": asdict(settings), "losses": losses})
    final = folder / name
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    (folder / f".{LATEST}.tmp").write_text(name, encoding="utf-8")
    (folder / f".{LATEST}.tmp").replace(folder / LATEST)
    for old in folder.glob("step-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return final


def latest_checkpoint(folder: Path, fingerprint: str) -> Path | None:
    """The newest complete checkpoint of this same training, or None.

    A checkpoint from other data or settings (another fingerprint) is ignored.

    Args:
        folder: the run's checkpoint folder.
        fingerprint: identifies the training data and configuration.
    """
    pointer = Path(folder) / LATEST
    if not pointer.is_file():
        return None
    checkpoint = Path(folder) / pointer.read_text(encoding="utf-8").strip()
    try:
        state = json.loads((checkpoint / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return checkpoint if state.get("fingerprint") == fingerprint else None


def restore_checkpoint(checkpoint: Path, model: Any, optimizer: Any) -> dict[str, Any]:
    """Load a checkpoint's adapter tensors and optimizer state; returns its state.json.

    Args:
        checkpoint: a folder written by save_checkpoint.
        model: the model (with the same adapters attached).
        optimizer: the optimizer over the same parameters.
    """
    import torch

    load_adapter_state(model, torch.load(checkpoint / "adapter.pt", map_location="cpu"))
    optimizer.load_state_dict(torch.load(checkpoint / "optimizer.pt", map_location="cpu"))
    return json.loads((checkpoint / "state.json").read_text(encoding="utf-8"))


def trainable_parameters(model: Any) -> list[Any]:
    """The parameters that require gradients, in a stable (named) order.

    Args:
        model: the model.
    """
    return [p for _, p in model.named_parameters() if p.requires_grad]


def progress_bar(console: Console | None = None) -> Progress:
    """A rich progress bar that shows steps, the running loss, elapsed time and the ETA.

    Args:
        console: where to draw (stderr by default).
    """
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(), TextColumn("ETA"),
                    TimeRemainingColumn(), console=console or Console(stderr=True), transient=False)


def train(model: Any, pairs: Sequence[TokenizedPair], settings: TrainSettings, pad_id: int,
          checkpoint_dir: Path | None = None, fingerprint: str = "", deadline: float | None = None,
          label: str = "train", show_progress: bool = True) -> TrainResult:
    """Train the model's trainable (adapter) parameters on tokenized pairs.

    Resumes from the latest checkpoint of the same fingerprint in checkpoint_dir.

    Args:
        model: the model with adapters attached; only requires_grad parameters change.
        pairs: tokenized training pairs (loss on the answer only).
        settings: steps, batch size, learning rate, limits.
        pad_id: the tokenizer's pad id.
        checkpoint_dir: where checkpoints go; None trains without them.
        fingerprint: identifies data + configuration, so a checkpoint is reused only for the same training.
        deadline: a time.monotonic() value after which training stops (overrides settings.time_budget).
        label: the progress bar's description.
        show_progress: draw the rich progress bar.
    """
    import torch

    started = time.monotonic()
    if deadline is None and settings.time_budget is not None:
        deadline = started + settings.time_budget
    schedule = batch_schedule(len(pairs), settings)
    params = trainable_parameters(model)
    if not params:
        raise ValueError("the model has no trainable parameters: attach an adapter first")
    torch.manual_seed(settings.seed)
    optimizer = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=0.0)
    result = TrainResult(0, len(schedule))
    checkpoint = latest_checkpoint(checkpoint_dir, fingerprint) if checkpoint_dir else None
    if checkpoint is not None:
        result.steps = result.resumed_from = int(restore_checkpoint(checkpoint, model, optimizer)["step"])
    device = params[0].device
    model.train()
    with progress_bar() if show_progress else _NoProgress() as progress:
        task = progress.add_task(label, total=len(schedule), completed=result.steps, loss="-")
        try:
            while result.steps < len(schedule):
                if deadline is not None and time.monotonic() >= deadline:
                    result.stopped = "time_budget"
                    break
                loss = _step(model, optimizer, params, [pairs[i] for i in schedule[result.steps]], pad_id,
                             device, settings.max_grad_norm)
                result.steps += 1
                result.losses.append(loss)
                progress.update(task, advance=1, loss=f"{loss:.3f}")
                if checkpoint_dir and result.steps % settings.checkpoint_every == 0:
                    save_checkpoint(checkpoint_dir, result.steps, model, optimizer, settings, fingerprint, result.losses)
        except KeyboardInterrupt:
            result.stopped = "interrupted"
    # An interrupted step may have updated only some tensors, so only a clean stop writes a checkpoint here.
    unsaved = result.steps > result.resumed_from and result.steps % settings.checkpoint_every != 0
    if checkpoint_dir and unsaved and result.stopped != "interrupted":
        save_checkpoint(checkpoint_dir, result.steps, model, optimizer, settings, fingerprint, result.losses)
    model.eval()
    result.seconds = time.monotonic() - started
    if result.stopped == "interrupted":
        raise TrainingInterrupted(f"Training stopped at step {result.steps} of {len(schedule)}: "
                                  "run the same command again to resume from there.")
    return result


def _step(model: Any, optimizer: Any, params: list[Any], batch: list[TokenizedPair], pad_id: int,
          device: Any, max_grad_norm: float) -> float:
    """One optimizer step on one batch; returns its loss."""
    import torch

    inputs = {k: v.to(device) for k, v in collate(batch, pad_id).items()}
    loss = model(**inputs).loss
    if not torch.isfinite(loss):
        raise ValueError(f"the training loss became {loss.item()}: lower the learning rate")
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, max_grad_norm)
    optimizer.step()
    return float(loss.detach())


class _NoProgress:
    """A stand-in for rich's Progress when no bar is wanted."""

    def __enter__(self) -> "_NoProgress":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def add_task(self, *args: Any, **kwargs: Any) -> int:
        return 0

    def update(self, *args: Any, **kwargs: Any) -> None:
        return None
