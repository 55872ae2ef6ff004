"""The model's side of the day: the prompt and its line-edit answer format (shared with training),
the backends that serve a model (llama.cpp, transformers), the catalogue of known models, and the
adapter registry's file layout as the day side reads it.

May import: rust, vocabulary, errors.
"""
