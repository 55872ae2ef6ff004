"""The names both loops share: error families, fix providers, strategies, backends and outcomes.

One owner for each list, imported everywhere it is needed, so the store, the
koans, the engine, the settings and the trainer can never spell them apart.
"""

# Error families: routing (one adapter per family), prompt hints, training data and reports hang on them.
FAMILIES = ("borrow", "trait_bounds", "result", "type_mismatch", "missing_item", "other")
# A koan always poses a known kind of error, so "other" is never a koan's family.
KOAN_FAMILIES = tuple(f for f in FAMILIES if f != "other")
# The task, adapter or routing entry that covers every family at once.
ALL_FAMILIES = "all"

# Who proposed a fix: sleepy's three sources, and the user (a fix written by hand).
PROVIDERS = ("rustc", "memory", "model", "user")
# Which providers an engine uses; "none" leaves the code as it is (a benchmark's baseline).
STRATEGIES = ("none", "rustc", "memory", "model", "full")
# The server always runs an engine, so "none" is not a setting.
SERVER_STRATEGIES = tuple(s for s in STRATEGIES if s != "none")
# Where model fixes come from.
BACKENDS = ("none", "llama_cpp", "transformers")

# What became of an offer; "manual" is the outcome of a fix the user wrote, which sleepy did not offer.
OUTCOMES = ("accepted", "rejected", "ignored", "manual")
