"""The adapter registry's file layout, as both loops see it: the trainer writes it, the server reads it.

    adapters/
      champions.json      {"borrow": {"adapter": "<id>", "task": "borrow"}, ..., "_version": 7, "_updated_at": ...}
      <id>/manifest.json  what the adapter is and how it scored (trainer.registry.Manifest)
      <id>/adapter_config.json + adapter_model.safetensors   the peft LoRA the transformers backend loads
      <id>/adapter.gguf   the same update as a GGUF LoRA, what the llama_cpp backend loads
      <id>/share/         [Share basis entries] the basis and every task's loadings

Families are top-level keys of champions.json; keys starting with "_" are
metadata. The file is replaced, never edited, so `change_token` (one stat)
tells a running server when to reload.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

CHAMPIONS = "champions.json"
MANIFEST = "manifest.json"
GGUF = "adapter.gguf"
ENV_DIR = "SLEEPY_ADAPTERS_DIR"
METADATA_PREFIX = "_"


def default_root() -> Path:
    """The registry folder: $SLEEPY_ADAPTERS_DIR, else <user data dir>/sleepy-coder/adapters."""
    override = os.environ.get(ENV_DIR)
    return Path(override) if override else Path(platformdirs.user_data_dir("sleepy-coder")) / "adapters"


def read_champions(registry: Path) -> dict:
    """champions.json as it is ({} when absent); ValueError when it is not a JSON object."""
    path = Path(registry) / CHAMPIONS
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{path} is not a JSON object")
    return raw


def champion_entries(raw: dict) -> dict[str, dict]:
    """family -> {"adapter": id, "task": name}, metadata keys and malformed entries left out."""
    return {family: entry for family, entry in raw.items()
            if not family.startswith(METADATA_PREFIX) and isinstance(entry, dict) and entry.get("adapter")}


def champion_adapters(registry: Path, backend: str) -> dict[str, Path]:
    """family -> the file or folder this backend loads for that family's champion; empty when there is none."""
    try:
        entries = champion_entries(read_champions(registry))
    except (OSError, ValueError):
        return {}
    found = {}
    for family, entry in entries.items():
        folder = Path(registry) / str(entry["adapter"])
        path = folder / GGUF if backend == "llama_cpp" else folder
        if path.exists():
            found[family] = path
    return found


def change_token(registry: Path | None) -> tuple[int, int]:
    """A stat-only change signal: (mtime_ns, inode) of champions.json; (0, 0) when absent.

    The file is replaced, never edited, so its inode changes on every write
    even when two writes land within the filesystem's timestamp resolution.
    """
    try:
        stat = (Path(registry) / CHAMPIONS).stat() if registry else None
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_ino) if stat else (0, 0)
