"""The server's settings: one schema for the Python server, the VS Code extension and the Neovim plugin.

Editors send these (camelCase, as in VS Code's `sleepy.*` configuration) in
`initializationOptions` and again with `workspace/didChangeConfiguration`.
A test checks that editors/vscode/package.json and the Lua defaults agree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..engine.engine import TestPolicy
from ..vocabulary import BACKENDS
from ..vocabulary import SERVER_STRATEGIES as STRATEGIES


@dataclass
class Settings:
    backend: str = "none"
    model_path: str = ""
    adapters_dir: str = ""
    strategy: str = "full"
    max_candidates: int = 5
    verify: bool = True
    tests_enabled: bool = True  # run the crate's tests on fixes that compile, where it has tests
    tests_budget: int = 60  # seconds one test run of a fix may take
    telemetry_enabled: bool = True
    publish_diagnostics: bool = False
    database_path: str = ""
    trust: bool = True  # false: the workspace is not trusted, so no cargo runs (build scripts run code)
    cargo_path: str = "cargo"
    cargo_extra_args: list[str] = field(default_factory=list)
    cargo_allow_fetch: bool = False  # false: cargo runs --offline, so nothing is fetched from a registry

    def engine_settings(self) -> tuple:
        """The settings the fix engine is built from: a change of any of them makes a new engine."""
        return (self.backend, self.model_path, self.adapters_dir, self.strategy, self.max_candidates, self.verify)

    def test_policy(self) -> TestPolicy | None:
        """How fixes are run against the project's tests; None when the setting is off."""
        return TestPolicy(budget=float(self.tests_budget)) if self.tests_enabled and self.verify else None

    def updated(self, raw: dict[str, Any] | None) -> tuple["Settings", list[str]]:
        """A copy with the editor's values applied, and a note for each value ignored.

        Unknown keys and values of the wrong type are ignored (and reported),
        never fatal: a typo in a user's config must not stop the server.
        """
        values = dataclasses.asdict(self)
        notes = []
        for key, value in _flatten(raw or {}).items():
            name = _snake(key)
            if name not in values:
                notes.append(f"unknown setting {key!r} ignored")
                continue
            problem = _validate(name, value, values[name])
            if problem:
                notes.append(f"setting {key!r} {problem}; keeping {values[name]!r}")
                continue
            values[name] = list(value) if isinstance(value, list) else value
        return Settings(**values), notes


def _flatten(raw: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"telemetry": {"enabled": x}} -> {"telemetryEnabled": x}; a top-level "sleepy" key is unwrapped."""
    if not prefix and isinstance(raw.get("sleepy"), dict):
        raw = raw["sleepy"]
    flat = {}
    for key, value in raw.items():
        name = prefix + (key[:1].upper() + key[1:] if prefix else key)
        if isinstance(value, dict):
            flat.update(_flatten(value, name))
        else:
            flat[name] = value
    return flat


def _snake(camel: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in camel).lstrip("_").replace(".", "_")


def _validate(name: str, value: Any, current: Any) -> str | None:
    if isinstance(current, bool):
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(current, int):
        return None if isinstance(value, int) and not isinstance(value, bool) and value > 0 else "must be a positive whole number"
    if isinstance(current, list):
        return None if isinstance(value, list) and all(isinstance(v, str) for v in value) else "must be a list of strings"
    if not isinstance(value, str):
        return "must be a string"
    if name == "backend" and value not in BACKENDS:
        return f"must be one of {', '.join(BACKENDS)}"
    if name == "strategy" and value not in STRATEGIES:
        return f"must be one of {', '.join(STRATEGIES)}"
    return None
