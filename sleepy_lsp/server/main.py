"""`sleepy-lsp`: the command line that starts the language server over stdio."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import BinaryIO

from ..rust.scratch import CACHE_ENV, cache_root, clean_stale
from .flycheck import CHECK_TIMEOUT_SECONDS, DEBOUNCE_SECONDS
from .handlers import build_server
from .reporting import ClientLog, unsent


def private_stdout() -> BinaryIO:
    """The LSP stream on a private copy of stdout; file descriptor 1 then points at stderr.

    Anything else that writes to fd 1 would corrupt the LSP stream, and
    llama-cpp-python even points fd 1 at /dev/null while it loads and runs a
    model (`suppress_stdout_stderr`), process-wide, which would swallow the
    server's answers meanwhile.
    """
    stream = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return stream


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sleepy-lsp", description="The sleepy-coder language server: compiler-verified fixes for Rust errors.")
    # stdio only: a TCP port would let any local process drive the server (and its cargo.path setting).
    parser.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout (the only transport)")
    parser.add_argument("--log-file", help="write the log here (default: stderr)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--trace-lsp", action="store_true", help="log every LSP message (very verbose)")
    parser.add_argument("--cache-dir", default=str(cache_root()),
                        help=f"where cargo target dirs and shadow copies live (default ${CACHE_ENV}, else the user "
                             "cache dir)")
    parser.add_argument("--check-timeout", type=float, default=CHECK_TIMEOUT_SECONDS, metavar="SECONDS",
                        help="stop a cargo check that runs longer than this")
    parser.add_argument("--debounce", type=float, default=DEBOUNCE_SECONDS, metavar="SECONDS",
                        help="wait this long after a save before checking, folding bursts into one check")
    args = parser.parse_args(argv)
    # One channel per line: the server's lines go to the client's LSP log at their level (ClientLog);
    # stderr, which editors log as errors, gets only warnings and errors that could not be sent there.
    handler: logging.Handler
    if args.log_file:
        handler = logging.FileHandler(args.log_file, encoding="utf-8")  # everything, whoever else saw it
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.addFilter(unsent)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=args.log_level, handlers=[handler], force=True)
    logging.getLogger("pygls").setLevel(
        logging.DEBUG if args.trace_lsp else max(logging.WARNING, logging.getLevelName(args.log_level)))
    clean_stale()  # what a killed server left in its scratch folders
    server = build_server(Path(args.cache_dir), args.check_timeout, args.debounce)
    logging.getLogger("sleepy_lsp").addHandler(ClientLog(server, max(logging.INFO, logging.getLevelName(args.log_level))))
    server.start_io(sys.stdin.buffer, private_stdout())
    server.terminate(0)  # the client went away without `exit`
    return 0

