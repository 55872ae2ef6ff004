"""The adapter registry: adapters with manifests, a champion per family, and the Share basis a night grows from.

The folder's layout and its change token belong to `sleepy_lsp.model.adapters`,
which the server reads by; this module is the writer. An adapter folder is
written under a temporary name and renamed when complete, and champions.json
is replaced atomically, so a reader never sees half of either: a running
server polls `adapters.change_token` (one stat call) to reload without a
restart. `version()` counts champion changes. A family without its own
champion falls back to the ALL_FAMILIES champion, then to the base model.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from sleepy_lsp.errors import SleepyError
from sleepy_lsp.model.adapters import (
    CHAMPIONS,
    MANIFEST,
    METADATA_PREFIX,
    champion_entries,
    default_root,
    read_champions,
)
from sleepy_lsp.vocabulary import ALL_FAMILIES, KOAN_FAMILIES

METHODS = ("lora", "replay", "share")
KINDS = ("adapter", "basis")  # a servable adapter, or a Share basis with every task's loadings


class RegistryError(SleepyError):
    """The adapter registry is missing something or holds something unreadable."""


@dataclass
class Manifest:
    """What an adapter is and how it scored.

    Args:
        id: the adapter's folder name.
        method: "lora", "replay" or "share".
        base_model: the base model's path or name.
        family: the error family it serves, or ALL_FAMILIES.
        kind: "adapter" (servable) or "basis" (a Share basis with all tasks' loadings).
        task: the task name it was trained as (the family, or ALL_FAMILIES).
        parent_basis: for Share, the basis entry this task lives in (None for LoRA).
        trainable_params: trainable parameters per task.
        lora_params_same_rank: what plain LoRA of the same rank would train, for comparison.
        eval_scores: family -> {"passed": n, "total": n} on the eval split.
        eval_results: koan id -> passed, so later gates need not evaluate the champion again.
        created_at: ISO 8601 UTC.
        night: the night's id.
        files: what the folder holds, e.g. {"peft": ".", "gguf": "adapter.gguf"}.
        reexported: a Share task trained on an earlier night, exported again because that night's phase 3 changed
            its delta W (it serves only once the gate has measured it).
    """

    id: str
    method: str
    base_model: str
    family: str = ALL_FAMILIES
    kind: str = "adapter"
    task: str = ALL_FAMILIES
    parent_basis: str | None = None
    trainable_params: int = 0
    lora_params_same_rank: int = 0
    eval_scores: dict[str, dict[str, int]] = field(default_factory=dict)
    eval_results: dict[str, bool] = field(default_factory=dict)
    created_at: str = ""
    night: str = ""
    files: dict[str, Any] = field(default_factory=dict)
    reexported: bool = False

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method {self.method!r} must be one of {METHODS}")
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} must be one of {KINDS}")

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Manifest":
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in raw.items() if k in names})


@dataclass(frozen=True)
class Champion:
    """The adapter (and the task inside it) that serves a family.

    Args:
        adapter: the adapter id.
        task: the task name inside it (the family for per-family adapters, ALL_FAMILIES otherwise).
    """

    adapter: str
    task: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _write_json_atomic(path: Path, payload: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}.tmp")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


class Registry:
    """The adapters folder.

    Args:
        root: the folder (default: default_root()); created on first write.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()

    # Adapters ------------------------------------------------------------------------------------

    def new_id(self, method: str, family: str) -> str:
        """A sortable, unique adapter id: time, method and family.

        Args:
            method: the training method.
            family: the family it serves, or ALL_FAMILIES.
        """
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        return f"{stamp}-{method}-{family}-{uuid.uuid4().hex[:6]}"

    @contextmanager
    def adding(self, manifest: Manifest) -> Iterator[Path]:
        """A temporary folder to write an adapter into; published under manifest.id only when the block ends cleanly.

        Args:
            manifest: the adapter's manifest (written last, then the folder is renamed).
        """
        if not re.fullmatch(r"[\w.-]+", manifest.id):
            raise ValueError(f"adapter id {manifest.id!r} may hold only letters, digits, '_', '-' and '.'")
        final = self.root / manifest.id
        if final.exists():
            raise ValueError(f"adapter {manifest.id!r} already exists in {self.root}")
        tmp = self.root / f".{manifest.id}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            yield tmp
            manifest.created_at = manifest.created_at or _now()
            _write_json_atomic(tmp / MANIFEST, asdict(manifest))
            tmp.rename(final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def update_manifest(self, manifest: Manifest) -> None:
        """Rewrite an existing adapter's manifest (e.g. once it has been evaluated).

        Args:
            manifest: the new manifest; its id must exist.
        """
        folder = self.path(manifest.id)
        _write_json_atomic(folder / MANIFEST, asdict(manifest))

    def path(self, adapter_id: str) -> Path:
        """An adapter's folder, which must exist.

        Args:
            adapter_id: the adapter id.
        """
        folder = self.root / adapter_id
        if not (folder / MANIFEST).is_file():
            raise RegistryError(f"adapter {adapter_id!r} is not in {self.root}: list them with `sleepy-train adapters`.")
        return folder

    def manifest(self, adapter_id: str) -> Manifest:
        """An adapter's manifest.

        Args:
            adapter_id: the adapter id.
        """
        path = self.path(adapter_id) / MANIFEST
        try:
            return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as exc:
            raise RegistryError(f"{path} is unreadable ({exc}): delete that adapter folder.") from None

    def manifests(self, method: str | None = None, kind: str | None = None) -> list[Manifest]:
        """Every adapter's manifest, oldest first, optionally of one method and kind.

        Args:
            method: only adapters trained this way.
            kind: only "adapter" or only "basis" entries.
        """
        if not self.root.is_dir():
            return []
        found = []
        for folder in sorted(p for p in self.root.iterdir() if (p / MANIFEST).is_file()):
            manifest = self.manifest(folder.name)
            if (method is None or manifest.method == method) and (kind is None or manifest.kind == kind):
                found.append(manifest)
        return found

    # Champions -----------------------------------------------------------------------------------

    def _read_champions(self) -> dict[str, Any]:
        path = self.root / CHAMPIONS
        try:
            return read_champions(self.root)
        except json.JSONDecodeError:
            raise RegistryError(f"{path} is not valid JSON: delete it to fall back to the base model.") from None
        except ValueError:
            raise RegistryError(f"{path} is not a JSON object: delete it to fall back to the base model.") from None

    def champions(self) -> dict[str, Champion]:
        """The champion of each family that has one."""
        return {family: Champion(entry["adapter"], entry.get("task", family))
                for family, entry in champion_entries(self._read_champions()).items()}

    def champion_for(self, family: str) -> Champion | None:
        """Routing: the family's champion, else the all-families champion, else None (the base model).

        Args:
            family: the diagnostic's family.
        """
        champions = self.champions()
        return champions.get(family) or champions.get(ALL_FAMILIES)

    def set_champions(self, updates: dict[str, Champion]) -> int:
        """Point families at new champions in one atomic write; returns the new version.

        Args:
            updates: family -> champion (other families keep theirs).
        """
        for family, champion in updates.items():
            if family.startswith(METADATA_PREFIX):
                raise ValueError(f"family {family!r} may not start with {METADATA_PREFIX!r} (reserved for metadata)")
            if self.manifest(champion.adapter).kind != "adapter":
                raise ValueError(f"{champion.adapter!r} is a Share basis, not a servable adapter")
        self.root.mkdir(parents=True, exist_ok=True)
        current = self._read_champions()
        payload = {k: v for k, v in current.items() if not k.startswith(METADATA_PREFIX)}
        payload.update({family: asdict(c) for family, c in updates.items()})
        version = int(current.get("_version", 0)) + 1
        payload |= {"_version": version, "_updated_at": _now()}
        _write_json_atomic(self.root / CHAMPIONS, payload)
        return version

    def promote(self, *adapter_ids: str) -> int:
        """Make each adapter the champion of the family it was trained for (of every family when trained
        on all of them), in one atomic write; returns the new version. Also how a user rolls back.
        """
        updates = {}
        for adapter_id in adapter_ids:
            task = self.manifest(adapter_id).task
            targets = [ALL_FAMILIES, *KOAN_FAMILIES] if task == ALL_FAMILIES else [task]
            updates |= {family: Champion(adapter_id, task) for family in targets}
        return self.set_champions(updates) if updates else self.version()

    def version(self) -> int:
        """The change counter: it grows by one every time a champion changes (0 before any)."""
        return int(self._read_champions().get("_version", 0))


def share_parent(registry: Registry, base_model: str) -> str | None:
    """The Share basis tonight grows from: the one behind a current champion, else the newest; None for a first night.

    Args:
        registry: the adapter registry.
        base_model: only bases built on this model count.
    """
    bases = [m for m in registry.manifests("share", "basis") if m.base_model == base_model]
    if not bases:
        return None
    champions = {c.adapter for c in registry.champions().values()}
    behind = {registry.manifest(a).parent_basis for a in champions}
    chosen = [m for m in bases if m.id in behind] or bases
    return chosen[-1].id
