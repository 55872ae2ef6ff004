"""Rust and cargo as facts: rustc's JSON diagnostics, running cargo on untrusted code, shadow crates,
byte-addressed edits, reading and writing source files, and which family an error belongs to.

May import: vocabulary, errors.
"""
