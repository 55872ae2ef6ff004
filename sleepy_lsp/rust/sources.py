"""Reading and writing the user's source files: UTF-8 or a clear error, and never a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import SleepyError
from .scratch import alive

TEMP_MARK = "sleepy"


def read_source(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SleepyError(f"{path} is not valid UTF-8: save it as UTF-8 and try again.") from None


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename, keeping the file's mode.

    The temporary file's name holds this process's id, so one left by a killed
    process is recognised and removed by the next write.
    """
    path = Path(path)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{TEMP_MARK}-{os.getpid()}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_unchanged(path: Path, expected: str, text: str) -> None:
    """Write text over a file that still holds `expected`; SleepyError (nothing written) when it changed."""
    if read_source(path) != expected:
        raise SleepyError(f"{path} changed while sleepy was fixing it, so nothing was written: "
                          "run the command again on the file as it is now.")
    write_atomically(path, text)


def remove_stale_temporaries(path: Path) -> None:
    """Remove temporary files of earlier writes to path whose process is gone."""
    for candidate in Path(path).parent.glob(f".{Path(path).name}.{TEMP_MARK}-*.tmp"):
        pid = candidate.name.removeprefix(f".{Path(path).name}.{TEMP_MARK}-").split("-")[0]
        if pid.isdigit() and not alive(int(pid)):
            candidate.unlink(missing_ok=True)
