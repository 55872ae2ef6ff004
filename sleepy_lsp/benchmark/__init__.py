"""The koan benchmark: the koan format, the judge that builds and tests candidates, the corpus
checks, evaluation of a strategy, and the day cycle that records koan practice.

May import: engine, memory, model, repair, rust, vocabulary, errors.
"""
