"""Pure conversions between rustc's diagnostics and fixes and the LSP's types.

rustc counts lines from 1 and columns from 1 in Unicode characters; the LSP
counts both from 0 and columns in the negotiated position encoding (UTF-16
code units unless the client asked for another). Every function here is a
function of its arguments only, so the server's mapping can be tested on
captured compiler output (as rust-analyzer's `flycheck_to_proto.rs` is).
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePath
from typing import Any, Iterable, Sequence

from lsprotocol import types

from ..rust.diagnostics import Diagnostic, Span
from ..rust.edits import TextEdit
from ..vocabulary import BACKENDS

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
# The LSP ends a line at \n, \r\n or \r, and only there (str.splitlines also splits at \x0c and others).
_EOL = re.compile(r"\r\n|\r|\n")
SOURCE = "sleepy"
# Commands every fix action carries; clients run them after applying the edit.
ACCEPT = "sleepy.accept"
REJECT = "sleepy.reject"
REJECT_LAST = "sleepy.rejectLast"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "error: internal compiler error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "note": types.DiagnosticSeverity.Information,
    "help": types.DiagnosticSeverity.Hint,
}


# --- positions -------------------------------------------------------------------------------


def code_units(text: str, encoding: str = UTF16) -> int:
    """The length of text in the encoding's code units."""
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    if encoding == UTF32:
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


@dataclass(frozen=True)
class LineIndex:
    """Where each line of a text starts, for offset <-> position conversion."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> "LineIndex":
        return cls(text, (0, *(m.end() for m in _EOL.finditer(text))))

    def line_text(self, line: int) -> str:
        """Line `line` (0-based) without its line ending."""
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def position(self, offset: int, encoding: str = UTF16) -> types.Position:
        """The LSP position of a character offset into the text (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return types.Position(line, code_units(self.text[self.starts[line]:offset], encoding))

    @cached_property
    def data(self) -> bytes:
        return self.text.encode("utf-8")

    def byte_position(self, offset: int, encoding: str = UTF16) -> types.Position:
        """The LSP position of a UTF-8 byte offset into the text (rustc's and the edits' unit)."""
        return self.position(len(self.data[:offset].decode("utf-8", errors="ignore")), encoding)

    def end(self, encoding: str = UTF16) -> types.Position:
        return self.position(len(self.text), encoding)

    def rustc_position(self, line1: int, column1: int, encoding: str = UTF16) -> types.Position:
        """An LSP position from rustc's 1-based line and 1-based character column."""
        line = line1 - 1
        if line < 0:
            return types.Position(0, 0)
        if line >= len(self.starts):
            return self.end(encoding)
        text = self.line_text(line)
        return types.Position(line, code_units(text[: max(0, column1 - 1)], encoding))


def span_range(span: Span, index: LineIndex, encoding: str = UTF16) -> types.Range:
    return types.Range(
        index.rustc_position(span.line_start, span.column_start, encoding),
        index.rustc_position(span.line_end, span.column_end, encoding),
    )


def _key(position: types.Position) -> tuple[int, int]:
    return position.line, position.character


def ranges_overlap(a: types.Range, b: types.Range) -> bool:
    """True when the ranges share a position; touching ends count, so a cursor at an edge overlaps."""
    return _key(a.start) <= _key(b.end) and _key(b.start) <= _key(a.end)


def request_covers(request: types.Range, target: types.Range) -> bool:
    """Whether a code-action request's range is about a diagnostic's range.

    A non-empty selection must overlap the range; an empty one (a cursor, as
    Neovim sends) counts anywhere on the diagnostic's lines, since a user puts
    the cursor on the line, not on the exact columns rustc underlines.
    """
    if _key(request.start) == _key(request.end):
        return target.start.line <= request.start.line <= target.end.line
    return ranges_overlap(request, target)


# --- diagnostics -----------------------------------------------------------------------------


def diagnostic_key(diagnostic: Diagnostic) -> str:
    """A stable identity for a diagnostic within one document version: code, primary bytes, message."""
    span = diagnostic.primary_span
    where = f"{span.byte_start}-{span.byte_end}" if span else "-"
    return f"{diagnostic.code or ''}|{where}|{diagnostic.message}"


def resolve_file(file_name: str, workspace_root: str | os.PathLike) -> str:
    """The absolute, normalised path rustc means by a span's file name (relative to the workspace root)."""
    path = PurePath(file_name)
    if not path.is_absolute():
        path = PurePath(workspace_root) / path
    return os.path.normpath(str(path))


def home_span(diagnostic: Diagnostic, workspace_root: str | os.PathLike) -> Span | None:
    """The span a diagnostic is shown at: the primary one, else the first one inside the workspace."""
    primary = diagnostic.primary_span
    root = os.path.normpath(str(workspace_root))
    candidates = [primary] if primary else []
    candidates += [s for s in diagnostic.spans if s is not primary]
    for span in candidates:
        resolved = resolve_file(span.file_name, root)
        if resolved == root or resolved.startswith(root + os.sep):
            return span
    return None


def diagnostics_by_file(diagnostics: Iterable[Diagnostic], workspace_root: str | os.PathLike) -> dict[str, list[Diagnostic]]:
    """Diagnostics grouped by the absolute path of the file they are shown in; others are dropped."""
    grouped: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.level not in _SEVERITY or diagnostic.message.startswith("aborting due to"):
            continue
        span = home_span(diagnostic, workspace_root)
        if span is not None:
            grouped.setdefault(resolve_file(span.file_name, workspace_root), []).append(diagnostic)
    return grouped


def to_lsp_diagnostic(diagnostic: Diagnostic, text: str, uri: str, workspace_root: str | os.PathLike,
                      encoding: str = UTF16, index: LineIndex | None = None) -> types.Diagnostic:
    """An LSP diagnostic for one rustc diagnostic shown in the document `uri` whose text is `text`.

    Args:
        diagnostic: the parsed rustc diagnostic.
        text: the document's text, which the spans' line and column numbers index into.
        uri: the document's URI, for related information in the same file.
        workspace_root: what the spans' relative file names are relative to.
        encoding: the negotiated position encoding.
        index: a LineIndex of text, when the caller converts many diagnostics of one text.
    """
    index = index or LineIndex.of(text)
    span = home_span(diagnostic, workspace_root) or diagnostic.primary_span
    home = resolve_file(span.file_name, workspace_root) if span else ""
    related = []
    for other in diagnostic.spans:
        if other is not span and other.label and resolve_file(other.file_name, workspace_root) == home:
            related.append(types.DiagnosticRelatedInformation(
                types.Location(uri, span_range(other, index, encoding)), other.label))
    notes = []
    for child in diagnostic.children:
        spans = [s for s in child.spans if resolve_file(s.file_name, workspace_root) == home]
        if spans:
            label = f"{child.level}: {child.message}"
            for s in spans:
                if s.suggested_replacement is not None:
                    label += f": `{s.suggested_replacement.strip()}`" if s.suggested_replacement.strip() else ""
                    break
            related.append(types.DiagnosticRelatedInformation(
                types.Location(uri, span_range(spans[0], index, encoding)), label))
        elif child.message:
            notes.append(f"{child.level}: {child.message}")
    message = diagnostic.message
    if span and span.label and span.label != message:
        message += f"\n{span.label}"
    if notes:
        message += "\n" + "\n".join(notes)
    code = diagnostic.code
    return types.Diagnostic(
        range=span_range(span, index, encoding) if span else types.Range(types.Position(0, 0), types.Position(0, 0)),
        message=message,
        severity=_SEVERITY.get(diagnostic.level, types.DiagnosticSeverity.Error),
        code=code,
        code_description=types.CodeDescription(f"https://doc.rust-lang.org/error_codes/{code}.html")
        if code and re.fullmatch(r"E\d{4}", code) else None,
        source=SOURCE,
        related_information=related or None,
        data={"key": diagnostic_key(diagnostic)},
    )


def client_diagnostic_matches(client: types.Diagnostic, ours: types.Diagnostic) -> bool:
    """Whether a diagnostic the client sent (rust-analyzer's, or ours echoed back) is the same error as ours.

    Our own carry our key in `data`; others match by error code and overlapping range.
    """
    data = client.data if isinstance(client.data, dict) else {}
    if "key" in data and isinstance(ours.data, dict):
        return data["key"] == ours.data.get("key")
    if client.code is None or ours.code is None or str(client.code) != str(ours.code):
        return False
    return ranges_overlap(client.range, ours.range)


# --- edits -----------------------------------------------------------------------------------


def lsp_text_edits(text: str, edits: Sequence[TextEdit], encoding: str = UTF16) -> list[types.TextEdit]:
    """A fix's byte-addressed edits of text as LSP edits, in order."""
    index = LineIndex.of(text)
    return [types.TextEdit(types.Range(index.byte_position(e.byte_start, encoding), index.byte_position(e.byte_end, encoding)),
                           e.new_text)
            for e in sorted(edits, key=lambda e: (e.byte_start, e.byte_end))]


def apply_text_edits(text: str, edits: Sequence[types.TextEdit], encoding: str = UTF16) -> str:
    """Apply LSP edits to text the way a client does (tests use it to play the client's part)."""
    index = LineIndex.of(text)

    def offset(position: types.Position) -> int:
        if position.line >= len(index.starts):
            return len(text)
        start = index.starts[position.line]
        line = index.line_text(position.line)
        units = 0
        for i, ch in enumerate(line):
            if units >= position.character:
                return start + i
            units += code_units(ch, encoding)
        return start + len(line)

    ordered = sorted(edits, key=lambda e: (_key(e.range.start), _key(e.range.end)), reverse=True)
    for edit in ordered:
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def document_edit(uri: str, version: int, text: str, edits: Sequence[TextEdit],
                  encoding: str = UTF16) -> types.WorkspaceEdit:
    """A workspace edit holding one versioned document edit: clients refuse it once the document moved on."""
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
        edits=lsp_text_edits(text, edits, encoding),
    )])


# --- code actions ----------------------------------------------------------------------------


def fix_action(title: str, uri: str, version: int, text: str, edits: Sequence[TextEdit], fix_id: str,
               diagnostics: list[types.Diagnostic], encoding: str = UTF16,
               preferred: bool = False) -> types.CodeAction:
    """A quick fix that applies edits to one document version's text, then runs sleepy.accept."""
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=diagnostics or None,
        is_preferred=preferred or None,
        edit=document_edit(uri, version, text, edits, encoding),
        command=types.Command(title="accept fix", command=ACCEPT, arguments=[fix_id]),
    )


def reject_action(fix_id: str, label: str, diagnostics: list[types.Diagnostic],
                  taking_back: bool = False) -> types.CodeAction:
    """A "this fix is wrong" action for one fix (by its label): no edit, only the command that records the
    rejection; taking_back: the fix was applied here, and the action takes it back."""
    title = f"sleepy: the fix applied here is wrong ({label})" if taking_back \
        else f"sleepy: this fix is wrong: {label}"
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=diagnostics or None,
        command=types.Command(title="reject fix", command=REJECT, arguments=[fix_id]),
    )


def pending_action(uri: str, version: int, revision: int, key: str | None,
                   diagnostics: list[types.Diagnostic], lines: tuple[int, int] | None = None) -> types.CodeAction:
    """A placeholder while fixes are computed; codeAction/resolve fills in the edit.

    key: the error's slot; None while the check that finds the errors is still running, and then
    `lines` (first, last; 0-based) says where the fix is wanted.
    """
    data: dict[str, Any] = {"uri": uri, "version": version, "revision": revision, "key": key}
    if lines is not None:
        data["lines"] = list(lines)
    return types.CodeAction(
        title="sleepy: fixing…",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=diagnostics or None,
        data=data,
    )


def fix_label(title: str, provider: str) -> str:
    """What a fix does and who made it, with no verification mark: "rustc: consider ..."."""
    title = title.strip() or "apply fix"
    # Engine titles already name their maker (rustc, memory, or the model backend); others get the provider.
    if not title.lower().startswith((provider.lower(), *BACKENDS)):
        title = f"{provider}: {title}"
    return title


def verified_title(title: str, provider: str, verified: bool, risks: Sequence[str] = (), tests: str = "") -> str:
    """The title of a fix: what it does, who made it, what makes it risky, and what checking found.

    Args:
        title: what the fix does, in its provider's words.
        provider: who made it.
        verified: whether it compiles.
        risks: why it is risky (a panic it adds, code it drops), each a short phrase.
        tests: what the project's tests said ("tests pass (12)"), if they ran.
    """
    title = fix_label(title, provider)
    if risks:
        title += f" ({'; '.join(risks)})"
    if not verified:
        return f"{title} (not verified)"
    return f"{title} (compiles ✓{', ' + tests if tests else ''})"
