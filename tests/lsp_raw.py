"""A bare JSON-RPC client over the server's stdio, for messages no well-behaved client would send.

pytest-lsp only sends what lsprotocol can type; these tests need to send
anything (wrong types, missing fields, garbage) and see exactly what comes back.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from lsp_harness import server_command

from sleepy_lsp.server.wire import encode, read_message


class RawServer:
    """`sleepy-lsp` in a subprocess, spoken to in raw bytes."""

    def __init__(self, tmp_path: Path, env: dict[str, str] | None = None, args: tuple[str, ...] = (),
                 log_file: bool = True, answer_requests: bool = True) -> None:
        """log_file: the server logs to tmp_path/sleepy-lsp.log; else as an editor starts it, and its stderr
        is kept in tmp_path/sleepy-lsp.stderr. answer_requests: answer the server's own requests (progress
        tokens); else they are kept in `requests`, unanswered."""
        self.answer_requests = answer_requests
        self.requests: list[dict[str, Any]] = []
        server_env = {**os.environ, "SLEEPY_DB": str(tmp_path / "fix-memory.sqlite3"),
                      "SLEEPY_CACHE_DIR": str(tmp_path / "cache"), **(env or {})}
        server_env.pop("SLEEPY_TELEMETRY", None)
        self.log_file = tmp_path / "sleepy-lsp.log"
        self.stderr_file = tmp_path / "sleepy-lsp.stderr"
        logging = ["--log-file", str(self.log_file), "--log-level", "DEBUG"] if log_file else []
        with open(self.stderr_file, "wb") as stderr:
            self.process = subprocess.Popen(
                [*server_command(), *logging, "--debounce", "0.1", *args],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=server_env)
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self._ids = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while (message := read_message(stream)) is not None:
            if "id" in message and ("result" in message or "error" in message):
                self.inbox.put(message)
            elif "id" in message:  # a request from the server (progress tokens, ...): answer it
                self.requests.append(message)
                if self.answer_requests:
                    self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            else:
                self.notifications.append(message)

    def send_bytes(self, data: bytes) -> None:
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: Any) -> None:
        self.send_bytes(encode(message))

    def request(self, method: str, params: Any = None, **extra: Any) -> Any:
        """Send a request and return its id (the message gets "jsonrpc": "2.0" unless extra says otherwise)."""
        self._ids += 1
        message = {"jsonrpc": "2.0", "id": self._ids, "method": method, **extra}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self._ids

    def response(self, request_id: Any, timeout: float = 30.0) -> dict[str, Any]:
        """The response to a request, or AssertionError when none comes in time."""
        deadline = time.monotonic() + timeout
        kept = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no response to request {request_id!r} in {timeout:g} s")
                message = self.inbox.get(timeout=left)
                if message.get("id") == request_id:
                    return message
                kept.append(message)
        except queue.Empty:
            raise AssertionError(f"no response to request {request_id!r} in {timeout:g} s") from None
        finally:
            for message in kept:
                self.inbox.put(message)

    def call(self, method: str, params: Any = None, timeout: float = 30.0) -> dict[str, Any]:
        return self.response(self.request(method, params), timeout)

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, **({} if params is None else {"params": params})})

    def initialize(self, root: Path, settings: dict[str, Any] | None = None,
                   capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
        result = self.call("initialize", {"processId": None, "rootUri": root.as_uri(),
                                          "capabilities": capabilities or {}, "initializationOptions": settings or {}})
        self.notify("initialized", {})
        return result

    def open(self, path: Path) -> str:
        """didOpen of a Rust file as it is on disk; its URI."""
        self.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "rust",
                                                              "version": 1, "text": path.read_text()}})
        return path.as_uri()

    def verified_actions(self, uri: str, line: int, deadline: float = 240, pause: float = 0.3) -> list[dict[str, Any]]:
        """Poll the code actions on `line` (0-based) until one is a fix that compiles; AssertionError past the deadline."""
        until = time.monotonic() + deadline
        position = {"line": line, "character": 0}
        while True:
            answer = self.call("textDocument/codeAction", {"textDocument": {"uri": uri}, "context": {"diagnostics": []},
                                                           "range": {"start": position, "end": position}})
            verified = [a for a in answer.get("result") or [] if "compiles" in a["title"]]
            if verified:
                return verified
            assert time.monotonic() < until, answer
            time.sleep(pause)

    def close(self) -> None:
        try:
            self.call("shutdown", timeout=10)
            self.notify("exit")
            self.process.wait(timeout=10)
        except Exception:
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
