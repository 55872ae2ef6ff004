"""A stand-in for sleepy-lsp that speaks just enough LSP to test the Neovim plugin.

It answers initialize and shutdown, reports `sleepy/status` when a document
opens, answers `workspace/executeCommand`, and appends every message it gets
(one JSON object a line) to the file named by its first argument, so the test
can check what the plugin sent.
"""

from __future__ import annotations

import json
import sys


def read_message(stream) -> dict | None:
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(stream.read(length)) if length is not None else None


def send(payload: dict) -> None:
    body = json.dumps(payload).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()


def main() -> None:
    record = open(sys.argv[1], "a", encoding="utf-8")
    while (message := read_message(sys.stdin.buffer)) is not None:
        record.write(json.dumps(message) + "\n")
        record.flush()
        method, ident = message.get("method"), message.get("id")
        if method == "initialize":
            send({"jsonrpc": "2.0", "id": ident, "result": {"capabilities": {
                "textDocumentSync": 1,
                "executeCommandProvider": {"commands": ["sleepy.accept", "sleepy.reject", "sleepy.rejectLast"]},
            }}})
        elif method == "textDocument/didOpen":
            send({"jsonrpc": "2.0", "method": "sleepy/status", "params": {"state": "checking", "message": "cargo check"}})
            send({"jsonrpc": "2.0", "method": "sleepy/status", "params": {"state": "idle", "message": ""}})
        elif method == "workspace/executeCommand":
            send({"jsonrpc": "2.0", "id": ident, "result": "Rejected fix 7."})
        elif method == "shutdown":
            send({"jsonrpc": "2.0", "id": ident, "result": None})
        elif method == "exit":
            return
        elif ident is not None and method is not None:
            send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": f"no {method}"}})


if __name__ == "__main__":
    main()
