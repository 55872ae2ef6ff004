"""One settings schema, three copies: they must agree, and the editor integrations must build.

The server's schema is the `Settings` dataclass (sleepy_lsp/server/settings.py). The
VS Code extension declares the same settings, with the same defaults, in
editors/vscode/package.json (`sleepy.` + camelCase, nested groups dotted:
`telemetry_enabled` <-> `sleepy.telemetry.enabled`); the Neovim plugin has them
as a nested Lua table (editors/nvim/lua/sleepy/init.lua). The server must also
accept every key as the editors spell it. The last tests build and test the
VS Code extension with npm and drive the Neovim plugin headless against a
stand-in server.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sleepy_lsp.server.settings import BACKENDS, STRATEGIES, Settings

REPO = Path(__file__).resolve().parent.parent
VSCODE = REPO / "editors" / "vscode"
NVIM = REPO / "editors" / "nvim"

# Settings only the editor reads; they are never sent to the server.
CLIENT_ONLY = {"interpreter", "trace.server"}
# Fields whose first word is a group, written nested in the editors (`cargo.extraArgs`).
NESTED_GROUPS = {"telemetry", "cargo", "tests"}
JSON_TYPES = {bool: "boolean", int: "integer", str: "string", list: "array"}


def editor_key(field: str) -> str:
    """`max_candidates` -> `maxCandidates`, `cargo_extra_args` -> `cargo.extraArgs`."""
    group, _, rest = field.partition("_")
    if group in NESTED_GROUPS and rest:
        return f"{group}.{editor_key(rest)}"
    first, *others = field.split("_")
    return first + "".join(word.title() for word in others)


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """{"cargo.path": x} -> {"cargo": {"path": x}}: the shape editors send."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        *groups, last = key.split(".")
        node = nested
        for group in groups:
            node = node.setdefault(group, {})
        node[last] = value
    return nested


def flatten(nested: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat = {}
    for key, value in nested.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def server_defaults() -> dict[str, Any]:
    """The dataclass defaults, keyed as the editors spell them."""
    return {editor_key(name): value for name, value in dataclasses.asdict(Settings()).items()}


def vscode_properties() -> dict[str, dict[str, Any]]:
    manifest = json.loads((VSCODE / "package.json").read_text())
    properties = manifest["contributes"]["configuration"]["properties"]
    assert all(key.startswith("sleepy.") for key in properties)
    return {key.removeprefix("sleepy."): spec for key, spec in properties.items()}


def vscode_defaults() -> dict[str, Any]:
    return {key: spec["default"] for key, spec in vscode_properties().items() if key not in CLIENT_ONLY}


def run_nvim(*commands: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    args = ["nvim", "--headless", "-u", "NONE", "-i", "NONE", "--cmd", f"set rtp+={NVIM}"]
    for command in commands:
        args += ["-c", command]
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env={**os.environ, **(env or {})})


needs_nvim = pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not installed (apt-get install neovim)")
needs_npm = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")


def test_editor_keys_follow_the_naming_rule():
    assert editor_key("backend") == "backend"
    assert editor_key("max_candidates") == "maxCandidates"
    assert editor_key("telemetry_enabled") == "telemetry.enabled"
    assert editor_key("publish_diagnostics") == "publishDiagnostics"
    assert editor_key("cargo_path") == "cargo.path"
    assert editor_key("cargo_extra_args") == "cargo.extraArgs"


def test_vscode_defaults_equal_the_server_defaults():
    assert vscode_defaults() == server_defaults()


def test_vscode_declares_types_choices_and_descriptions():
    properties = vscode_properties()
    for key, default in server_defaults().items():
        spec = properties[key]
        assert spec["type"] == JSON_TYPES[type(default)], key
        assert spec.get("description") or spec.get("markdownDescription"), f"sleepy.{key} has no description"
    assert tuple(properties["backend"]["enum"]) == BACKENDS
    assert tuple(properties["strategy"]["enum"]) == STRATEGIES
    assert properties["cargo.extraArgs"]["items"] == {"type": "string"}
    assert set(properties) - set(server_defaults()) == CLIENT_ONLY


def test_the_server_accepts_the_editors_defaults_in_every_shape():
    defaults = vscode_defaults()
    for raw in (nest(defaults), {"sleepy": nest(defaults)}, defaults):
        settings, notes = Settings().updated(raw)
        assert notes == []
        assert settings == Settings()


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Settings)])
def test_the_server_reads_each_key_as_the_editors_spell_it(field):
    default = getattr(Settings(), field)
    if isinstance(default, bool):
        value: Any = not default
    elif isinstance(default, int):
        value = default + 1
    elif isinstance(default, list):
        value = ["--all-features"]
    elif field == "backend":
        value = next(b for b in BACKENDS if b != default)
    elif field == "strategy":
        value = next(s for s in STRATEGIES if s != default)
    else:
        value = "/some/path"
    settings, notes = Settings().updated({"sleepy": nest({editor_key(field): value})})
    assert notes == []
    assert getattr(settings, field) == value


@needs_nvim
def test_lua_defaults_equal_the_server_and_vscode_defaults():
    result = run_nvim('lua io.stdout:write(vim.fn.json_encode(require("sleepy").defaults().settings))', "q")
    assert result.returncode == 0, result.stderr
    lua = json.loads(result.stdout)
    assert flatten(lua) == vscode_defaults() == server_defaults()
    settings, notes = Settings().updated(lua)
    assert notes == [] and settings == Settings()


@needs_nvim
def test_the_plugin_loads_and_setup_can_be_called_twice():
    result = run_nvim('lua require("sleepy").setup({})', 'lua require("sleepy").setup({ settings = { verify = false } })',
                      'lua assert(vim.fn.exists(":SleepyStats") == 2 and vim.fn.exists(":SleepyRejectLast") == 2)',
                      "qa!")
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr


@needs_nvim
def test_the_plugin_drives_a_server(tmp_path):
    """Two crates, two clients; status, settings, reject-last and stats through a stand-in server."""
    for crate in ("crate_a", "crate_b"):
        (tmp_path / crate / "src").mkdir(parents=True)
        (tmp_path / crate / "Cargo.toml").write_text(f'[package]\nname = "{crate}"\nversion = "0.1.0"\nedition = "2021"\n')
        (tmp_path / crate / "src" / "main.rs").write_text("fn main() {}\n")
    (tmp_path / "crate_a" / "src" / "lib.rs").write_text("\n")
    env = {"SLEEPY_SMOKE_DIR": str(tmp_path), "SLEEPY_SMOKE_PYTHON": sys.executable}
    run = run_nvim(f"luafile {NVIM / 'tests' / 'smoke.lua'}", env=env, timeout=120)
    assert (tmp_path / "result.json").exists(), f"no result; stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["ok"], result.get("error")
    assert result["same_crate_shares_client"] and result["other_crate_has_own_client"]
    assert result["client_count"] == 2
    assert result["status_string"] == "sleepy"
    assert result["stats_lines"] == ["fixes offered: 4", "accepted: 3"]
    assert result["stats_buffer_name"] == "sleepy://stats"
    messages = [n["message"] for n in result["notifications"]]
    assert all(m.startswith("[sleepy] ") for m in messages)
    assert any("Rejected fix 7." in m for m in messages)
    assert any("is not executable" in m and "pip install /path/to/sleepy-coder" in m for m in messages)
    assert result["clients_after_missing_cmd"] == 0

    received = [json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines()]
    init = [m["params"] for m in received if m.get("method") == "initialize"]
    assert len(init) == 2
    assert {Path(p["rootUri"].removeprefix("file://")).name for p in init} == {"crate_a", "crate_b"}
    assert init[0]["initializationOptions"]["maxCandidates"] == 3
    assert init[0]["initializationOptions"]["verify"] is False
    changes = [m["params"] for m in received if m.get("method") == "workspace/didChangeConfiguration"]
    assert changes and changes[-1]["settings"]["sleepy"]["maxCandidates"] == 2
    settings, _ = Settings().updated(changes[-1]["settings"])
    assert settings.max_candidates == 2
    reject = [m["params"] for m in received if m.get("method") == "workspace/executeCommand"]
    assert reject == [{"command": "sleepy.rejectLast", "arguments": []}]


def run_npm(*args: str, timeout: float = 600) -> None:
    try:
        result = subprocess.run(["npm", *args], cwd=VSCODE, capture_output=True, text=True, timeout=timeout,
                                env={**os.environ, "npm_config_fund": "false", "npm_config_audit": "false"})
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"npm {' '.join(args)} took more than {timeout:.0f}s:\n{exc.stdout or ''}\n{exc.stderr or ''}")
    assert result.returncode == 0, (
        f"npm {' '.join(args)} exited {result.returncode}\n--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"
    )


@pytest.mark.slow
@needs_npm
def test_vscode_extension_builds_tests_and_packages():
    run_npm("ci")
    run_npm("run", "compile")
    run_npm("test")
    run_npm("run", "package")
    with zipfile.ZipFile(VSCODE / "sleepy-coder.vsix") as vsix:
        names = set(vsix.namelist())
    assert "extension/out/extension.js" in names
    assert "extension/node_modules/vscode-languageclient/package.json" in names
    assert not any(name.startswith(("extension/src/", "extension/out/test/")) for name in names)
