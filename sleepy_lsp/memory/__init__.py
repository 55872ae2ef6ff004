"""The fix memory: the local SQLite store of offers, outcomes, koan episodes and nights; what the
engine learns from it by day (fix patterns, retrieved examples); and the review of what it holds.

May import: model, rust, vocabulary, errors.
"""
