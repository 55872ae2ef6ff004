"""Publishing tonight's adapters into the registry: the peft folder, the GGUF LoRA and Share's basis.

Every adapter goes in through `Registry.adding`, so a night killed while
publishing leaves no half-written adapter behind; promotion is the gate's.
For Share that includes the earlier tasks phase 3 changed: they are published
again (peft and GGUF) beside tonight's, and serve only if the gate promotes
them, so a champion always serves what the gate measured.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from sleepy_lsp.model.adapters import GGUF
from sleepy_lsp.vocabulary import ALL_FAMILIES

from .lora import save_factors_as_peft
from .registry import Manifest
from .report import NightReport
from .share import save_share
from .tasks import Trained

if TYPE_CHECKING:
    from .night import NightPlan

Log = Callable[[str], None]


def publish(plan: NightPlan, trained: Trained, night: str, report: NightReport, log: Log) -> dict[str, str]:
    """Write tonight's adapters (and Share's basis) into the registry; returns task -> adapter id.

    Args:
        plan: tonight's plan.
        trained: what training produced.
        night: tonight's id.
        report: the night report (for parameter counts).
        log: progress messages.
    """
    basis_id = publish_basis(plan, trained, night, report) if plan.method == "share" else None
    registry = plan.registry
    entries = {}
    for task, factors in trained.factors.items():
        manifest = Manifest(registry.new_id(plan.method, task), plan.method, str(plan.base_model), task, "adapter",
                            task, basis_id, report.trainable_params, report.lora_params_same_rank, night=night,
                            files={"peft": "."}, reexported=bool(trained.share and task in trained.share.reexported))
        with registry.adding(manifest) as folder:
            save_factors_as_peft(factors, folder, str(plan.base_model))
            if plan.base_model.suffix == ".gguf":
                manifest.files["gguf"] = export_gguf(folder / GGUF, factors, plan.base_model, log)
        entries[task] = manifest.id
        log(f"registered {manifest.id}")
    return entries


def publish_basis(plan: NightPlan, trained: Trained, night: str, report: NightReport) -> str:
    """Write Share's basis with every task's loadings (the next night grows from it); returns its id.

    Args:
        plan: tonight's plan.
        trained: what training produced (a model with Share layers).
        night: tonight's id.
        report: the night report (for parameter counts).
    """
    registry = plan.registry
    basis = Manifest(registry.new_id("share", "basis"), "share", str(plan.base_model), ALL_FAMILIES, "basis",
                     ALL_FAMILIES, trained.parent_basis, report.trainable_params, report.lora_params_same_rank,
                     night=night, files={"share": "share"})
    with registry.adding(basis) as folder:
        save_share(trained.model, folder / "share", plan.share, {"night": night, "notes": trained.notes})
    return basis.id


def export_gguf(path: Path, factors: dict[str, tuple[Any, Any]], base: Path, log: Log) -> str | None:
    """Write the adapter as a GGUF LoRA for llama.cpp; returns its file name, or None (logged) when it cannot be.

    A missing GGUF costs only the llama_cpp backend its adapter: the peft
    folder is already written, so the night goes on.

    Args:
        path: the file to write.
        factors: module name -> (A, B) with the scaling folded into B.
        base: the base model's .gguf file, whose tensor names and layout the LoRA must match.
        log: notes.
    """
    from .gguf_export import write_gguf_lora

    try:
        write_gguf_lora(path, factors, base)
        return path.name
    except (ValueError, KeyError) as exc:
        log(f"no GGUF LoRA for llama.cpp: {exc}")
        return None
