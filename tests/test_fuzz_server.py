"""1,200 generated malformed or hostile messages against a live server, then a real fix.

Each message is drawn (seeded, so a failure replays) from what a broken or
hostile client might send: requests and notifications with params of the wrong
shape, absurd positions, unknown methods, odd ids, missing "jsonrpc", bodies
that are not JSON or not objects. Every request with a usable id must be
answered; afterwards the server must still offer the verified fix of a real
crate. The transport itself (Content-Length) stays honest: a lying length
desynchronises any LSP stream.
"""

from __future__ import annotations

import json
import random
import time

from lsp_harness import koan_crate
from lsp_raw import RawServer

from sleepy_lsp.server.lsp_convert import ACCEPT, REJECT, REJECT_LAST

SEED = 20261130
MESSAGES = 1200
ERROR_LINE = 13  # bc_004's E0596, 0-based
METHODS = ["textDocument/codeAction", "codeAction/resolve", "workspace/executeCommand", "textDocument/hover",
           "textDocument/completion", "workspace/symbol", "$/setTrace", "no/such/method", ""]
NOTIFICATIONS = ["textDocument/didOpen", "textDocument/didChange", "textDocument/didSave", "textDocument/didClose",
                 "workspace/didChangeConfiguration", "$/cancelRequest", "$/progress", "initialized", "unknown/note"]


def value(rng: random.Random, depth: int = 0):
    """Any JSON value, biased towards the shapes LSP params have, and their edge cases."""
    choices = [None, True, -1, 0, 2**63, -(2**31), 1.5, "", "x" * rng.randint(1, 3000), "file:///", "file:///no/such.rs",
               "untitled:Untitled-1", "\u0000\ud7ff\U0001d11e", [], {}]
    if depth < 3:
        choices += [[value(rng, depth + 1) for _ in range(rng.randint(1, 4))],
                    {k: value(rng, depth + 1) for k in rng.sample(["uri", "range", "start", "end", "line", "character",
                                                                  "textDocument", "context", "diagnostics", "data",
                                                                  "version", "text", "settings", "command",
                                                                  "arguments", "id", "only"], rng.randint(1, 4))}]
    return rng.choice(choices)


def position(rng: random.Random):
    return {"line": rng.choice([0, 13, -1, 2**31, 2**63, "3"]), "character": rng.choice([0, 5, -7, 2**53, None])}


def params_for(rng: random.Random, method: str, uri: str):
    shaped = {
        "textDocument/codeAction": {"textDocument": {"uri": uri}, "range": {"start": position(rng), "end": position(rng)},
                                    "context": {"diagnostics": rng.choice([[], [value(rng)]]),
                                                "only": rng.choice([None, ["quickfix"], [7]])}},
        "codeAction/resolve": {"title": "sleepy: fixing…", "data": value(rng)},
        "workspace/executeCommand": {"command": rng.choice([ACCEPT, REJECT, REJECT_LAST, "rm -rf /"]),
                                     "arguments": rng.choice([[], [value(rng)], ["a-fix-id"], None])},
        "textDocument/didOpen": {"textDocument": {"uri": uri, "languageId": "rust", "version": value(rng),
                                                  "text": rng.choice(["fn main() {}", "\udcff", "x" * 50000])}},
        "textDocument/didChange": {"textDocument": {"uri": uri, "version": rng.choice([1, -5, 2**40, None])},
                                   "contentChanges": rng.choice([[{"text": "fn x() {"}], [value(rng)], "nope"])},
        "textDocument/didSave": {"textDocument": {"uri": uri}},
        "textDocument/didClose": {"textDocument": {"uri": uri}},
        "workspace/didChangeConfiguration": {"settings": rng.choice([value(rng), {"cargo": {"path": "/bin/false"}},
                                                                     {"maxCandidates": -3}, "nonsense"])},
    }
    return shaped.get(method, value(rng)) if rng.random() < 0.6 else value(rng)


def test_a_thousand_hostile_messages_then_a_real_fix(tmp_path):
    rng = random.Random(SEED)
    source = koan_crate(tmp_path)
    server = RawServer(tmp_path)
    sent = {"requests": 0, "notifications": 0, "not JSON-RPC": 0}
    expected = []
    started = time.monotonic()
    try:
        server.initialize(tmp_path)
        uris = ["file:///nowhere/a.rs", str(tmp_path), "file://" + "x" * 300, "https://example.com/a.rs",
                (tmp_path / "loose.rs").as_uri(), "file:///dev/zero"]
        for i in range(MESSAGES):
            kind = rng.random()
            uri = rng.choice(uris)
            if kind < 0.45:
                method = rng.choice(METHODS)
                message_id = rng.choice([f"r{i}", i + 1000, i + 1000, None, 1.5, {"x": 1}])
                message = {"jsonrpc": rng.choice(["2.0"] * 8 + ["1.0", None]), "id": message_id, "method": method,
                           "params": params_for(rng, method, uri)}
                if message["jsonrpc"] is None:
                    del message["jsonrpc"]
                server.send(message)
                sent["requests"] += 1
                if isinstance(message_id, (int, str)):
                    expected.append(message_id)
            elif kind < 0.9:
                method = rng.choice(NOTIFICATIONS)
                server.send({"jsonrpc": "2.0", "method": method, "params": params_for(rng, method, uri)})
                sent["notifications"] += 1
            else:
                body = rng.choice([b"not json at all", b"[1, 2, 3]", b"42", b'"a string"', b"{\"unterminated\": ",
                                   json.dumps({"id": 5}).encode(), b"\xff\xfe\x00"])
                server.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                sent["not JSON-RPC"] += 1
        unanswered = []
        for message_id in expected:
            try:
                server.response(message_id, timeout=60)
            except AssertionError:
                unanswered.append(message_id)
        assert unanswered == [], f"{len(unanswered)} of {len(expected)} requests got no answer: {unanswered[:10]}"
        assert server.process.poll() is None, "the server died"

        # Still the server it was: a real crate is checked and its fix offered.
        server.notify("workspace/didChangeConfiguration", {"settings": {"cargo": {"path": "cargo"}, "maxCandidates": 5}})
        server.verified_actions(server.open(source), ERROR_LINE, pause=0.5)
    finally:
        server.close()
    # The counts the README quotes, fixed by the seed.
    assert sent == {"requests": 537, "notifications": 553, "not JSON-RPC": 110}, sent
    assert len(expected) == 271 and time.monotonic() - started < 300
