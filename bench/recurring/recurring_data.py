"""The recurring-fix corpus: small Rust libraries whose one recurring error has a project idiom.

Each project folder under ``bench/recurring/`` holds

- ``Cargo.toml``: a standalone crate (its own ``[workspace]``, no dependencies);
- ``src/lib.rs``: the correct, final code, every occurrence in its fixed form;
- ``check.rs``: hidden tests, appended at judge time inside
  ``#[cfg(test)] mod recurring_check { use super::*; ... }`` (see ``with_check``);
- ``recurring.toml``: ``name``, ``idiom``, ``error_code`` and ``[[occurrence]]``
  entries (``function``, ``fixed``, ``broken``, ``wrong``), in the order a
  developer meets them.

A benchmark replays a developer who meets the occurrences one after another:
``broken_text(project, i)`` is lib.rs with occurrence ``i`` in the form the
developer first wrote (every other occurrence as the project has it), and
``render(project, forms)`` writes any mix, for instance the user's own fix
for the earlier occurrences.  Standard library only (``tomllib``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

CHECK_MODULE = "recurring_check"
CHECK_MODULE_HEADER = f"\n#[cfg(test)]\nmod {CHECK_MODULE} {{\n    use super::*;\n"
CHECK_MODULE_FOOTER = "}\n"


class CorpusError(ValueError):
    """A project folder that does not follow the corpus format; the message says which and why."""


@dataclass(frozen=True)
class Occurrence:
    """One place where the recurring error appears, in a function of its own."""

    index: int
    function: str
    fixed: str  # exact text of src/lib.rs at this place, unique in the file
    broken: str  # what the developer first writes instead (rustc rejects it)
    wrong: tuple[str, ...]  # plausible fixes that compile but fail the hidden tests


@dataclass(frozen=True)
class Project:
    name: str
    root: Path
    idiom: str
    error_code: str
    occurrences: tuple[Occurrence, ...]
    lib_text: str = field(repr=False)
    check_text: str = field(repr=False)

    @property
    def lib_path(self) -> Path:
        return self.root / "src" / "lib.rs"

    @property
    def check_path(self) -> Path:
        return self.root / "check.rs"

    @property
    def manifest_path(self) -> Path:
        return self.root / "Cargo.toml"

    def fixed_offset(self, index: int) -> int:
        """Character offset of occurrence ``index``'s fixed text in lib.rs."""
        occurrence = self.occurrences[index]
        start = self.lib_text.find(occurrence.fixed)
        if start < 0:
            raise CorpusError(f"{self.name}: occurrence {index} ({occurrence.function}): `fixed` is not in src/lib.rs")
        return start


def _occurrence(project: str, index: int, raw: Mapping) -> Occurrence:
    missing = [key for key in ("function", "fixed", "broken") if not isinstance(raw.get(key), str) or not raw.get(key)]
    if missing:
        raise CorpusError(f"{project}: occurrence {index} lacks {', '.join(missing)} (strings, not empty)")
    wrong = raw.get("wrong", [])
    if isinstance(wrong, str):
        wrong = [wrong]
    if not isinstance(wrong, list) or not all(isinstance(w, str) and w for w in wrong):
        raise CorpusError(f"{project}: occurrence {index}: `wrong` must be a list of non-empty strings")
    return Occurrence(index, raw["function"], raw["fixed"], raw["broken"], tuple(wrong))


def load_project(folder: Path) -> Project:
    """Read one project folder; raises CorpusError with what is missing."""
    folder = Path(folder)
    meta_path = folder / "recurring.toml"
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"{folder.name}: no recurring.toml") from None
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{folder.name}: recurring.toml is not valid TOML: {exc}") from None
    for key in ("name", "idiom", "error_code"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise CorpusError(f"{folder.name}: recurring.toml needs `{key}` (a non-empty string)")
    raw_occurrences = meta.get("occurrence", [])
    if not isinstance(raw_occurrences, list):
        raise CorpusError(f"{folder.name}: `occurrence` must be an array of tables ([[occurrence]])")
    occurrences = tuple(_occurrence(meta["name"], i, raw) for i, raw in enumerate(raw_occurrences))
    try:
        lib_text = (folder / "src" / "lib.rs").read_text(encoding="utf-8")
        check_text = (folder / "check.rs").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CorpusError(f"{folder.name}: missing {Path(exc.filename).relative_to(folder)}") from None
    return Project(meta["name"], folder, meta["idiom"], meta["error_code"], occurrences, lib_text, check_text)


def load_projects(root: Path | str | None = None) -> list[Project]:
    """Every project under ``root`` (default: this file's folder), sorted by folder name."""
    root = Path(root) if root is not None else Path(__file__).resolve().parent
    return [load_project(d) for d in sorted(root.iterdir()) if (d / "recurring.toml").is_file()]


def render(project: Project, forms: Mapping[int, str]) -> str:
    """lib.rs with occurrence ``i`` written as ``forms[i]``; occurrences not named keep their fixed text."""
    spans = []
    for index, text in forms.items():
        start = project.fixed_offset(index)
        spans.append((start, start + len(project.occurrences[index].fixed), text))
    spans.sort()
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        if start < end:
            raise CorpusError(f"{project.name}: two occurrences' fixed texts overlap")
    out, cursor = [], 0
    for start, end, text in spans:
        out.append(project.lib_text[cursor:start])
        out.append(text)
        cursor = end
    out.append(project.lib_text[cursor:])
    return "".join(out)


def broken_text(project: Project, occurrence_index: int, fixed_before: Iterable[int] | None = None) -> str:
    """lib.rs with occurrence ``occurrence_index`` in its broken form.

    ``fixed_before`` says which other occurrences stand in their fixed form.
    None (the default) means all of them: the file as the project has it, with
    just this occurrence broken.  A set, e.g. ``set(range(i))`` when replaying a
    user who has fixed the earlier ones, leaves every occurrence outside it
    (other than this one) broken as well.
    """
    if not 0 <= occurrence_index < len(project.occurrences):
        raise IndexError(f"{project.name} has {len(project.occurrences)} occurrences, not {occurrence_index + 1}")
    forms = {occurrence_index: project.occurrences[occurrence_index].broken}
    if fixed_before is not None:
        keep = set(fixed_before)
        for occurrence in project.occurrences:
            if occurrence.index != occurrence_index and occurrence.index not in keep:
                forms[occurrence.index] = occurrence.broken
    return render(project, forms)


def with_check(lib_text: str, check_text: str) -> str:
    """The crate file the judge builds: lib.rs with the hidden tests appended in their own module."""
    return lib_text.rstrip("\n") + "\n" + CHECK_MODULE_HEADER + check_text + CHECK_MODULE_FOOTER


# --- where a function's body lies (for "the error is inside the occurrence's function") ---

_CHAR_LITERAL = re.compile(r"'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)|[^\\'\n])'")
_RAW_STRING = re.compile(r'b?r(#*)"')


def _skip_literal(text: str, i: int) -> int:
    """If a comment, string or char literal starts at ``i``, the offset just after it; else ``i``."""
    if text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        depth, j = 1, i + 2
        while j < len(text) and depth:
            if text.startswith("/*", j):
                depth, j = depth + 1, j + 2
            elif text.startswith("*/", j):
                depth, j = depth - 1, j + 2
            else:
                j += 1
        return j
    raw = _RAW_STRING.match(text, i)
    if raw and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
        closing = '"' + raw.group(1)
        end = text.find(closing, raw.end())
        return len(text) if end < 0 else end + len(closing)
    if text[i] == '"' or text.startswith('b"', i) and (i == 0 or not text[i - 1].isalnum()):
        j = i + (2 if text[i] == "b" else 1)
        while j < len(text) and text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        return j + 1
    if text[i] == "'":
        char = _CHAR_LITERAL.match(text, i)
        if char:
            return char.end()
    return i


def function_span(text: str, name: str) -> tuple[int, int]:
    """Character offsets (start of `fn`, just past the closing brace) of the one function called ``name``."""
    starts = [m.start() for m in re.finditer(rf"\bfn\s+{re.escape(name)}\b", text)]
    if len(starts) != 1:
        raise CorpusError(f"expected one `fn {name}`, found {len(starts)}")
    start = i = starts[0]
    depth = nesting = 0  # braces; parentheses and brackets (`[u8; 4]` in a signature)
    while i < len(text):
        after = _skip_literal(text, i)
        if after != i:
            i = after
            continue
        if text[i] in "([":
            nesting += 1
        elif text[i] in ")]":
            nesting -= 1
        elif text[i] == ";" and depth == 0 and nesting == 0:
            raise CorpusError(f"`fn {name}` has no body")
        elif text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return start, i + 1
        i += 1
    raise CorpusError(f"`fn {name}`: unbalanced braces")
