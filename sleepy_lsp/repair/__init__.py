"""The repair rules: from one diagnostic and the file's bytes, candidate edits that a cargo check
then accepts or refuses. rustc's own suggestions, the fixes rustc states only in words, and the
rules for where rustc's advice would panic or cannot choose; plus the source reading they share.

May import: rust, vocabulary, errors.
"""
