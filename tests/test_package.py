"""The package as a user installs it: `python -m build` makes a wheel and an sdist, and the wheel,
installed into a fresh virtualenv, runs `sleepy` and `sleepy-lsp` from its own files.

The fresh venv gets no dependencies of its own (installing torch is minutes and gigabytes): it
sees this environment's site-packages through a .pth file placed after its own, so the wheel's
sleepy_lsp is the one imported, and this checkout's editable install is not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytest.importorskip("build", reason="the dev extra's `build` is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """python -m build, run on a copy of what the package is made of (the checkout is never written)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for package in ("sleepy_lsp", "trainer"):
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out


def test_build_makes_a_wheel_and_an_sdist(dist):
    [wheel] = dist.glob("sleepy_coder-*-py3-none-any.whl")
    [sdist] = dist.glob("sleepy_coder-*.tar.gz")
    names = zipfile.ZipFile(wheel).namelist()
    assert "sleepy_lsp/cli/__init__.py" in names and "sleepy_lsp/server/main.py" in names
    assert "trainer/cli.py" in names
    assert not any(name.startswith(("tests/", "koans/", "editors/")) for name in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    scripts = zipfile.ZipFile(wheel).read(entry_points).decode()
    for script in ("sleepy = sleepy_lsp.cli:main", "sleepy-lsp = sleepy_lsp.server.main:main",
                   "sleepy-train = trainer.cli:main"):
        assert script in scripts
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    assert any(m.endswith("/pyproject.toml") for m in members) and any(m.endswith("/README.md") for m in members)


def test_the_wheel_installed_in_a_fresh_venv_runs(dist, tmp_path):
    [wheel] = dist.glob("sleepy_coder-*-py3-none-any.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                              "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    # the dependencies, from this environment, after the venv's own site-packages
    Path(own, "zz_parent_site.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["SLEEPY_DB"] = str(tmp_path / "memory.sqlite3")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(env_dir / "bin" / args[0]), *args[1:]], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path, env=env)

    where = run("python", "-c", "import sleepy_lsp; print(sleepy_lsp.__file__)")
    assert where.returncode == 0 and where.stdout.startswith(str(env_dir)), where.stdout + where.stderr
    helped = run("sleepy", "--help")
    assert helped.returncode == 0 and "review" in helped.stdout and "teach" in helped.stdout, helped.stderr
    assert run("sleepy-lsp", "--help").returncode == 0
    reviewed = run("sleepy", "review")
    assert reviewed.returncode == 0 and "it fills as you work in the editor" in reviewed.stdout
    # the koans stay in the repository: the installed command says where to find them, in one sentence
    koans = run("sleepy", "koans", "list")
    assert koans.returncode == 2 and "Traceback" not in koans.stderr
    assert "not installed with the sleepy-coder package" in koans.stderr and "--koans DIR" in koans.stderr
    assert run("sleepy", "koans", "list", "--koans", str(REPO / "koans")).returncode == 0
