"""`python -m sleepy_lsp.server`: the language server over stdio."""

import sys

from .main import main

sys.exit(main())
