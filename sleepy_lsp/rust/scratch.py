"""Where sleepy builds code it does not trust: private scratch folders in the user's cache.

Not the system temp folder: cargo reads `.cargo/config.toml` from every folder
above the one it runs in, and any local user can plant one in /tmp (a
`rustc-wrapper` there would run on every check). The scratch root is made
0700, and a `.cargo` folder above it that another user owns is refused.
Folders of a process that died (killed mid-check) are removed on the next start.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import platformdirs

from ..errors import SleepyError

CACHE_ENV = "SLEEPY_CACHE_DIR"


def cache_root() -> Path:
    """sleepy's cache: $SLEEPY_CACHE_DIR, else the platform's user cache dir."""
    return Path(os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("sleepy-coder"))


def private_dir(path: Path) -> Path:
    """path as a folder only this user can enter (created, or tightened, to 0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def check_no_planted_config(path: Path) -> None:
    """SleepyError when cargo, run under path, would read a config that another user controls."""
    me = os.getuid()
    for folder in [path, *path.parents]:
        config = folder / ".cargo"
        try:
            info = config.lstat()
        except OSError:
            continue
        if info.st_uid not in (me, 0):
            raise SleepyError(
                f"{config} belongs to another user and cargo would read it while checking code under {path}: "
                f"remove it, or set {CACHE_ENV} to a folder of your own.")
    for folder in path.parents:
        try:
            mode = folder.stat().st_mode
        except OSError:
            continue
        if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
            raise SleepyError(
                f"{folder} can be written by every user, so anyone could plant a cargo config above {path}: "
                f"set {CACHE_ENV} to a folder of your own.")


def scratch_root() -> Path:
    """The private folder scratch crates live in, checked against planted cargo configs."""
    root = private_dir(cache_root() / "scratch")
    check_no_planted_config(root)
    return root


def alive(pid: int) -> bool:
    """Whether a process of that id runs."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return True


def clean_stale(root: Path | None = None) -> list[Path]:
    """Remove scratch folders left by processes that no longer run (their name holds the pid)."""
    removed = []
    root = root or scratch_root()
    for entry in root.iterdir():
        parts = entry.name.split("-")
        if len(parts) >= 3 and parts[-2].isdigit() and not alive(int(parts[-2])):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextmanager
def scratch_dir(kind: str) -> Iterator[Path]:
    """A fresh private folder for one piece of work, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=scratch_root()))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
