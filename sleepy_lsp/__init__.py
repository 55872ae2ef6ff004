"""sleepy-coder's day side: diagnostics, the koan judge, the fix engine and the language server."""

__version__ = "0.1.0"
