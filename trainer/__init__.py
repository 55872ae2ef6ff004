"""The night side of sleepy-coder: datasets, LoRA, Share, routing, the evaluation gate and the adapter registry.

`sleepy-train` (trainer.cli) is the entry point; each module here owns one
responsibility and can be used on its own (the tests do).
"""
