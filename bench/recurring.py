"""The recurring-fix benchmark (issue #14): does sleepy offer the user's own idiom once it has seen them use it?

    python bench/recurring.py [--projects a,b] [--k 0,1,2] [--strategies full,rustc] [--no-teach]
                              [--night] [--out bench/results/recurring]

For each project of the corpus (bench/recurring/, see its README) a simulated
developer meets the recurring error again and again, in a temporary copy of the
crate, with the real `sleepy-lsp` server as a subprocess spoken to over stdio:

1. Teaching.  The developer fixes the first k occurrences by hand in the editor:
   didOpen (or didChange + didSave) of lib.rs with occurrence i broken (every other
   occurrence as the project has it), the server checks it and publishes the error,
   the developer reads it for a few seconds, then writes the reference fix
   (didChange + didSave).  The server's manual-fix capture (hand_fixes.py) records
   it into that session's fix memory.  The memory after one fix is kept as the k=1
   memory, after two as the k=2 memory.  Separately the same two fixes are taught
   with `sleepy teach BEFORE AFTER --crate DIR --db PATH` (the row "k=2 via sleepy teach").
2. Scoring.  A fresh server (the memory is read when its engine is built, so a
   taught memory serves from the next session on) with a copy of that memory and a
   strategy opens lib.rs with one later occurrence broken at a time (occurrences
   3..n for every row, so the rows are comparable), waits until the check and the
   fixing are done (status idle: every offered fix checked), asks for the code
   actions at the published error, and takes the FIRST one.  Its edit is applied and
   judged as bench/recurring/verify.py does: lib.rs with check.rs appended must
   build and pass `cargo test`.  Also recorded: whether that first fix is the
   project's idiom (the whole file equals the project's lib.rs after whitespace is
   removed).  Scoring accepts nothing, so it teaches nothing: every occurrence is
   scored against the same taught memory.

Strategies: `full` with no model backend is the day side (rustc's suggestions, the
fix patterns learned from the memory, and the user's habit ranking their idiom
first; `memory` alone has no rustc provider); `rustc` is rustc's suggestions only
(it reads no memory, so it does not change with k).

`--night` trains one LoRA night (`sleepy-train run --method lora`, SmolLM2-135M on
CPU) on the k=2 fix memories of the projects run, and scores the `model` strategy
with the trained adapter against the untrained base on the same occurrences.  It also asks the model directly, base and
trained, for its greedy answer to each of those errors and reports what it wrote:
an answer in the edit format, one that uses the names the idiom adds (`Meters::new`),
one that is the idiom; the code actions count only fixes that compile.

The projects' own crates have no tests (check.rs is hidden), so the server's
`tests.enabled` setting is off: a test run would only report "no tests".

Writes OUT.md (tables) and OUT.json (every occurrence's first fix and verdict).
Nothing is written to bench/recurring/.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE / "recurring"))
from recurring_data import Project, broken_text, function_span, load_projects  # noqa: E402
from verify import CARGO_TIMEOUT_S, ScratchCrate, TestRun  # noqa: E402

from sleepy_lsp.model.adapters import champion_adapters  # noqa: E402
from sleepy_lsp.model.answers import apply_line_edits, parse_answer  # noqa: E402
from sleepy_lsp.model.backends import LlamaCppBackend  # noqa: E402
from sleepy_lsp.model.prompt import prompt_messages  # noqa: E402
from sleepy_lsp.model.records import ErrorCase  # noqa: E402
from sleepy_lsp.rust.cargo import run_cargo  # noqa: E402
from sleepy_lsp.server.wire import encode, read_message  # noqa: E402

SETTLE_S = 3.6  # a little more than hand_fixes.SETTLE_SECONDS: the developer reads the error before fixing it
DEADLINE_S = 300.0  # one check plus fixing on a busy two-core machine
SCORE_FROM = 2  # 0-based: occurrences 3..n are scored in every row


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def bin_path(name: str) -> str:
    script = Path(sys.executable).with_name(name)
    return str(script) if script.exists() else name


# --- a small synchronous LSP client over the server's stdio ---------------------------------------


class Server:
    """`sleepy-lsp` in a subprocess, with what it has said: statuses, diagnostics, log messages."""

    def __init__(self, workdir: Path, db: Path, cache: Path, settings: dict[str, Any], env: dict[str, str] | None = None):
        server_env = {**os.environ, "SLEEPY_DB": str(db), "SLEEPY_CACHE_DIR": str(cache), **(env or {})}
        server_env.pop("SLEEPY_TELEMETRY", None)
        self.log_file = workdir / f"sleepy-lsp-{int(time.time() * 1000)}.log"
        self.process = subprocess.Popen(
            [bin_path("sleepy-lsp"), "--log-file", str(self.log_file), "--log-level", "INFO", "--debounce", "0.1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=server_env)
        self.responses: queue.Queue[dict[str, Any]] = queue.Queue()
        self.lock = threading.Lock()
        self.statuses: list[dict[str, Any]] = []
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.messages: list[str] = []
        self._ids = 0
        self.versions: dict[str, int] = {}
        threading.Thread(target=self._read, daemon=True).start()
        self.call("initialize", {
            "processId": os.getpid(), "rootUri": workdir.as_uri(), "initializationOptions": settings,
            "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True},
                                              "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {
                                                  "valueSet": ["quickfix"]}}}}}})
        self.notify("initialized", {})

    def _read(self) -> None:
        stream = self.process.stdout
        while (message := read_message(stream)) is not None:
            method = message.get("method")
            if "id" in message and method is None:
                self.responses.put(message)
            elif "id" in message:  # a request from the server (progress tokens): answer it
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif method == "sleepy/status":
                with self.lock:
                    self.statuses.append(message["params"])
            elif method == "textDocument/publishDiagnostics":
                with self.lock:
                    self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
            elif method == "window/logMessage":
                self.messages.append(message["params"]["message"])

    def _send(self, message: dict[str, Any]) -> None:
        self.process.stdin.write(encode(message))
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def call(self, method: str, params: Any, timeout: float = 60.0) -> Any:
        self._ids += 1
        wanted = self._ids
        self._send({"jsonrpc": "2.0", "id": wanted, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self.responses.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no answer to {method} in {timeout:g} s") from None
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")

    # documents

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "rust", "version": 1,
                                                               "text": text}})
        return uri

    def change_and_save(self, uri: str, path: Path, text: str) -> None:
        """The editor replaces the text and saves it (the file on disk first, as an editor's save does)."""
        self.versions[uri] += 1
        path.write_text(text, encoding="utf-8")
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                               "contentChanges": [{"text": text}]})
        self.notify("textDocument/didSave", {"textDocument": {"uri": uri}})

    def close_document(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def mark(self) -> int:
        with self.lock:
            return len(self.statuses)

    def settled(self, after: int, deadline: float = DEADLINE_S) -> dict[str, Any]:
        """The idle (or error) status that ends the first check started after status number `after`, and
        the fixing that follows it: every fix offered then has been checked."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            with self.lock:
                seen = self.statuses[after:]
            start = next((i for i, s in enumerate(seen) if s["state"] == "checking"), None)
            if start is not None:
                done = next((s for s in seen[start:] if s["state"] in ("idle", "error")), None)
                if done is not None:
                    return done
            if self.process.poll() is not None:
                raise RuntimeError(f"sleepy-lsp exited ({self.process.returncode}); see {self.log_file}")
            time.sleep(0.1)
        raise TimeoutError(f"the server did not finish a check and its fixes in {deadline:g} s")

    def code_actions(self, uri: str, diagnostic: dict[str, Any]) -> list[dict[str, Any]]:
        result = self.call("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}})
        return [a for a in result or [] if isinstance(a.get("command"), (dict, type(None)))]

    def close(self) -> None:
        try:
            self.call("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.process.wait(timeout=30)
        except Exception:
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


# --- text edits in LSP positions (UTF-16) ---------------------------------------------------------


def offset_of(text: str, line: int, character: int) -> int:
    """The character offset of an LSP position (UTF-16 columns) in text."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    if line >= len(starts):
        return len(text)
    i, units = starts[line], 0
    while units < character and i < len(text) and text[i] not in "\r\n":
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def apply_action(text: str, uri: str, action: dict[str, Any]) -> str | None:
    """The document's text with the action's workspace edit applied; None when it edits nothing here."""
    edit = action.get("edit") or {}
    edits = list((edit.get("changes") or {}).get(uri, []))
    for change in edit.get("documentChanges") or []:
        if change.get("textDocument", {}).get("uri") == uri:
            edits += change.get("edits", [])
    if not edits:
        return None
    spans = []
    for e in edits:
        r = e["range"]
        spans.append((offset_of(text, r["start"]["line"], r["start"]["character"]),
                      offset_of(text, r["end"]["line"], r["end"]["character"]), e["newText"]))
    out = text
    for start, end, new in sorted(spans, reverse=True):
        out = out[:start] + new + out[end:]
    return out


def changed_line(before: str, after: str) -> str:
    for old, new in zip(before.splitlines(), after.splitlines()):
        if old != new:
            return " ".join(new.split())
    return "(no visible change)" if before == after else "(lines added or removed)"


# --- the fix memories -----------------------------------------------------------------------------


def manual_count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT COUNT(*) FROM outcomes WHERE outcome = 'manual'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def snapshot_db(db: Path, to: Path) -> None:
    """A consistent copy of a fix memory another process may have open (SQLite's backup API)."""
    to.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(str(to))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# --- one project ----------------------------------------------------------------------------------


@dataclass
class Verdict:
    occurrence: int  # 0-based
    function: str
    error_seen: bool = False  # the server published the project's error code in the function
    offered: int = 0  # code actions with an edit
    title: str = ""
    fix: str = ""  # the first fix's changed line
    compiles: bool = False
    passes: bool = False  # compiles with check.rs and the hidden tests pass
    idiom: bool = False  # the file equals the project's own lib.rs (whitespace aside)
    seconds: float = 0.0
    note: str = ""


@dataclass
class Row:
    project: str
    label: str  # "k=0", "k=1", "k=2", "k=2 via sleepy teach", "night (model)", ...
    strategy: str
    k: int
    taught: int = 0  # manual fixes in the memory the row was scored with
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.verdicts)

    @property
    def good(self) -> int:
        """First fix is the idiom and passes the hidden tests."""
        return sum(v.passes and v.idiom for v in self.verdicts)


class Bench:
    def __init__(self, project: Project, work: Path, log) -> None:
        self.project = project
        self.work = work
        self.crate = work / project.name
        (self.crate / "src").mkdir(parents=True, exist_ok=True)
        shutil.copy(project.manifest_path, self.crate / "Cargo.toml")
        self.lib = self.crate / "src" / "lib.rs"
        self.lib.write_text(project.lib_text, encoding="utf-8")
        self.cache = work / "cache"  # the servers' cargo target dirs, shared so builds stay incremental
        self.judge = ScratchCrate(project)
        self.judge.target = work / "judge-target" / project.name
        self.judge.target.mkdir(parents=True, exist_ok=True)
        self.judged: dict[str, TestRun] = {}
        self.log = log
        self.deadline = DEADLINE_S  # for one occurrence's check and fixing

    def close(self) -> None:
        self.judge.close()

    def settings(self, strategy: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"strategy": strategy, "backend": "none", "publishDiagnostics": True, "tests": {"enabled": False},
                **(extra or {})}

    def error_in(self, server: Server, uri: str, text: str, index: int) -> dict[str, Any] | None:
        """The published error of the project's code inside occurrence `index`'s function, nearest it."""
        start, end = function_span(text, self.project.occurrences[index].function)
        first, last = text[:start].count("\n"), text[:end].count("\n")
        at = text.find(self.project.occurrences[index].broken, start)
        line = text[:at].count("\n") if at >= 0 else first
        with server.lock:
            found = list(server.diagnostics.get(uri, []))
        ours = [d for d in found if d.get("severity") == 1 and first <= d["range"]["start"]["line"] <= last]
        ours.sort(key=lambda d: (str(d.get("code")) != self.project.error_code,
                                 abs(d["range"]["start"]["line"] - line)))
        return ours[0] if ours else None

    # teaching

    def teach_in_editor(self, k: int) -> dict[int, Path]:
        """The developer fixes occurrences 0..k-1 by hand in the editor; the memory after each, by count."""
        db = self.work / f"{self.project.name}-editor.sqlite3"
        memories: dict[int, Path] = {}
        server = Server(self.work, db, self.cache, self.settings("rustc"))
        try:
            uri = None
            for i in range(k):
                broken = broken_text(self.project, i)
                mark = server.mark()
                if uri is None:
                    self.lib.write_text(broken, encoding="utf-8")
                    uri = server.open(self.lib, broken)
                else:
                    server.change_and_save(uri, self.lib, broken)
                server.settled(mark)
                if self.error_in(server, uri, broken, i) is None:
                    raise RuntimeError(f"{self.project.name} #{i + 1}: the server published no error there")
                time.sleep(SETTLE_S)  # the developer reads the error
                mark = server.mark()
                server.change_and_save(uri, self.lib, self.project.lib_text)
                server.settled(mark)
                end = time.monotonic() + 60
                while manual_count(db) < i + 1:
                    if time.monotonic() > end:
                        raise RuntimeError(f"{self.project.name} #{i + 1}: the fix by hand was not recorded "
                                           f"(see {server.log_file})")
                    time.sleep(0.2)
                memories[i + 1] = self.work / f"{self.project.name}-editor-k{i + 1}.sqlite3"
                snapshot_db(db, memories[i + 1])
                self.log(f"  taught #{i + 1} in the editor ({manual_count(memories[i + 1])} manual fixes recorded)")
        finally:
            server.close()
        return memories

    def teach_with_cli(self, k: int) -> Path:
        """The same fixes taught with `sleepy teach BEFORE AFTER --crate DIR --db PATH`."""
        db = self.work / f"{self.project.name}-teach.sqlite3"
        after = self.work / f"{self.project.name}-after.rs"
        after.write_text(self.project.lib_text, encoding="utf-8")
        for i in range(k):
            before = self.work / f"{self.project.name}-before-{i + 1}.rs"
            before.write_text(broken_text(self.project, i), encoding="utf-8")
            proc = subprocess.run(
                [bin_path("sleepy"), "teach", str(before), str(after), "--crate", str(self.crate),
                 "--file", "src/lib.rs", "--db", str(db)],
                capture_output=True, text=True, timeout=600,
                env={**os.environ, "SLEEPY_CACHE_DIR": str(self.cache)})
            if proc.returncode != 0:
                raise RuntimeError(f"sleepy teach failed: {proc.stdout[-800:]}{proc.stderr[-800:]}")
        self.log(f"  taught #1..#{k} with sleepy teach ({manual_count(db)} manual fixes recorded)")
        return db

    # scoring

    def score(self, row: Row, memory: Path | None, indices: list[int], extra: dict[str, Any] | None = None,
              env: dict[str, str] | None = None) -> Row:
        db = self.work / f"{self.project.name}-score-{re.sub(r'[^a-z0-9]+', '-', row.label.lower())}-{row.strategy}.sqlite3"
        db.unlink(missing_ok=True)
        if memory is not None:
            snapshot_db(memory, db)
        row.taught = manual_count(db)
        server = Server(self.work, db, self.cache, self.settings(row.strategy, extra), env)
        try:
            for i in indices:
                row.verdicts.append(self.score_one(server, i))
                v = row.verdicts[-1]
                self.log(f"    {row.label:>22} {row.strategy:<6} #{i + 1}: "
                         f"{'idiom' if v.idiom else 'other'} {'pass' if v.passes else 'FAIL'}  {v.fix[:70]}"
                         f"{'  (' + v.note + ')' if v.note else ''}")
        finally:
            server.close()
        return row

    def score_one(self, server: Server, index: int) -> Verdict:
        occurrence = self.project.occurrences[index]
        verdict = Verdict(index, occurrence.function)
        started = time.monotonic()
        text = broken_text(self.project, index)
        self.lib.write_text(text, encoding="utf-8")
        mark = server.mark()
        uri = server.open(self.lib, text)
        try:
            try:
                server.settled(mark, self.deadline)
            except TimeoutError:
                verdict.note = f"no answer in {self.deadline:g} s"  # counted as no fix; the run goes on
                return verdict
            diagnostic = self.error_in(server, uri, text, index)
            if diagnostic is None:
                verdict.note = "no error published"
                return verdict
            verdict.error_seen = str(diagnostic.get("code")) == self.project.error_code
            actions = [a for a in server.code_actions(uri, diagnostic) if a.get("edit")]
            verdict.offered = len(actions)
            if not actions:
                verdict.note = "no fix offered"
                return verdict
            first = actions[0]
            verdict.title = first.get("title", "")
            fixed = apply_action(text, uri, first)
            if fixed is None:
                verdict.note = "the first action edits nothing"
                return verdict
            verdict.fix = changed_line(text, fixed)
            verdict.idiom = squeeze(fixed) == squeeze(self.project.lib_text)
            run = self.judged.get(fixed)
            if run is None:
                run = self.judged[fixed] = self.judge.test(fixed)
            verdict.compiles, verdict.passes = run.compiled, run.compiled and run.passed
            return verdict
        finally:
            server.close_document(uri)
            verdict.seconds = round(time.monotonic() - started, 1)


# --- the night ------------------------------------------------------------------------------------


def night(benches: list[Bench], memories: list[Path], work: Path, args, log) -> dict[str, Any]:
    """One LoRA night on the k=2 memories; the registry it wrote (its champions serve the `model` strategy)."""
    merged = work / "night-memory.sqlite3"
    merged.unlink(missing_ok=True)
    data = work / "night-records.jsonl"
    sys.path.insert(0, str(REPO))
    from sleepy_lsp.memory.store import FixMemory
    from trainer.data import examples_from_memory, record_to_json

    lines = []
    for memory in memories:
        with FixMemory.open_existing(memory, read_only=True) as store:
            for record in examples_from_memory(store):
                lines.append(json.dumps(record_to_json(record)))
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    registry = work / "registry"
    started = time.monotonic()
    command = [bin_path("sleepy-train"), "run", "--method", "lora", "--no-memory", "--data", str(data),
               "--registry", str(registry), "--work-dir", str(work / "night-work"), "--device", "cpu",
               "--max-steps", str(args.night_steps), "--no-eval", "--max-length", str(args.night_max_length),
               "--no-koans"]
    log(f"night: {' '.join(command[1:])}")
    proc = subprocess.run(command, capture_output=True, text=True, timeout=args.night_timeout,
                          env={**os.environ, "SLEEPY_CACHE_DIR": str(work / "cache")})
    log(proc.stdout[-1500:] + proc.stderr[-1500:])
    promoted = 0
    if proc.returncode == 0:
        # --no-eval skips the koan gate (it would take longer than the whole benchmark on a CPU), and a night
        # that is not evaluated promotes nothing; the server serves champions only, so the night's adapters
        # are made champions here, by hand, for this measurement.
        from trainer.registry import Registry

        store = Registry(registry)
        promoted = store.promote(*[m.id for m in store.manifests(method="lora")])
    return {"command": " ".join(command[1:]), "returncode": proc.returncode, "records": len(lines),
            "seconds": round(time.monotonic() - started), "registry": str(registry), "promoted": promoted}


def names_in(code: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]\w*", code))


def idiom_names(occurrence) -> set[str]:
    """The names the project's fix adds to the broken code (`Meters`, `new`): what its idiom calls."""
    return names_in(occurrence.fixed) - names_in(occurrence.broken)


@dataclass
class Answer:
    occurrence: int  # 0-based
    text: str  # the model's greedy answer
    edits: bool = False  # it parses as LINE/INSERT/DELETE edits of the file
    names: bool = False  # its edits use every name the idiom adds
    idiom: bool = False  # applied, the file is the project's own (whitespace aside)


def model_answers(bench: Bench, indices: list[int], adapters: dict[str, Path]) -> list[Answer]:
    """The model's greedy answer to each later occurrence's error, asked as the `model` strategy asks it.

    The code actions score only fixes that compile; this shows what the model wrote, verified or not:
    whether a night taught it the edit format and the project's idiom even where the fix fails."""
    backend = LlamaCppBackend()
    backend.set_adapters(adapters)  # the registry's champions by family, as the server routes them
    answers = []
    for i in indices:
        text = broken_text(bench.project, i)
        bench.lib.write_text(text, encoding="utf-8")
        run = run_cargo(["check", "--message-format=json"], bench.crate, bench.cache / "answers", CARGO_TIMEOUT_S)
        start, end = function_span(text, bench.project.occurrences[i].function)
        lines = range(text[:start].count("\n") + 1, text[:end].count("\n") + 2)
        errors = [d for d in run.diagnostics if d.level == "error" and d.primary_span
                  and d.primary_span.line_start in lines]
        if not errors:
            continue
        case = ErrorCase.of(errors[0], "src/lib.rs", text)
        reply = backend.generate(prompt_messages(case), n=1, max_tokens=160, family=case.family)[0]
        answer = Answer(i, reply)
        edits = parse_answer(reply)
        answer.edits = bool(edits)
        answer.names = answer.edits and idiom_names(bench.project.occurrences[i]) <= names_in(
            " ".join(e.text for e in edits))
        try:
            answer.idiom = answer.edits and squeeze(apply_line_edits(text, edits)) == squeeze(bench.project.lib_text)
        except ValueError:
            pass
        answers.append(answer)
    bench.lib.write_text(bench.project.lib_text, encoding="utf-8")
    return answers


# --- report ---------------------------------------------------------------------------------------


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "-"


def markdown(rows: list[Row], meta: dict[str, Any]) -> str:
    labels = list(dict.fromkeys((r.label, r.strategy) for r in rows))
    projects = list(dict.fromkeys(r.project for r in rows))
    out = ["# Recurring-fix benchmark (issue #14)", "", f"Command: `{meta['command']}`", "",
           f"Later occurrences scored: {meta['scored']} (occurrences 3..n of each project), the same in every row. "
           "A cell: first offered fix is the project's idiom and passes the hidden tests / occurrences.", ""]
    out.append("| row | strategy | idiom + hidden tests pass | hidden tests pass | idiom | no fix offered |")
    out.append("| --- | --- | --- | --- | --- | --- |")
    for label, strategy in labels:
        mine = [r for r in rows if (r.label, r.strategy) == (label, strategy)]
        vs = [v for r in mine for v in r.verdicts]
        out.append(f"| {label} | {strategy} | {pct(sum(v.passes and v.idiom for v in vs), len(vs))} "
                   f"| {pct(sum(v.passes for v in vs), len(vs))} | {pct(sum(v.idiom for v in vs), len(vs))} "
                   f"| {sum(not v.offered for v in vs)} |")
    out += ["", "Per project (idiom + pass / scored):", ""]
    out.append("| project | " + " | ".join(f"{label} ({strategy})" for label, strategy in labels) + " |")
    out.append("| --- |" + " --- |" * len(labels))
    for project in projects:
        cells = []
        for label, strategy in labels:
            row = next((r for r in rows if (r.project, r.label, r.strategy) == (project, label, strategy)), None)
            cells.append(f"{row.good}/{row.n}" if row else "-")
        out.append(f"| `{project}` | " + " | ".join(cells) + " |")
    if any(meta["answers"].values()):
        out += ["", "What the model wrote (its greedy answer to each scored error, verified or not):", "",
                "| model | answers | in the edit format | use the idiom's names | are the idiom |", "| --- | --- | --- | --- | --- |"]
        for label, found in meta["answers"].items():
            n = len(found)
            out.append(f"| {label} | {n} | {pct(sum(a.edits for a in found), n)} | {pct(sum(a.names for a in found), n)} "
                       f"| {pct(sum(a.idiom for a in found), n)} |")
    for note in meta.get("notes", []):
        out += ["", note]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", default="", help="comma-separated project names [default: all]")
    parser.add_argument("--k", default="0,1,2", help="how many occurrences are fixed by hand first [default: 0,1,2]")
    parser.add_argument("--strategies", default="full,rustc",
                        help="server strategies to score [default: full,rustc]; rustc is scored at the lowest and "
                             "highest k only (it reads no memory)")
    parser.add_argument("--no-teach", action="store_true", help="skip the row taught with `sleepy teach`")
    parser.add_argument("--score-from", type=int, default=SCORE_FROM + 1,
                        help="the first occurrence scored, 1-based [default: 3]")
    parser.add_argument("--night", action="store_true", help="also train one LoRA night and score the model")
    parser.add_argument("--night-steps", type=int, default=48, help="optimizer steps of the night [default: 48]")
    parser.add_argument("--night-max-length", type=int, default=1536,
                        help="tokens per training pair (a prompt holds up to 61 lines of the file) [default: 1536]")
    parser.add_argument("--night-projects", default="",
                        help="score the model rows on these projects only [default: every project run]")
    parser.add_argument("--night-timeout", type=int, default=1500)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "recurring",
                        help="writes OUT.md and OUT.json [default: bench/results/recurring]")
    parser.add_argument("--deadline", type=float, default=DEADLINE_S,
                        help=f"seconds one occurrence's check and fixing may take; past it, no fix [default: {DEADLINE_S:g}]")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, memories)")
    args = parser.parse_args(argv)
    if shutil.which("cargo") is None:
        print("cargo is not on PATH: install Rust with rustup (https://rustup.rs) and run this again.")
        return 2
    projects = load_projects(HERE / "recurring")
    if args.projects:
        wanted = [p.strip() for p in args.projects.split(",") if p.strip()]
        unknown = set(wanted) - {p.name for p in projects}
        if unknown:
            print(f"no such project: {', '.join(sorted(unknown))}")
            return 2
        projects = [p for p in projects if p.name in wanted]
    ks = sorted({int(k) for k in args.k.split(",")})
    strategies = [s.strip() for s in args.strategies.split(",") if s.strip()]  # "" scores no day rows
    first = args.score_from - 1
    if first < max(ks):
        print(f"--score-from {args.score_from} would score occurrences the developer fixed by hand (k={max(ks)})")
        return 2
    work = Path(tempfile.mkdtemp(prefix="sleepy-recurring-"))
    started = time.monotonic()

    def log(line: str) -> None:
        print(f"[{time.monotonic() - started:6.0f}s] {line}", flush=True)

    rows: list[Row] = []
    teaching: dict[str, Any] = {}
    benches, k2_memories = [], []
    try:
        for project in projects:
            log(f"== {project.name} [{project.error_code}] {len(project.occurrences)} occurrences")
            bench = Bench(project, work, log)
            bench.deadline = args.deadline
            benches.append(bench)
            indices = list(range(first, len(project.occurrences)))
            taught_k = max(ks)
            memories: dict[int, Path | None] = {0: None}
            t0 = time.monotonic()
            if taught_k:
                memories.update(bench.teach_in_editor(taught_k))
            teaching[project.name] = {"editor_seconds": round(time.monotonic() - t0, 1)}
            if taught_k >= 2 and 2 in memories:
                k2_memories.append(memories[2])
            teach_db = None
            if not args.no_teach and taught_k >= 2:
                t0 = time.monotonic()
                teach_db = bench.teach_with_cli(2)
                teaching[project.name]["teach_seconds"] = round(time.monotonic() - t0, 1)
            for strategy in strategies:
                for k in ks if strategy != "rustc" else sorted({min(ks), max(ks)}):
                    rows.append(bench.score(Row(project.name, f"k={k}", strategy, k), memories[k], indices))
                if teach_db is not None and strategy != "rustc":
                    rows.append(bench.score(Row(project.name, "k=2 via sleepy teach", strategy, 2), teach_db, indices))
            partial_out(args.out, rows, teaching, args, projects, first)
        night_meta = None
        answers: dict[str, list[Answer]] = {"base model": [], "after one night": []}
        if args.night and k2_memories:
            night_meta = night(benches, k2_memories, work, args, log)
            if night_meta["returncode"] == 0:
                registry = night_meta["registry"]
                for bench in benches:
                    if args.night_projects and bench.project.name not in args.night_projects.split(","):
                        continue
                    indices = list(range(first, len(bench.project.occurrences)))
                    model = {"backend": "llama_cpp"}
                    rows.append(bench.score(Row(bench.project.name, "base model", "model", 0), None, indices, model))
                    rows.append(bench.score(Row(bench.project.name, "after one night", "model", 2), None, indices,
                                            {**model, "adaptersDir": registry}))
                    for label, adapters in (("base model", {}),
                                            ("after one night", champion_adapters(Path(registry), "llama_cpp"))):
                        answers[label] += model_answers(bench, indices, adapters)
        partial_out(args.out, rows, teaching, args, projects, first, night_meta, answers, done=True)
    finally:
        for bench in benches:
            bench.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")
    log(f"wrote {args.out}.md and {args.out}.json")
    return 0


def partial_out(out: Path, rows: list[Row], teaching: dict[str, Any], args, projects: list[Project], first: int,
                night_meta: dict[str, Any] | None = None, answers: dict[str, list[Answer]] | None = None,
                done: bool = False) -> None:
    command = "python bench/recurring.py " + shlex.join(
        a for a in sys.argv[1:] if not a.startswith("--out") and not str(out) in a)
    scored = sum(max(0, len(p.occurrences) - first) for p in projects)
    notes = ["Day side = the server with strategy `full` and no model backend (rustc's suggestions, the fix "
             "patterns learned from the memory, the user's habit ranking); `memory` alone has no rustc provider. "
             "`rustc` = rustc's suggestions only (it reads no memory). The memory is taught in one server "
             "session (fixes by hand, captured by the server) and scored in a fresh one."]
    if night_meta:
        notes.append(f"Night: `sleepy-train {night_meta['command']}` on {night_meta['records']} records, "
                     f"{night_meta['seconds']} s, exit {night_meta['returncode']}.")
    meta = {"command": command.strip(), "scored": scored, "notes": notes, "complete": done,
            "teaching": teaching, "night": night_meta, "answers": answers or {}}
    out.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{out}.md").write_text(markdown(rows, meta), encoding="utf-8")
    Path(f"{out}.json").write_text(json.dumps({
        "meta": {**meta, "answers": {label: [asdict(a) for a in found] for label, found in meta["answers"].items()}},
        "rows": [{**asdict(r), "good": r.good, "n": r.n} for r in rows]}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
