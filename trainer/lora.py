"""Plain LoRA with peft: which layers are adapted, attaching adapters, their factors and their size.

The default targets are the attention projections (q/k/v/o) and the MLP
projections (gate/up/down); Llama-family models (SmolLM2, Qwen2.5) and Gemma 3
use the same module names for them. One adapter per error family lives in
the same peft model under the family's name, so routing is `set_adapter`.
A night continues from the champion's saved factors (`warm_start`), and
Share's phase 1 decomposes the registry's saved LoRA folders
(`registry_lora_factors`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from .registry import Registry

DEFAULT_TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
PEFT_PREFIX = "base_model.model."


@dataclass(frozen=True)
class LoraSettings:
    """LoRA's shape.

    Args:
        r: the rank of each adapter.
        alpha: the scaling numerator (the update is scaled by alpha / r).
        dropout: dropout on the adapter's input while training.
        target_modules: last names of the linear layers to adapt.
    """

    r: int = 16
    alpha: float = 32.0
    dropout: float = 0.0
    target_modules: tuple[str, ...] = field(default=DEFAULT_TARGET_MODULES)

    def __post_init__(self) -> None:
        if not isinstance(self.r, int) or self.r < 1:
            raise ValueError(f"LoRA rank r={self.r!r} must be a positive integer")
        if not self.alpha > 0:
            raise ValueError(f"LoRA alpha={self.alpha!r} must be positive")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"LoRA dropout={self.dropout!r} must be in [0, 1)")
        if not self.target_modules:
            raise ValueError("target_modules=() names no layer to adapt")

    @property
    def scaling(self) -> float:
        return self.alpha / self.r


def linear_shapes(model: Any, targets: Iterable[str] = DEFAULT_TARGET_MODULES) -> dict[str, tuple[int, int]]:
    """Every linear layer whose last name is a target: module name -> (in_features, out_features).

    Works on a real model or a weightless one on the meta device.

    Args:
        model: a torch model.
        targets: last names of the layers to adapt.
    """
    import torch.nn as nn

    wanted = set(targets)
    return {
        name: (module.in_features, module.out_features)
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear) and name.rsplit(".", 1)[-1] in wanted
    }


def check_targets(model: Any, targets: Iterable[str]) -> dict[str, tuple[int, int]]:
    """linear_shapes, failing when a target name matches no layer (a typo or another architecture).

    Args:
        model: a torch model.
        targets: last names of the layers to adapt.
    """
    targets = tuple(targets)
    shapes = linear_shapes(model, targets)
    found = {name.rsplit(".", 1)[-1] for name in shapes}
    missing = [t for t in targets if t not in found]
    if missing:
        raise ValueError(f"target modules {missing} match no linear layer of {type(model).__name__}")
    return shapes


def lora_parameter_count(shapes: dict[str, tuple[int, int]], r: int) -> int:
    """Trainable parameters of one LoRA adapter of rank r over these layers: r * (in + out) each.

    Args:
        shapes: module name -> (in_features, out_features).
        r: the rank.
    """
    return sum(r * (d_in + d_out) for d_in, d_out in shapes.values())


def peft_config(settings: LoraSettings, base_model_name: str = "") -> Any:
    """The peft LoraConfig for these settings.

    Args:
        settings: the LoRA shape.
        base_model_name: recorded in the adapter's config.
    """
    from peft import LoraConfig

    return LoraConfig(r=settings.r, lora_alpha=settings.alpha, lora_dropout=settings.dropout,
                      target_modules=list(settings.target_modules), bias="none", task_type="CAUSAL_LM",
                      base_model_name_or_path=base_model_name or None)


def attach_lora(model: Any, settings: LoraSettings, adapter_name: str = "default", base_model_name: str = "") -> Any:
    """Add a fresh LoRA adapter; wraps the model in a PeftModel the first time.

    Only the new adapter's lora_ parameters are left trainable.

    Args:
        model: a transformers model, or a PeftModel that already has adapters.
        settings: the LoRA shape.
        adapter_name: the adapter's name (an error family for per-family adapters).
        base_model_name: recorded in the adapter's config.
    """
    from peft import PeftModel, get_peft_model

    config = peft_config(settings, base_model_name)
    if isinstance(model, PeftModel):
        model.add_adapter(adapter_name, config)
    else:
        check_targets(model, settings.target_modules)
        model = get_peft_model(model, config, adapter_name=adapter_name)
    select_adapter(model, adapter_name)
    return model


def select_adapter(model: Any, adapter_name: str) -> None:
    """Route to one adapter: it alone is active and trainable.

    Args:
        model: a PeftModel.
        adapter_name: the adapter to use.
    """
    if adapter_name not in model.peft_config:
        raise ValueError(f"adapter {adapter_name!r} is not loaded; loaded: {sorted(model.peft_config)}")
    model.set_adapter(adapter_name)
    for name, param in model.named_parameters():
        param.requires_grad = "lora_" in name and f".{adapter_name}." in f"{name}."


def lora_factors(model: Any, adapter_name: str) -> dict[str, tuple[Any, Any]]:
    """Each adapted layer's factors with the scaling folded in: module name -> (A [r x in], B [out x r]).

    delta W = B @ A for every layer. Module names are the base model's own
    (peft's wrapper prefix removed), which is what GGUF export and Share's
    phase 1 key on.

    Args:
        model: a PeftModel.
        adapter_name: the adapter whose factors to take.
    """
    factors = {}
    for name, module in model.named_modules():
        lora_a = getattr(module, "lora_A", None)
        if lora_a is None or adapter_name not in lora_a:
            continue
        scale = module.scaling[adapter_name]
        a = lora_a[adapter_name].weight.detach().float().cpu()
        b = module.lora_B[adapter_name].weight.detach().float().cpu() * scale
        factors[name.removeprefix(PEFT_PREFIX)] = (a, b)
    return factors


def save_factors_as_peft(factors: dict[str, tuple[Any, Any]], folder: Path, base_model_name: str = "") -> Path:
    """Write LoRA factors as a peft adapter folder that PeftModel.from_pretrained loads.

    The scaling is already folded into B, so the config says lora_alpha = r
    (scale 1). This is how a Share task is served by backends that know only LoRA.

    Args:
        factors: module name -> (A [r x d_in], B [d_out x r]).
        folder: the target folder (created).
        base_model_name: recorded in adapter_config.json.
    """
    from safetensors.torch import save_file

    if not factors:
        raise ValueError("there are no adapter factors to save")
    ranks = {a.shape[0] for a, _ in factors.values()}
    if len(ranks) != 1:
        raise ValueError(f"every layer must have the same rank, got ranks {sorted(ranks)}")
    r = ranks.pop()
    targets = tuple(sorted({name.rsplit(".", 1)[-1] for name in factors}))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    peft_config(LoraSettings(r=r, alpha=float(r), target_modules=targets), base_model_name).save_pretrained(str(folder))
    tensors = {}
    for name, (a, b) in factors.items():
        tensors[f"{PEFT_PREFIX}{name}.lora_A.weight"] = a.detach().float().cpu().contiguous()
        tensors[f"{PEFT_PREFIX}{name}.lora_B.weight"] = b.detach().float().cpu().contiguous()
    save_file(tensors, str(folder / "adapter_model.safetensors"))
    return folder


# Saved adapters: reading them back and continuing from them ---------------------------------------

def read_peft_factors(folder: Path) -> dict[str, tuple[Any, Any]]:
    """A peft LoRA folder's factors, module name -> (A, B) with the scaling folded into B.

    Args:
        folder: a folder with adapter_config.json and adapter_model.safetensors.
    """
    from safetensors.torch import load_file

    config = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
    scale = float(config.get("lora_alpha", config["r"])) / float(config["r"])
    tensors = load_file(str(folder / "adapter_model.safetensors"))
    factors = {}
    for name, tensor in tensors.items():
        if name.endswith(".lora_A.weight"):
            module = name.removeprefix(PEFT_PREFIX).removesuffix(".lora_A.weight")
            factors[module] = (tensor.float(), tensors[name.replace("lora_A", "lora_B")].float() * scale)
    return factors


def warm_start(model: Any, adapter_name: str, factors: dict[str, tuple[Any, Any]]) -> None:
    """Copy saved factors into a freshly attached LoRA adapter (undoing the folded scaling on B).

    Args:
        model: a PeftModel with the adapter attached.
        adapter_name: the adapter's name.
        factors: module name -> (A, B) with the scaling folded into B.
    """
    import torch

    with torch.no_grad():
        for name, module in model.named_modules():
            lora_a = getattr(module, "lora_A", None)
            key = name.removeprefix(PEFT_PREFIX)
            if lora_a is None or adapter_name not in lora_a or key not in factors:
                continue
            a, b = factors[key]
            lora_a[adapter_name].weight.copy_(a)
            module.lora_B[adapter_name].weight.copy_(b / module.scaling[adapter_name])


def lora_warm_starts(registry: Registry, tasks: Iterable[str], base_model: str, r: int) -> dict[str, str]:
    """task -> the champion LoRA adapter it continues from (same base model and rank).

    Continuing from the champion is what makes a sequence of LoRA nights
    continual learning (and what makes forgetting, and replay against it,
    possible); a task without such a champion starts fresh.

    Args:
        registry: the adapter registry.
        tasks: tonight's task names (families, or ALL_FAMILIES).
        base_model: only adapters of this base model count.
        r: tonight's rank; an adapter of another rank cannot be continued.
    """
    champions = registry.champions()
    starts = {}
    for task in tasks:
        champion = champions.get(task)
        if champion is None:
            continue
        manifest = registry.manifest(champion.adapter)
        if manifest.method not in ("lora", "replay") or manifest.base_model != base_model:
            continue
        config = json.loads((registry.path(manifest.id) / "adapter_config.json").read_text(encoding="utf-8"))
        if int(config.get("r", -1)) == r:
            starts[task] = manifest.id
    return starts


def registry_lora_factors(registry: Registry, base_model: str) -> list[dict[str, tuple[Any, Any]]]:
    """Every servable LoRA adapter's factors (scaling folded into B), what Share's phase 1 decomposes.

    Args:
        registry: the adapter registry.
        base_model: only adapters of this base model count.
    """
    return [read_peft_factors(registry.path(m.id)) for m in registry.manifests(kind="adapter")
            if m.method in ("lora", "replay") and m.base_model == base_model]
