"""Where a source file's crate is: its nearest Cargo.toml, the workspace above it, and the
scratch target dirs sleepy keeps for it."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CrateLocation:
    """Where a file's crate lives: the folder of its nearest Cargo.toml, and the workspace root above it."""

    root: Path
    workspace_root: Path

    @property
    def name(self) -> str:
        return self.root.name


def find_crate(path: Path) -> CrateLocation | None:
    """The crate of a source file: the nearest Cargo.toml walking up, and the workspace that holds it.

    The workspace root is the nearest folder at or above the crate whose
    Cargo.toml has a `[workspace]` table; a crate outside any workspace is
    its own root. rustc names files relative to the workspace root.
    """
    root = next((d for d in path.parents if (d / "Cargo.toml").is_file()), None)
    if root is None:
        return None
    workspace = root
    for folder in (root, *root.parents):
        if (folder / "Cargo.toml").is_file() and _has_workspace_table(folder / "Cargo.toml"):
            workspace = folder
            break
    return CrateLocation(root, workspace)


def _has_workspace_table(manifest: Path) -> bool:
    try:
        return "workspace" in tomllib.loads(manifest.read_text(encoding="utf-8", errors="replace"))
    except (OSError, tomllib.TOMLDecodeError):
        return False


def target_dir_for(cache_dir: Path, crate: CrateLocation, kind: str = "check") -> Path:
    """The server's own cargo target dir for a workspace, so it never waits on rust-analyzer's lock."""
    digest = hashlib.sha1(str(crate.workspace_root).encode()).hexdigest()[:12]
    return cache_dir / f"{kind}-target" / f"{crate.workspace_root.name}-{digest}"
