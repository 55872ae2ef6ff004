"""The language server (`sleepy-lsp`): the session that routes LSP methods, open documents,
the background cargo check (flycheck), the offers and their outcomes, the background fixing,
the pure conversions to LSP types, and the settings schema.

May import: engine, memory, model, repair, rust, vocabulary, errors. Importing this package
loads nothing: `python -m sleepy_lsp.server` runs `main`.
"""
