"""The koan format: loading and validating a folder of koans.

A koan is a folder named by its id holding `koan.toml`, the broken
`src/main.rs` or `src/lib.rs`, a reference `solution.rs`, optional hidden tests
in `check.rs` and an optional `Cargo.toml` (see DESIGN.md).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import KoanError
from ..vocabulary import KOAN_FAMILIES

# The corpus in the sleepy-coder repository, beside the package (an installed wheel has none: see load_koans).
DEFAULT_KOANS = Path(__file__).resolve().parents[2] / "koans"
# eval: the frozen benchmark; train: lessons; holdout: a second frozen benchmark, measured, never read.
SPLITS = ("eval", "train", "holdout")
LESSON_SPLIT = "train"


@dataclass(frozen=True)
class Koan:
    id: str
    family: str
    title: str
    error_codes: tuple[str, ...]
    split: str
    path: Path
    source_name: str  # "main.rs" or "lib.rs"
    broken: str
    solution: str
    check: str | None
    manifest: str | None

    @property
    def source_rel(self) -> str:
        return f"src/{self.source_name}"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KoanError(f"{path} is not valid UTF-8: save it as UTF-8 and try again.") from None


def _manifest_field(meta: dict, name: str, kind: type, path: Path):
    value = meta.get(name)
    if not isinstance(value, kind):
        raise KoanError(
            f"{path} needs `{name}` as a {kind.__name__}: see the koan format in DESIGN.md."
        )
    return value


def load_koan(folder: Path) -> Koan:
    """One koan from its folder, or KoanError saying what is missing or wrong."""
    folder = Path(folder)
    toml_path = folder / "koan.toml"
    if not toml_path.is_file():
        raise KoanError(
            f"{folder} has no koan.toml: each koan folder needs koan.toml, "
            "src/main.rs or src/lib.rs, and solution.rs."
        )
    try:
        meta = tomllib.loads(_read_text(toml_path))
    except tomllib.TOMLDecodeError as exc:
        raise KoanError(f"{toml_path} is not valid TOML ({exc}): fix the syntax.") from None

    koan_id = _manifest_field(meta, "id", str, toml_path)
    if koan_id != folder.name:
        raise KoanError(f"{toml_path} says id = {koan_id!r} but its folder is {folder.name!r}: make them equal.")
    family = _manifest_field(meta, "family", str, toml_path)
    if family not in KOAN_FAMILIES:
        raise KoanError(f"{toml_path} has unknown family {family!r}: use one of {', '.join(KOAN_FAMILIES)}.")
    split = _manifest_field(meta, "split", str, toml_path)
    if split not in SPLITS:
        raise KoanError(f"{toml_path} has unknown split {split!r}: use eval, train or holdout.")
    codes = _manifest_field(meta, "error_codes", list, toml_path)

    sources = [name for name in ("main.rs", "lib.rs") if (folder / "src" / name).is_file()]
    if len(sources) != 1:
        raise KoanError(f"{folder} needs exactly one of src/main.rs and src/lib.rs, found {len(sources)}.")
    if not (folder / "solution.rs").is_file():
        raise KoanError(f"{folder} has no solution.rs: add the reference fixed version of {sources[0]}.")

    check = folder / "check.rs"
    manifest = folder / "Cargo.toml"
    return Koan(
        id=koan_id,
        family=family,
        title=str(meta.get("title", "")),
        error_codes=tuple(str(c) for c in codes),
        split=split,
        path=folder,
        source_name=sources[0],
        broken=_read_text(folder / "src" / sources[0]),
        solution=_read_text(folder / "solution.rs"),
        check=_read_text(check) if check.is_file() else None,
        manifest=_read_text(manifest) if manifest.is_file() else None,
    )


def load_koans(root: Path, split: str | None = None, family: str | None = None) -> list[Koan]:
    """Every koan under root (one folder each), sorted by id, optionally filtered."""
    root = Path(root)
    if not root.is_dir() and root == DEFAULT_KOANS:
        raise KoanError("The koans are not installed with the sleepy-coder package: they are the koans/ folder of "
                        "its repository; pass that folder with --koans DIR.")
    if not root.is_dir():
        raise KoanError(f"{root} is not a folder: pass a folder of koans (one sub-folder per koan).")
    if split is not None and split not in SPLITS:
        raise KoanError(f"Unknown split {split!r}: use eval, train or holdout.")
    if family is not None and family not in KOAN_FAMILIES:
        raise KoanError(f"Unknown family {family!r}: use one of {', '.join(KOAN_FAMILIES)}.")
    koans = [load_koan(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")]
    if not koans:
        raise KoanError(f"{root} holds no koan folders.")
    return [
        k for k in koans
        if (split is None or k.split == split) and (family is None or k.family == family)
    ]
