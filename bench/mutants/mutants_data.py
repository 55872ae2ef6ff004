"""Reading and applying the mutants of the mutation benchmark.

``mutants.json`` (written by ``generate.py``) lists small edits to the crates in
``crates/``; each one makes ``cargo check`` fail. A mutant names its crate, the
crate-relative file, the UTF-8 byte range ``[byte_start, byte_end)`` of the
ORIGINAL file it replaces, the original text of that range and its replacement.

Standard library only, so any scorer can import it::

    from mutants_data import load_mutants, apply_mutant, source_path
    for m in load_mutants():
        broken = apply_mutant(source_path(m).read_text(encoding="utf-8"), m)

Run as a script (``python bench/mutants/mutants_data.py``) it checks every mutant
against the files on disk and prints how many there are.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

HERE = Path(__file__).resolve().parent
MUTANTS_JSON = HERE / "mutants.json"
CRATES_DIR = HERE / "crates"

# The mutation kinds, in the order they are reported.
KINDS = (
    "ref_removed",
    "mut_removed",
    "clone_removed",
    "use_removed",
    "derive_removed",
    "cast_removed",
    "question_removed",
    "ok_removed",
    "lifetime_removed",
)


@dataclass(frozen=True)
class Mutant:
    id: str
    crate: str
    file: str
    kind: str
    byte_start: int
    byte_end: int
    original: str
    replacement: str
    line: int
    error_codes: tuple[str, ...]
    first_error: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Mutant":
        return cls(
            id=str(data["id"]),
            crate=str(data["crate"]),
            file=str(data["file"]),
            kind=str(data["kind"]),
            byte_start=int(data["byte_start"]),
            byte_end=int(data["byte_end"]),
            original=str(data["original"]),
            replacement=str(data["replacement"]),
            line=int(data["line"]),
            error_codes=tuple(str(c) for c in data.get("error_codes", ())),
            first_error=str(data.get("first_error", "")),
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["error_codes"] = list(self.error_codes)
        return out


MutantLike = Union[Mutant, Mapping[str, Any]]


def _as_mutant(mutant: MutantLike) -> Mutant:
    return mutant if isinstance(mutant, Mutant) else Mutant.from_dict(mutant)


def load_mutants(path: Union[str, Path, None] = None) -> list[Mutant]:
    """Reads ``mutants.json`` (or ``path``) into a list of :class:`Mutant`."""
    with open(path or MUTANTS_JSON, encoding="utf-8") as fh:
        raw = json.load(fh)
    if not isinstance(raw, list):
        raise ValueError("mutants.json must hold a list")
    return [Mutant.from_dict(item) for item in raw]


def crate_dir(mutant: MutantLike, crates_dir: Union[str, Path] = CRATES_DIR) -> Path:
    """The folder of the mutant's crate (holding its Cargo.toml)."""
    return Path(crates_dir) / _as_mutant(mutant).crate


def source_path(mutant: MutantLike, crates_dir: Union[str, Path] = CRATES_DIR) -> Path:
    """The ORIGINAL file the mutant edits."""
    m = _as_mutant(mutant)
    return Path(crates_dir) / m.crate / m.file


def original_matches(text: str, mutant: MutantLike) -> bool:
    """Whether ``text`` holds the mutant's original bytes at its byte range."""
    m = _as_mutant(mutant)
    data = text.encode("utf-8")
    if not 0 <= m.byte_start <= m.byte_end <= len(data):
        return False
    return data[m.byte_start : m.byte_end] == m.original.encode("utf-8")


def assert_original(text: str, mutant: MutantLike) -> None:
    """Raises AssertionError unless ``text[byte_start:byte_end]`` (in bytes) is ``original``."""
    m = _as_mutant(mutant)
    if not original_matches(text, m):
        data = text.encode("utf-8")
        found = data[m.byte_start : m.byte_end].decode("utf-8", errors="replace")
        raise AssertionError(
            f"{m.id}: expected {m.original!r} at bytes {m.byte_start}..{m.byte_end} "
            f"of {m.crate}/{m.file}, found {found!r}"
        )


def apply_mutant(text: str, mutant: MutantLike) -> str:
    """Returns ``text`` (the original file) with the mutant applied."""
    m = _as_mutant(mutant)
    assert_original(text, m)
    data = text.encode("utf-8")
    out = data[: m.byte_start] + m.replacement.encode("utf-8") + data[m.byte_end :]
    return out.decode("utf-8")


def mutated_source(mutant: MutantLike, crates_dir: Union[str, Path] = CRATES_DIR) -> str:
    """The mutant's file, read from ``crates_dir`` and mutated."""
    return apply_mutant(source_path(mutant, crates_dir).read_text(encoding="utf-8"), mutant)


def verify_all(
    mutants: Iterable[MutantLike] | None = None, crates_dir: Union[str, Path] = CRATES_DIR
) -> int:
    """Asserts every mutant against the files in ``crates_dir``; returns how many were checked."""
    count = 0
    seen: set[str] = set()
    for mutant in load_mutants() if mutants is None else mutants:
        m = _as_mutant(mutant)
        if m.id in seen:
            raise AssertionError(f"duplicate mutant id {m.id}")
        seen.add(m.id)
        assert_original(source_path(m, crates_dir).read_text(encoding="utf-8"), m)
        count += 1
    return count


def main() -> int:
    mutants = load_mutants()
    count = verify_all(mutants)
    kinds = sorted({m.kind for m in mutants}, key=lambda k: (KINDS + (k,)).index(k))
    crates = sorted({m.crate for m in mutants})
    print(f"{count} mutants match their original text ({len(kinds)} kinds, {len(crates)} crates)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
