"""The fix engine: providers propose candidates (rustc, memory, model), each is verified in a shadow
crate, and the verified ones are ranked; strategies name which providers an engine uses.

May import: memory, model, repair, rust, vocabulary, errors.
"""
