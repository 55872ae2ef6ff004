"""The LSP base protocol on a byte stream: JSON-RPC messages framed by a Content-Length header.

pygls frames the server's side; this is for the clients that drive `sleepy-lsp` over its stdio
without an LSP library (the demo, the recurring-fix benchmark, tests that send raw bytes).
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO


def encode(message: Any) -> bytes:
    """One message as it travels: its header, a blank line, and the JSON body."""
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream: BinaryIO) -> Any | None:
    """The next message from the stream, or None once it has ended."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        if line in (b"\r\n", b"\n"):
            break
    return json.loads(stream.read(length))
