"""The server's own diagnostics for the client, published only when the publishDiagnostics setting asks
(rust-analyzer usually shows rustc's already), and cleared from files that became clean."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from lsprotocol import types
from pygls import uris

from ..rust.crates import CrateLocation
from ..rust.diagnostics import Diagnostic
from . import lsp_convert as convert
from .documents import DocumentSnapshot, TrackedDocument


class Publisher:
    """What was published for each crate, so that a file no longer in error is cleared.

    Args:
        send: sends one textDocument/publishDiagnostics notification.
    """

    def __init__(self, send: Callable[[types.PublishDiagnosticsParams], None]) -> None:
        self.send = send
        self.published: dict[Path, set[str]] = {}

    def publish(self, crate: CrateLocation, grouped: dict[str, list[Diagnostic]],
                snapshot: dict[str, DocumentSnapshot], documents: dict[str, TrackedDocument], enabled: bool,
                encoding: str) -> None:
        """Publish a crate's latest diagnostics (file path -> its diagnostics), clearing files now clean."""
        previous = self.published.get(crate.root, set())
        if not enabled and not previous:
            return
        now: set[str] = set()
        by_path = {str(d.path): d for d in documents.values()}
        for path, diagnostics in grouped.items() if enabled else ():
            doc = by_path.get(path)
            seen = snapshot.get(doc.uri) if doc else None
            text = seen.disk_text if seen else None
            if text is None:
                try:
                    text = Path(path).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
            uri = doc.uri if doc else uris.from_fs_path(path)
            index = convert.LineIndex.of(text)
            items = [convert.to_lsp_diagnostic(d, text, uri, crate.workspace_root, encoding, index)
                     for d in diagnostics]
            version = seen.version if seen and seen.matches_disk else None
            self.send(types.PublishDiagnosticsParams(uri, items, version))
            now.add(uri)
        for uri in previous - now:
            self.send(types.PublishDiagnosticsParams(uri, []))
        self.published[crate.root] = now
