"""Reading the adapter registry's champions: which adapter serves each error family.

The trainer publishes; the day side only reads (dependencies point one way).
"""

from __future__ import annotations

import json
from pathlib import Path


def champion_adapters(registry: Path, backend: str) -> dict[str, Path]:
    """family -> adapter path for this backend; empty when the registry has no champions yet."""
    pointer = Path(registry) / "champions.json"
    try:
        champions = json.loads(pointer.read_text())
    except (OSError, ValueError):
        return {}
    found = {}
    for family, entry in champions.items():
        name = entry.get("adapter") if isinstance(entry, dict) else entry
        if not name:
            continue
        folder = Path(registry) / str(name)
        path = folder / "adapter.gguf" if backend == "llama_cpp" else folder
        if path.exists():
            found[family] = path
    return found


def champions_signature(registry: Path | None) -> float | None:
    """A cheap change signal: the champions file's modification time."""
    try:
        return (Path(registry) / "champions.json").stat().st_mtime if registry else None
    except OSError:
        return None
