"""Shared pieces of the language-server tests: a koan crate on disk and a pytest-lsp client session.

The server runs as a real subprocess (the `sleepy-lsp` console script) talking
LSP over stdio, with its fix memory and cargo cache inside the test's tmp_path.
Waits poll the server with a generous deadline instead of sleeping, so the
tests hold on a loaded two-core machine.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Union

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

from sleepy_lsp.benchmark.judge import write_crate
from sleepy_lsp.benchmark.koans import load_koan

REPO = Path(__file__).resolve().parent.parent
KOANS = REPO / "koans"
# Generous: a cold `cargo check` of a koan plus verification on a busy two-core machine.
DEADLINE = 240.0


def server_command() -> list[str]:
    """The installed console script next to this Python, else the module."""
    script = Path(sys.executable).with_name("sleepy-lsp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sleepy_lsp.server"]


def koan_crate(root: Path, koan_id: str = "bc_004") -> Path:
    """A copy of a koan as a plain crate (its source and a manifest) under root; the source file's path."""
    return write_crate(load_koan(KOANS / koan_id), root / koan_id)


async def eventually(probe: Callable[[], Awaitable[Any]], what: str, deadline: float = DEADLINE,
                     every: float = 0.25) -> Any:
    """Call probe until it returns something truthy; fail with `what` after the deadline."""
    end = time.monotonic() + deadline
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {deadline:g} s waiting for {what}")
        await asyncio.sleep(every)


@dataclass
class Session:
    """A started server, the client talking to it, and what the server has said."""

    client: LanguageClient
    db: Path
    statuses: list[dict[str, Any]] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    initialized: types.InitializeResult | None = None

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.texts[uri] = path.read_text() if text is None else text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="rust", version=1, text=self.texts[uri])))
        return uri

    def change(self, uri: str, text: str, version: int | None = None) -> None:
        """Replace the whole text, as a client's full-document change."""
        self.versions[uri] = version if version is not None else self.versions[uri] + 1
        self.texts[uri] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))

    def save(self, uri: str) -> None:
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))

    async def actions(self, uri: str, line: int, character: int = 0,
                      diagnostics: list[types.Diagnostic] | None = None) -> list[types.CodeAction]:
        position = types.Position(line, character)
        result = await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(position, position),
            context=types.CodeActionContext(diagnostics=diagnostics or [])))
        return [a for a in result or [] if isinstance(a, types.CodeAction)]

    async def verified_actions(self, uri: str, line: int) -> list[types.CodeAction]:
        """Poll until the server offers a fix that compiles for the error on `line` (0-based)."""
        async def probe():
            return [a for a in await self.actions(uri, line) if "compiles" in a.title]
        return await eventually(probe, "a verified fix")

    async def idle(self, after: int = 0) -> dict[str, Any]:
        """Wait for the idle or error status that ends the first check reported after the first `after` statuses."""
        async def probe():
            seen = self.statuses[after:]
            start = next((i for i, s in enumerate(seen) if s["state"] == "checking"), None)
            if start is None:
                return None
            return next((s for s in seen[start:] if s["state"] in ("idle", "error")), None)
        return await eventually(probe, "the server to finish a check")

    async def command(self, name: str, *arguments: Any) -> Any:
        return await self.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=name, arguments=list(arguments)))


def make_client() -> LanguageClient:
    """pytest-lsp's client, reading code actions correctly.

    lsprotocol 2025.0.0 structures any code action that has a `command` field
    as a Command, losing its edit; a Command's `command` is a string, a
    CodeAction's an object, so that is what decides here.
    """
    client = make_test_lsp_client()

    def command_or_action(value: Any, _: type) -> types.Command | types.CodeAction:
        converter = client.protocol._converter
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    client.protocol._converter.register_structure_hook(Union[types.Command, types.CodeAction], command_or_action)
    return client


@asynccontextmanager
async def lsp_session(tmp_path: Path, settings: dict[str, Any] | None = None, args: tuple[str, ...] = (),
                      env: dict[str, str] | None = None, capabilities: str = "visual-studio-code",
                      encodings: list[str] | None = None) -> AsyncIterator[Session]:
    """Start `sleepy-lsp` with its fix memory at tmp_path/fix-memory.sqlite3 and initialise a session."""
    db = tmp_path / "fix-memory.sqlite3"
    server_env = {**os.environ, "SLEEPY_DB": str(db), "SLEEPY_CACHE_DIR": str(tmp_path / "cache"), **(env or {})}
    server_env.pop("SLEEPY_TELEMETRY", None)
    client = make_client()
    session = Session(client, db)

    @client.feature("sleepy/status")
    def status(params: Any) -> None:
        get = params.get if isinstance(params, dict) else partial(getattr, params)
        session.statuses.append({"state": get("state", None), "message": get("message", "")})

    log_file = tmp_path / "sleepy-lsp.log"
    await client.start_io(*server_command(), "--log-file", str(log_file), "--log-level", "DEBUG",
                          "--debounce", "0.1", *args, env=server_env)
    clean = False
    try:
        wanted = client_capabilities(capabilities)
        if encodings is not None:
            wanted.general = types.GeneralClientCapabilities(position_encodings=encodings)
        session.initialized = await client.initialize_session(types.InitializeParams(
            capabilities=wanted, root_uri=tmp_path.as_uri(), initialization_options=settings or {}))
        yield session
        await asyncio.wait_for(client.shutdown_session(), 60)
        clean = True
    finally:
        process = client._server
        if not clean and process is not None and process.returncode is None:
            process.kill()  # a failed test must not wait on a server that was never told to exit
        await client.stop()
