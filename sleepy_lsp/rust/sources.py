"""Reading and writing the user's source files: UTF-8 or a clear error, and never a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import SleepyError


def read_source(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SleepyError(f"{path} is not valid UTF-8: save it as UTF-8 and try again.") from None


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename, keeping the file's mode."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
