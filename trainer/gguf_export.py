"""Export an adapter as a GGUF LoRA that llama.cpp (and llama-cpp-python's `lora_path`) applies to the GGUF base.

llama.cpp's own converter (convert_lora_to_gguf.py) is not on PyPI, so the
file is written here with the `gguf` package, the same way: general.type =
"adapter", adapter.type = "lora", adapter.lora.alpha, and for every adapted
weight `<gguf name>.lora_a` (r x d_in) and `<gguf name>.lora_b` (d_out x r).
The scaling is folded into lora_b and alpha is written equal to the rank, so
llama.cpp's scale (alpha / rank) is 1.

Two details decide whether the exported update is the trained one:
- names: Hugging Face module names map to GGUF names through gguf's own
  tensor name map for the base model's architecture;
- layout: for the `llama` architecture the GGUF converter permutes the rows of
  q and k for its rotary layout (and transformers undoes that on loading), so
  lora_b of q and k gets the same row permutation here.
A Share task exports through the same path: delta W = B A with
A = (alpha eps_a)^T and B = beta eps_b is an ordinary rank-r LoRA.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np

ROTARY_PERMUTED_ARCHS = ("llama",)


@dataclass(frozen=True)
class BaseGGUF:
    """What an adapter export needs to know about the GGUF base model.

    Args:
        arch: general.architecture (e.g. "llama", "gemma3", "qwen2").
        blocks: the number of transformer blocks.
        heads: attention heads.
        kv_heads: key/value heads.
    """

    arch: str
    blocks: int
    heads: int
    kv_heads: int


def read_base(path: Path) -> BaseGGUF:
    """The architecture and head counts of a GGUF model, from its metadata only.

    Args:
        path: the base model's .gguf file.
    """
    from gguf import GGUFReader

    fields = GGUFReader(str(path)).fields

    def value(key: str, default: Any = None) -> Any:
        field = fields.get(key)
        return field.contents() if field is not None else default

    arch = value("general.architecture")
    if not arch:
        raise ValueError(f"{path} has no general.architecture: is it a GGUF model?")
    heads = int(value(f"{arch}.attention.head_count", 0))
    return BaseGGUF(arch, int(value(f"{arch}.block_count", 0)), heads,
                    int(value(f"{arch}.attention.head_count_kv", heads)))


def rotary_permute(rows: np.ndarray, heads: int) -> np.ndarray:
    """Reorder a q/k weight's rows from Hugging Face's rotary layout to the GGUF converter's.

    Within each head, the first and second halves of the rows are interleaved.

    Args:
        rows: an (out_features x anything) array.
        heads: heads for q, key/value heads for k.
    """
    out = rows.shape[0]
    if out % (2 * heads):
        raise ValueError(f"{out} rows cannot be split into {heads} heads of rotary pairs")
    return rows.reshape(heads, 2, out // heads // 2, *rows.shape[1:]).swapaxes(1, 2).reshape(rows.shape)


def gguf_name(module_name: str, base: BaseGGUF) -> str:
    """The GGUF weight name of a Hugging Face linear module (e.g. blk.3.attn_q.weight).

    Args:
        module_name: e.g. "model.layers.3.self_attn.q_proj".
        base: the base model's metadata.
    """
    import gguf

    arch = {name: key for key, name in gguf.MODEL_ARCH_NAMES.items()}.get(base.arch)
    if arch is None:
        raise ValueError(f"architecture {base.arch!r} is unknown to the gguf package")
    name = gguf.get_tensor_name_map(arch, base.blocks).get_name(module_name)
    if name is None:
        raise ValueError(f"module {module_name!r} has no GGUF name for architecture {base.arch!r}")
    return f"{name}.weight"


def to_gguf_layout(module_name: str, a: np.ndarray, b: np.ndarray, base: BaseGGUF) -> tuple[np.ndarray, np.ndarray]:
    """LoRA factors in the layout the GGUF base model's weights use.

    Args:
        module_name: the Hugging Face module name.
        a: r x d_in.
        b: d_out x r, scaling folded in.
        base: the base model's metadata.
    """
    if base.arch in ROTARY_PERMUTED_ARCHS:
        leaf = module_name.rsplit(".", 1)[-1]
        if leaf == "q_proj":
            b = rotary_permute(b, base.heads)
        elif leaf == "k_proj":
            b = rotary_permute(b, base.kv_heads)
    return a, b


def write_gguf_lora(path: Path, factors: Mapping[str, tuple[Any, Any]], base_gguf: Path) -> Path:
    """Write adapter factors as a GGUF LoRA for a GGUF base model.

    Args:
        path: the .gguf file to write (replaced atomically).
        factors: module name -> (A [r x d_in], B [d_out x r]) as torch tensors or arrays, scaling folded into B.
        base_gguf: the base model's .gguf (architecture and head counts come from it).
    """
    import gguf

    if not factors:
        raise ValueError("there are no adapter factors to export")
    base = read_base(base_gguf)
    ranks = {np.asarray(a).shape[0] for a, _ in factors.values()}
    if len(ranks) != 1:
        raise ValueError(f"every layer must have the same rank to share one alpha, got ranks {sorted(ranks)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    writer = gguf.GGUFWriter(str(tmp), base.arch)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(ranks.pop()))
    for module_name in sorted(factors):
        a, b = (np.ascontiguousarray(_numpy(t), dtype=np.float32) for t in factors[module_name])
        a, b = to_gguf_layout(module_name, a, b, base)
        name = gguf_name(module_name, base)
        writer.add_tensor(f"{name}.lora_a", np.ascontiguousarray(a))
        writer.add_tensor(f"{name}.lora_b", np.ascontiguousarray(b))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)
    return path


def _numpy(tensor: Any) -> np.ndarray:
    return tensor.detach().float().cpu().numpy() if hasattr(tensor, "detach") else np.asarray(tensor)
