"""The layout is the architecture: rooms import only downwards, nothing imports in a circle, and the
pure converter loads no engine. Read from the source with `ast`, so a lazy import inside a function
counts as much as one at the top of a module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("sleepy_lsp", "trainer")

# Each room of sleepy_lsp and what it may import besides itself (sleepy_lsp/__init__.py says the same).
FOUNDATION = {"sleepy_lsp", "sleepy_lsp.vocabulary", "sleepy_lsp.errors"}
ROOMS = ["rust", "repair", "model", "memory", "engine", "benchmark", "server", "cli"]
MAY_IMPORT = {
    "rust": set(),
    "repair": {"rust"},
    "model": {"rust"},
    "memory": {"model", "rust"},
    "engine": {"memory", "model", "repair", "rust"},
    "benchmark": {"engine", "memory", "model", "repair", "rust"},
    "server": {"engine", "memory", "model", "repair", "rust"},
    "cli": {"benchmark", "engine", "memory", "model", "repair", "rust", "server"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (REPO / package).rglob("*.py")}


def _runtime_nodes(tree: ast.AST):
    """Every node of the module except what stands under `if TYPE_CHECKING:` (annotations only, never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in ast.walk(child))
            continue
        yield node
        yield from _runtime_nodes(node)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules a module imports, wherever in it the import stands (lazy ones included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "sleepy_lsp" and len(parts) > 1 and parts[1] in ROOMS else None


def test_no_module_imports_itself_in_a_circle():
    edges = graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycle = path[path.index(target):] + [target] if target in path else [module, target]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])


def test_rooms_import_only_downwards():
    wrong = []
    for module, targets in graph().items():
        if not module.startswith("sleepy_lsp"):
            continue
        own = room(module)
        for target in targets:
            if target.startswith("trainer"):
                wrong.append(f"{module} imports {target}: the day side never imports the night side")
            elif own is None:
                if module not in FOUNDATION:
                    wrong.append(f"{module} is in no room")
                elif target not in FOUNDATION:
                    wrong.append(f"{module} is shared by every room but imports {target}")
            elif room(target) not in (own, None) and room(target) not in MAY_IMPORT[own]:
                wrong.append(f"{module} ({own}) imports {target} ({room(target)})")
    assert wrong == []


def test_every_room_says_what_it_is_for_and_what_it_may_import():
    for name in ROOMS:
        doc = ast.get_docstring(ast.parse((REPO / "sleepy_lsp" / name / "__init__.py").read_text()))
        assert doc, name
        allowed = MAY_IMPORT[name]
        assert ("May import" in doc or name == "cli") and all(other in doc for other in allowed), name


def test_the_lsp_converter_loads_no_engine_backend_or_cargo():
    probe = ("import sys, sleepy_lsp.server.lsp_convert\n"
             "print('\\n'.join(m for m in sys.modules if m.startswith('sleepy_lsp')))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=REPO).stdout.split()
    heavy = [m for m in loaded if m.startswith(("sleepy_lsp.engine", "sleepy_lsp.model", "sleepy_lsp.rust.cargo",
                                                "sleepy_lsp.rust.shadow", "sleepy_lsp.memory"))]
    assert "sleepy_lsp.server.lsp_convert" in loaded and heavy == []
