"""The main job as a user meets it, in a couple of minutes: `make demo`.

A small cargo crate is opened through the language server, as an editor would
open it: the server runs `cargo check`, finds an error, offers the fixes the
compiler accepted, and the demo (playing the editor) applies the verified one
and tells the server it was accepted. `sleepy review` then shows the outcome.
Next a fix written by hand is taught with `sleepy teach`, and when the same
kind of error turns up again in new code, the server offers it back as a
pattern fix from the fix memory.

Everything lives in the folder given (default .demo/): the crate, the fix
memory, the server's cache and log; the user's own fix memory is never touched.

Usage: python examples/demo.py [--dir .demo] [--timeout 300]
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

from sleepy_lsp.server.wire import encode, read_message

BIN = Path(sys.executable).parent

MANIFEST = '[package]\nname = "shelf"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'

# A small library for a book shelf. `restock` forgets `mut` (E0596); rustc's suggestion fixes it.
LIB = textwrap.dedent("""\
    //! A shelf of books: what is in stock, and what it is worth.

    pub mod money;
    pub mod report;

    #[derive(Debug, Clone, PartialEq)]
    pub struct Book {
        pub title: String,
        pub price_cents: u64,
        pub copies: u32,
    }

    pub struct Shelf {
        books: Vec<Book>,
    }

    impl Shelf {
        pub fn new() -> Self {
            Shelf { books: Vec::new() }
        }

        pub fn add(&mut self, title: &str, price_cents: u64, copies: u32) {
            self.books.push(Book { title: title.to_string(), price_cents, copies });
        }

        pub fn titles(&self) -> Vec<&str> {
            self.books.iter().map(|b| b.title.as_str()).collect()
        }

        pub fn books(&self) -> &[Book] {
            &self.books
        }

        pub fn value_cents(&self) -> u64 {
            self.books.iter().map(|b| b.price_cents * u64::from(b.copies)).sum()
        }

        pub fn restock_cents(&self) -> u64 {
            self.books.iter().filter(|b| b.copies == 0).map(|b| b.price_cents).sum()
        }
    }

    pub fn restock(titles: &[&str]) -> Shelf {
        let shelf = Shelf::new();
        for title in titles {
            shelf.add(title, 1500, 1);
        }
        shelf
    }
    """)

# Money is kept in a newtype whose field is private: other modules make one with `Cents::new`.
MONEY = textwrap.dedent("""\
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub struct Cents(u64);

    impl Cents {
        pub fn new(cents: u64) -> Self {
            Cents(cents)
        }

        pub fn dollars(self) -> f64 {
            self.0 as f64 / 100.0
        }
    }
    """)

# The report module: `summary` puts a plain u64 where a `Cents` is wanted (E0308). rustc cannot
# know how this project makes one; the user writes the fix by hand once, and teaches it.
REPORT = textwrap.dedent("""\
    use crate::money::Cents;
    use crate::Shelf;

    pub struct Summary {
        pub titles: usize,
        pub value: Cents,
    }

    pub fn summary(shelf: &Shelf) -> Summary {
        let value: Cents = shelf.value_cents();
        Summary { titles: shelf.titles().len(), value }
    }
    """)
REPORT_FIXED = REPORT.replace("let value: Cents = shelf.value_cents();",
                              "let value: Cents = Cents::new(shelf.value_cents());")

# Later the user writes more code, with the same kind of error in another function.
REPORT_LATER = REPORT_FIXED + textwrap.dedent("""\

    pub fn restock_cost(shelf: &Shelf) -> f64 {
        let cost: Cents = shelf.restock_cents();
        cost.dollars()
    }
    """)


def say(text: str = "") -> None:
    print(textwrap.fill(text, 100, subsequent_indent="  ") if text else "", flush=True)


class Server:
    """`sleepy-lsp` in a subprocess and a plain JSON-RPC client that plays the editor."""

    def __init__(self, workdir: Path, root: Path) -> None:
        env = {**os.environ, "SLEEPY_DB": str(workdir / "memory.db"), "SLEEPY_CACHE_DIR": str(workdir / "cache")}
        env.pop("SLEEPY_TELEMETRY", None)
        command = [str(BIN / "sleepy-lsp")] if (BIN / "sleepy-lsp").exists() else [sys.executable, "-m",
                                                                                   "sleepy_lsp.server"]
        self.process = subprocess.Popen([*command, "--log-file", str(workdir / "sleepy-lsp.log")],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env=env)
        self.responses: queue.Queue[dict[str, Any]] = queue.Queue()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.ids = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.call("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {},
                                 # no rust-analyzer here, so the server publishes its own diagnostics
                                 "initializationOptions": {"publishDiagnostics": True}})
        self.notify("initialized", {})
        self.versions: dict[str, int] = {}

    def _read(self) -> None:
        stream = self.process.stdout
        while (message := read_message(stream)) is not None:
            if "id" in message and ("result" in message or "error" in message):
                self.responses.put(message)
            elif "id" in message:  # a request from the server (a progress token): answer it
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif message.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]

    def _send(self, message: dict[str, Any]) -> None:
        self.process.stdin.write(encode(message))
        self.process.stdin.flush()

    def call(self, method: str, params: Any, timeout: float = 60) -> Any:
        self.ids += 1
        self._send({"jsonrpc": "2.0", "id": self.ids, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self.responses.get(timeout=max(0.1, deadline - time.monotonic()))
            if message["id"] == self.ids:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error'].get('message')}")
                return message["result"]

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "rust", "version": 1,
                                                               "text": path.read_text()}})
        return uri

    def change_and_save(self, path: Path, text: str) -> None:
        uri = path.as_uri()
        path.write_text(text)
        self.versions[uri] += 1
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                                "contentChanges": [{"text": text}]})
        self.notify("textDocument/didSave", {"textDocument": {"uri": uri}})

    def errors(self, uri: str, timeout: float, want_none: bool = False) -> list[dict[str, Any]]:
        """The errors the server published for uri (waits for some, or with want_none for none)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [d for d in self.diagnostics.get(uri, []) if d.get("severity") == 1]
            if (not found) == want_none and uri in self.diagnostics:
                return found
            time.sleep(0.2)
        raise SystemExit(f"The server published no {'clean result' if want_none else 'error'} for {uri} "
                         f"in {timeout:g} s; its log: {self.process.args[-1]}")

    def verified_fixes(self, uri: str, line: int, timeout: float) -> list[dict[str, Any]]:
        """The code actions for the error on `line` (0-based) once a fix that compiles is among them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            position = {"line": line, "character": 0}
            actions = self.call("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": {"start": position, "end": position},
                "context": {"diagnostics": []}}) or []
            if any("compiles" in a.get("title", "") for a in actions):
                return actions
            time.sleep(0.3)
        raise SystemExit(f"No verified fix was offered for line {line + 1} of {uri} in {timeout:g} s.")

    def close(self) -> None:
        try:
            self.call("shutdown", None, timeout=20)
            self.notify("exit", None)
            self.process.wait(timeout=20)
        except Exception:
            self.process.kill()
            self.process.wait()


def apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP text edits (the crate is ASCII, so UTF-16 positions are character positions)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: dict[str, int]) -> int:
        return starts[min(position["line"], len(lines))] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[:offset(edit["range"]["start"])] + edit["newText"] + text[offset(edit["range"]["end"]):]
    return text


def first_line(diagnostic: dict[str, Any]) -> str:
    return f"error[{diagnostic.get('code', '')}] on line {diagnostic['range']['start']['line'] + 1}: " \
           f"{diagnostic['message'].splitlines()[0]}"


def take(server: Server, path: Path, action: dict[str, Any]) -> None:
    """Do what an editor does when the user picks a quick fix: apply its edit, run its command, save."""
    (change,) = action["edit"]["documentChanges"]
    fixed = apply(path.read_text(), change["edits"])
    server.change_and_save(path, fixed)
    server.call("workspace/executeCommand", {"command": action["command"]["command"],
                                             "arguments": action["command"]["arguments"]})


def review(workdir: Path) -> None:
    run = subprocess.run([str(BIN / "sleepy"), "review", "--db", str(workdir / "memory.db")], text=True,
                         capture_output=True, env={**os.environ, "COLUMNS": "100"})
    if run.returncode:
        raise SystemExit(run.stderr.strip())
    wanted = ("Offers", "Offers by provider", "Offers by what vouched for them", "Slowest fixes")
    keep, printing = [], False
    for line in run.stdout.splitlines():
        if not line.strip():
            printing = False
        elif line.strip() in wanted:
            printing = True
            keep.append("")
        if printing:
            keep.append("    " + line)
    print("\n".join(keep[1:]), flush=True)


def fix_session(workdir: Path, crate: Path, path: Path, timeout: float, expect: str) -> dict[str, Any]:
    """Open the file, show the error and the fixes offered, take the first fix whose title starts with
    `expect`, and wait for the error to go; returns the action taken."""
    rel = path.relative_to(crate)
    server = Server(workdir, crate)
    try:
        started = time.monotonic()
        uri = server.open(path)
        say(f"The editor opens {rel}; the server runs cargo check on the crate in a shadow copy.")
        (error, *_) = server.errors(uri, timeout)
        say(f"It finds {first_line(error)}")
        line = error["range"]["start"]["line"]
        actions = server.verified_fixes(uri, line, timeout)
        say(f"{time.monotonic() - started:.1f} s after opening, the quick-fix menu on that line holds:")
        for action in actions:
            say(f"  - {action['title']}")
        chosen = next((a for a in actions if a.get("edit") and a["title"].startswith(expect)
                       and "compiles" in a["title"]), None)
        if chosen is None:
            raise SystemExit(f"No verified fix starting with {expect!r} was offered.")
        before = path.read_text().splitlines()
        take(server, path, chosen)
        after = path.read_text().splitlines()
        changed = [(b, a) for b, a in zip(before, after) if b != a] or [("", "\n".join(after[line:line + 1]))]
        say(f"The user picks \"{chosen['title']}\"; the editor applies it and saves:")
        for old, new in changed:
            say(f"  - {old.strip()}")
            say(f"  + {new.strip()}")
        server.errors(uri, timeout, want_none=True)
        say("The server checks the saved file: no errors left, and the fix is recorded as accepted.")
        return chosen
    finally:
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(".demo"), help="where the demo's files go (emptied first)")
    parser.add_argument("--timeout", type=float, default=300, help="the longest wait for one step, in seconds")
    args = parser.parse_args()
    if shutil.which("cargo") is None:
        raise SystemExit("cargo is not on PATH: install Rust with rustup (https://rustup.rs) and run the demo again.")
    workdir = args.dir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    crate = workdir / "shelf"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(MANIFEST)
    lib, report = crate / "src" / "lib.rs", crate / "src" / "report.rs"
    lib.write_text(LIB)
    report.write_text(REPORT_FIXED)
    (crate / "src" / "money.rs").write_text(MONEY)
    started = time.monotonic()

    say(f"1. A fix offered, checked and accepted. The crate {crate} (a small book-shelf library) has a bug "
        "in src/lib.rs: `restock` changes a shelf it did not declare mutable.")
    fix_session(workdir, crate, lib, args.timeout, "rustc")
    say()
    say("2. What the fix memory now holds (sleepy review):")
    review(workdir)
    say()

    say("3. A fix taught by hand. In src/report.rs the user writes `let value: Cents = shelf.value_cents();`, "
        "a plain u64 where the project's `Cents` is wanted (E0308). rustc cannot know that this project makes "
        "one with `Cents::new` (its field is private), so the user fixes it by hand. The editor plugins record "
        "such fixes by themselves; here it is taught with sleepy teach:")
    broken = workdir / "report-before.rs"
    broken.write_text(REPORT)
    say(f"  $ sleepy teach {broken.name} src/report.rs --crate {crate.name} --db memory.db")
    taught = subprocess.run([str(BIN / "sleepy"), "teach", str(broken), str(report), "--crate", str(crate),
                             "--db", str(workdir / "memory.db")], text=True, capture_output=True,
                            env={**os.environ, "SLEEPY_CACHE_DIR": str(workdir / "cache"), "COLUMNS": "100"})
    if taught.returncode:
        raise SystemExit(taught.stderr.strip())
    for line in taught.stdout.splitlines():
        say(f"    {line}")
    say()

    say("4. The taught fix reused. Later the user writes `restock_cost`, with the same kind of error in another "
        "function, and opens the file again:")
    report.write_text(REPORT_LATER)
    fix_session(workdir, crate, report, args.timeout, "memory")
    say("The fix came from the fix memory: the hand fix became a pattern (the names in it are holes), "
        "applied where the new error is and checked by the compiler before it was offered.")
    say()
    say("5. The fix memory at the end (sleepy review):")
    review(workdir)
    say()
    check = subprocess.run(["cargo", "check", "--offline", "--quiet"], cwd=crate, capture_output=True, text=True,
                           env={**os.environ, "CARGO_TARGET_DIR": str(workdir / "target")})
    say(f"cargo check of {crate.name}: {'clean' if check.returncode == 0 else 'FAILED: ' + check.stderr[-500:]}. "
        f"The demo took {time.monotonic() - started:.0f} s; its files are in {workdir}.")
    return check.returncode


if __name__ == "__main__":
    sys.exit(main())
