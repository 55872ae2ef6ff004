"""A tiny randomly initialised chat model and tokenizer, built from a config in a second.

For tests and smoke runs of the trainer (and of anything that needs a
transformers model without downloading one): a byte-level tokenizer with a
ChatML template, and a two-layer Llama whose module names match the real
models' (q/k/v/o and gate/up/down projections).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sleepy_lsp.model.records import ErrorCase, FixRecord, code_window, file_hash

SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def _corpus() -> list[str]:
    """Text the tiny tokenizer learns its merges from: the engine's prompt text and the tiny records."""
    from sleepy_lsp.model.prompt import FAMILY_HINTS, SYSTEM, user_message

    texts = [SYSTEM, *FAMILY_HINTS.values()]
    for record in tiny_records(8):
        texts += [user_message(record.case), record.answer]
    return texts


def tiny_tokenizer(chat_template: bool = True, vocab_size: int = 1000) -> Any:
    """A byte-level BPE tokenizer trained in milliseconds on the engine's prompt text, with a ChatML template.

    Byte-level, so any text encodes; its merges keep the engine's prompts
    short (a few hundred tokens), which keeps tiny training steps fast.

    Args:
        chat_template: give it the ChatML chat template (False exercises the plain template).
        vocab_size: the vocabulary size to learn (specials included).
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS), show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    backend.train_from_iterator(_corpus(), trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    if chat_template:
        tokenizer.chat_template = CHATML_TEMPLATE
    return tokenizer


def tiny_config(vocab_size: int = 1000, hidden_size: int = 32, layers: int = 2) -> Any:
    """A Llama config small enough to train on a CPU in milliseconds per step.

    Args:
        vocab_size: must cover the tokenizer.
        hidden_size: model width.
        layers: transformer blocks.
    """
    from transformers import LlamaConfig

    return LlamaConfig(vocab_size=vocab_size, hidden_size=hidden_size, intermediate_size=2 * hidden_size,
                       num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=2,
                       max_position_embeddings=4096, pad_token_id=SPECIAL_TOKENS.index("<|endoftext|>"),
                       eos_token_id=SPECIAL_TOKENS.index("<|im_end|>"), bos_token_id=None, tie_word_embeddings=True)


def tiny_model(seed: int = 0, **config: Any) -> Any:
    """A randomly initialised tiny Llama (fp32, eval mode).

    Args:
        seed: the initialisation seed.
        config: overrides for tiny_config.
    """
    import torch
    from transformers import LlamaForCausalLM

    torch.manual_seed(seed)
    return LlamaForCausalLM(tiny_config(**config)).eval()


def save_tiny(folder: Path, seed: int = 0) -> Path:
    """A tiny model and tokenizer saved as a Hugging Face folder (usable as --base-model).

    Args:
        folder: where to save.
        seed: the initialisation seed.
    """
    folder = Path(folder)
    tiny_model(seed).save_pretrained(folder)
    tiny_tokenizer().save_pretrained(folder)
    return folder


_TEMPLATES = {
    "borrow": ("fn main() {{\n    let {v} = String::from(\"{w}\");\n    let other = {v};\n    println!(\"{{}}\", {v});\n}}\n",
               "fn main() {{\n    let {v} = String::from(\"{w}\");\n    let other = {v}.clone();\n    println!(\"{{}}\", {v});\n}}\n",
               "error[E0382]: borrow of moved value: `{v}`", 4),
    "result": ("fn parse(s: &str) -> Result<u32, String> {{\n    let {v} = s.parse::<u32>();\n    Ok({v})\n}}\n",
               "fn parse(s: &str) -> Result<u32, String> {{\n    let {v} = s.parse::<u32>().map_err(|e| e.to_string())?;\n    Ok({v})\n}}\n",
               "error[E0308]: mismatched types: expected `u32`, found `Result<u32, ParseIntError>`", 3),
    "type_mismatch": ("fn main() {{\n    let {v}: String = {n};\n    println!(\"{{}}\", {v});\n}}\n",
                      "fn main() {{\n    let {v}: String = {n}.to_string();\n    println!(\"{{}}\", {v});\n}}\n",
                      "error[E0308]: mismatched types: expected `String`, found integer", 2),
}


def tiny_records(per_family: int = 3, families: tuple[str, ...] = ("borrow", "result", "type_mismatch")) -> list[FixRecord]:
    """Short synthetic fix records (a few lines of Rust each), distinct by variable names and literals.

    Args:
        per_family: records per family.
        families: which of the built-in families to make.
    """
    names = ("name", "title", "label", "word", "text", "line", "item", "key")
    records = []
    for family in families:
        before, after, error, line = _TEMPLATES[family]
        for i in range(per_family):
            values = {"v": names[i % len(names)], "w": f"w{i}", "n": 10 + i}
            code, rendered = before.format(**values), error.format(**values)
            case = ErrorCase(rendered, rendered[6:11], "error", rendered.split(": ", 1)[1], "src/main.rs", line, 5,
                             family, code_window(code, line), file_hash(code))
            records.append(FixRecord.of(case, code, after.format(**values), "tiny", source=f"tiny:{family}:{i}"))
    return records
