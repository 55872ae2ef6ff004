"""sleepy-coder's day side, in rooms that import only downwards:

    vocabulary, errors   the shared names and the one exception hierarchy
    rust                 rustc's diagnostics, cargo, shadow crates, byte edits, error families
    repair               the repair rules: from a diagnostic and the source, candidate edits
    model                the prompt and answer format, model backends, the adapter registry's layout
    memory               the fix memory (SQLite), fix patterns, retrieval, the review
    engine               providers, verification in a shadow crate, ranking, strategies
    benchmark            the koan format, the judge, evaluation, the day cycle
    server               the language server: session, documents, flycheck, offers, fixing
    cli                  the `sleepy` command line, the one entry point besides the server

A room may import the rooms listed above it, never those below; the night side
(`trainer`) may import any of them, and nothing here imports `trainer`.
"""

__version__ = "0.1.0"
