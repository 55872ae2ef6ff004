"""`python -m sleepy_lsp.cli`: the `sleepy` command line."""

from . import main

main()
