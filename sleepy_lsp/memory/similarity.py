"""A normalised token similarity between two Rust sources, blind to renaming.

Identifiers and literals become placeholders while keywords, punctuation and
the order of it all stay, so a renamed copy scores 1.0 and two different
programs score what their shared shape earns.
"""

from __future__ import annotations

import difflib
import re

KEYWORDS = set(
    "as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod "
    "move mut pub ref return self Self static struct super trait true type unsafe use where while".split()
)
_TOKEN = re.compile(
    r'//[^\n]*|/\*.*?\*/|b?"(?:\\.|[^"\\])*"|b?\'(?:\\.|[^\'\\])\'|\d[\w.]*|[A-Za-z_]\w*|::|->|=>|&&|\|\||[^\s\w]',
    re.DOTALL,
)


def normalised_tokens(source: str) -> list[str]:
    tokens = []
    for tok in _TOKEN.findall(source):
        if tok.startswith(("//", "/*")):
            continue
        if tok[0] in "\"'b" and len(tok) > 1 and tok[-1] in "\"'":
            tokens.append("LIT")
        elif tok[0].isdigit():
            tokens.append("LIT")
        elif tok[0].isalpha() or tok[0] == "_":
            tokens.append(tok if tok in KEYWORDS else "ID")
        else:
            tokens.append(tok)
    return tokens


def similarity(a: str, b: str) -> float:
    """1.0 for sources equal up to renaming and literals; lower as their token shapes diverge."""
    return difflib.SequenceMatcher(a=normalised_tokens(a), b=normalised_tokens(b), autojunk=False).ratio()
