"""Share: continual learning in a shared LoRA subspace, with per-task loadings and routing.

Per adapted layer, separately for LoRA's A and B sides (DESIGN.md, "Share, as
the official code does it"; reference: ankit-vaidya19/Share,
peft/tuners/eigenflux/layer.py):

- Phase 1 (`phase1_basis`): stack the existing adapters' side matrices with
  the long side as rows (A as d_in x r, B as d_out x r), centre each row,
  and keep the top-K left singular vectors: a frozen basis alpha (d_in x K)
  and beta (d_out x K). K is given, or the fewest directions that explain a
  chosen share of the variance.
- Phase 2 (`freeze_for_task` + the training loop): a task trains only its
  loadings eps_a and eps_b (K x r each) and rank-update vectors (u_a v_a on
  the A side, u_b v_b on the B side, p of them each: the directions the
  basis lacks). The update is delta W = (beta eps_b + u_b v_b)(alpha eps_a + u_a v_a)^T.
- Phase 3 (`phase3_merge`): rebuild every task's side matrices from the
  basis (the new task with its rank updates), decompose again, and re-project
  every task onto the new basis; the rank updates are folded into it. The
  basis grows as the new directions arrive: it keeps the fewest principal
  directions, never fewer than it had, with which every task's delta W comes
  back within `merge_tolerance` (relative Frobenius error), up to `max_k`.
  A merge that kept K fixed would cut the new directions off again, and with
  them part of every task (`LayerMerge.without_growth` says how much).

All adapter state lives in attributes named `share_*`, per-task tensors in
dicts keyed by task name, so saving, loading and freezing are one name filter,
as in peft's LoRA layer. At inference one task's loadings are selected
(routing by error family); `combine_tasks(..., "average")` averages loadings
across tasks, which is the failure mode the original study hit and exists
only to reproduce it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import torch
import torch.nn as nn

from .lora import DEFAULT_TARGET_MODULES, check_targets

SHARE_PREFIX = "share_"
COMBINE_MODES = ("route", "average")
_TASK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# A singular value below this share of the stack's norm is float32 round-off (of the side matrices' products),
# not a direction.
_NEGLIGIBLE = 1e-6
CONFIG_FILE = "share_config.json"
WEIGHTS_FILE = "share.safetensors"


@dataclass(frozen=True)
class ShareSettings:
    """Share's shape.

    The defaults follow the official setup in keeping K above r (it pairs
    K=32 with r=8), so that a task's update is not capped below LoRA's rank,
    and its two rank-update vectors per side, without which no task could
    leave the first basis and phase 3 would have nothing to grow by.

    Args:
        r: rank of each task's update (the columns of its loadings).
        k: principal directions phase 1 keeps per side (at most what the adapters span); None chooses by
            explained variance.
        variance: share of variance the kept directions must explain, used when k is None.
        max_k: the most directions per side: phase 1 by variance, and phase 3 as the basis grows.
        rank_updates: rank-update vectors per side while training a task (0 turns them off, and with them growth).
        merge_tolerance: the largest relative Frobenius error of any task's delta W that phase 3 accepts before it
            keeps another direction.
        target_modules: last names of the linear layers to adapt.
    """

    r: int = 16
    k: int | None = 32
    variance: float | None = None
    max_k: int = 64
    rank_updates: int = 2
    merge_tolerance: float = 1e-3
    target_modules: tuple[str, ...] = field(default=DEFAULT_TARGET_MODULES)

    def __post_init__(self) -> None:
        if not isinstance(self.r, int) or self.r < 1:
            raise ValueError(f"Share rank r={self.r!r} must be a positive integer")
        if (self.k is None) == (self.variance is None):
            raise ValueError(f"give exactly one of k={self.k!r} and variance={self.variance!r}")
        if self.k is not None and self.k < 1:
            raise ValueError(f"Share k={self.k!r} must be 1 or more")
        if self.variance is not None and not 0.0 < self.variance <= 1.0:
            raise ValueError(f"Share variance={self.variance!r} must be in (0, 1]")
        if self.max_k < 1:
            raise ValueError(f"Share max_k={self.max_k!r} must be 1 or more")
        if self.k is not None and self.max_k < self.k:
            raise ValueError(f"Share max_k={self.max_k!r} must be at least k={self.k!r}")
        if self.rank_updates < 0:
            raise ValueError(f"rank_updates={self.rank_updates!r} must be 0 or more")
        if not 0.0 <= self.merge_tolerance < 1.0:
            raise ValueError(f"merge_tolerance={self.merge_tolerance!r} must be in [0, 1)")


def check_task_name(task: str) -> str:
    """A task name usable as a dict key in parameter names (a family name, "all", ...).

    Args:
        task: the name to check.
    """
    if not isinstance(task, str) or not _TASK_NAME.fullmatch(task):
        raise ValueError(f"task name {task!r} must start with a letter and hold only letters, digits and '_'")
    return task


# Phase 1: the decomposition -----------------------------------------------------------------------

def choose_k(singular_values: torch.Tensor, settings: ShareSettings) -> int:
    """How many principal directions to keep: settings.k, or the fewest reaching settings.variance.

    Never more than there are directions.

    Args:
        singular_values: one per direction, as principal_directions gives them (0 for directions that carry
            no centred variance, which variance alone therefore never chooses).
        settings: k, or variance and max_k.
    """
    available = int(singular_values.numel())
    if settings.k is not None:
        return max(1, min(settings.k, available))
    energy = singular_values.double() ** 2
    total = float(energy.sum())
    if total == 0.0:
        return 1
    cumulative = torch.cumsum(energy, 0) / total
    reached = int(torch.searchsorted(cumulative, torch.tensor(settings.variance - 1e-12, dtype=cumulative.dtype)))
    return max(1, min(reached + 1, settings.max_k, available))


def principal_directions(stacked: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Orthonormal directions that span stacked column vectors, the most principal first (float64).

    First the left singular vectors of the centred columns (each row's mean
    removed), with their singular values; then whatever of the columns' own
    span centring removed (at most the mean's direction), with value 0, since
    it carries none of the centred variance. Centring alone would lose that
    direction whenever the columns are linearly independent (a single adapter,
    say), and a task's side matrix, which is not centred, still needs it.

    Args:
        stacked: d x n, one column per LoRA rank-1 direction of every adapter (long side as rows).
    """
    if stacked.dim() != 2 or stacked.shape[1] < 1:
        raise ValueError(f"stacked matrix of shape {tuple(stacked.shape)} must be d x n with n >= 1")
    data = stacked.double()
    scale = float(torch.linalg.norm(data))
    if scale == 0.0:
        return data[:, :0], data.new_zeros(0)
    centred = data - data.mean(dim=1, keepdim=True)
    u, s, _ = torch.linalg.svd(centred, full_matrices=False)
    keep = s > _NEGLIGIBLE * scale
    u, s = u[:, keep], s[keep]
    residual = data - u @ (u.t() @ data)
    u_rest, s_rest, _ = torch.linalg.svd(residual, full_matrices=False)
    rest = u_rest[:, s_rest > _NEGLIGIBLE * scale]
    rest = rest - u @ (u.t() @ rest)  # re-orthogonalised against round-off
    rest, _ = torch.linalg.qr(rest)
    return torch.cat([u, rest], dim=1), torch.cat([s, s.new_zeros(rest.shape[1])])


def principal_basis(stacked: torch.Tensor, settings: ShareSettings) -> torch.Tensor:
    """Phase 1's basis for one side: the top K principal directions of stacked column vectors.

    Args:
        stacked: d x n, one column per LoRA rank-1 direction of every adapter (long side as rows).
        settings: how K is chosen.
    """
    directions, values = principal_directions(stacked)
    if directions.shape[1] == 0:
        raise ValueError("the adapters' side matrices are all zero, so they span no direction to keep")
    return directions[:, :choose_k(values, settings)].float().contiguous()


def lora_sides(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """A LoRA pair (A: r x d_in, B: d_out x r) as Share's side matrices (d_in x r, d_out x r).

    Args:
        a: LoRA's A.
        b: LoRA's B, scaling folded in.
    """
    return a.t().float(), b.float()


@dataclass
class LayerBasis:
    """The frozen basis of one layer.

    Args:
        alpha: d_in x K_a, for the A side.
        beta: d_out x K_b, for the B side.
    """

    alpha: torch.Tensor
    beta: torch.Tensor


def phase1_basis(adapters: list[Mapping[str, tuple[torch.Tensor, torch.Tensor]]],
                 settings: ShareSettings) -> dict[str, LayerBasis]:
    """Phase 1: a basis per layer from existing LoRA adapters' factors.

    Args:
        adapters: one mapping per adapter, module name -> (A [r x d_in], B [d_out x r]) with scaling folded in
            (trainer.lora.lora_factors gives this).
        settings: how many directions to keep.
    """
    if not adapters:
        raise ValueError("phase 1 needs at least one existing adapter to decompose")
    layers = sorted(set.intersection(*(set(a) for a in adapters)))
    if not layers:
        raise ValueError("the adapters share no adapted layer, so there is nothing to decompose")
    basis = {}
    for layer in layers:
        sides = [lora_sides(*adapter[layer]) for adapter in adapters]
        alpha = principal_basis(torch.cat([a for a, _ in sides], dim=1), settings)
        beta = principal_basis(torch.cat([b for _, b in sides], dim=1), settings)
        basis[layer] = LayerBasis(alpha, beta)
    return basis


def project_factors(basis: Mapping[str, LayerBasis],
                    factors: Mapping[str, tuple[torch.Tensor, torch.Tensor]]) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """An adapter's loadings on a basis: eps_a = alpha^T A^T, eps_b = beta^T B, per layer.

    Args:
        basis: per-layer bases.
        factors: module name -> (A, B) of a LoRA adapter.
    """
    loadings = {}
    for layer, layer_basis in basis.items():
        side_a, side_b = lora_sides(*factors[layer])
        loadings[layer] = (layer_basis.alpha.t() @ side_a, layer_basis.beta.t() @ side_b)
    return loadings


def projection_error(basis: Mapping[str, LayerBasis], factors: Mapping[str, tuple[torch.Tensor, torch.Tensor]]) -> float:
    """The worst relative Frobenius error, across layers, of an adapter's delta W rebuilt from its projection.

    Args:
        basis: per-layer bases.
        factors: module name -> (A, B) of a LoRA adapter.
    """
    worst = 0.0
    with torch.no_grad():
        for layer, (eps_a, eps_b) in project_factors(basis, factors).items():
            a, b = factors[layer]
            rebuilt = (basis[layer].beta @ eps_b) @ (basis[layer].alpha @ eps_a).t()
            worst = max(worst, relative_error(rebuilt, b.float() @ a.float()))
    return worst


# The layer ------------------------------------------------------------------------------------------

class ShareLinear(nn.Module):
    """A base nn.Linear plus Share's frozen basis and per-task loadings.

    Args:
        base_layer: the linear layer being adapted (kept frozen).
        basis: this layer's frozen basis.
        r: rank of each task's update.
        rank_updates: rank-update vectors per side for tasks added while training.
    """

    def __init__(self, base_layer: nn.Linear, basis: LayerBasis, r: int, rank_updates: int = 0) -> None:
        super().__init__()
        d_in, d_out = base_layer.in_features, base_layer.out_features
        if basis.alpha.shape[0] != d_in or basis.beta.shape[0] != d_out:
            raise ValueError(f"basis shapes {tuple(basis.alpha.shape)} / {tuple(basis.beta.shape)} do not fit "
                             f"a linear layer of {d_in} -> {d_out}")
        self.base_layer = base_layer
        self.r = r
        self.rank_updates = rank_updates
        device = base_layer.weight.device
        self.share_alpha = nn.Parameter(basis.alpha.to(device, torch.float32).clone(), requires_grad=False)
        self.share_beta = nn.Parameter(basis.beta.to(device, torch.float32).clone(), requires_grad=False)
        self.share_eps_a = nn.ParameterDict()
        self.share_eps_b = nn.ParameterDict()
        self.share_update_a_u = nn.ParameterDict()  # d_in x p
        self.share_update_a_v = nn.ParameterDict()  # p x r
        self.share_update_b_u = nn.ParameterDict()  # d_out x p
        self.share_update_b_v = nn.ParameterDict()  # p x r
        self.active: tuple[str, ...] = ()

    @property
    def tasks(self) -> list[str]:
        return list(self.share_eps_a.keys())

    def add_task(self, task: str, eps_a: torch.Tensor | None = None, eps_b: torch.Tensor | None = None,
                 rank_updates: int | None = None, generator: torch.Generator | None = None) -> None:
        """Give a task its loadings (and rank-update vectors when asked for).

        A new task starts with delta W = 0, as LoRA does: eps_a random in the
        basis (scaled like LoRA's A), eps_b zero; of each rank-update pair the
        long factor (u_a, u_b) is random and the short one (v_a, v_b) zero.
        Both u are drawn the same way for their length d, uniform in
        +-1/sqrt(d), so each column has norm about 1/sqrt(3) on either side:
        the scale of LoRA's kaiming-uniform A and of the unit basis columns the
        rank updates extend. (The official code draws both sides' factors
        alike too, uniform in +-0.5 whatever their size.)

        Args:
            task: the task's name.
            eps_a: K_a x r loadings for the A side, or None for a fresh start.
            eps_b: K_b x r loadings for the B side, or None for a fresh start.
            rank_updates: how many rank-update vectors per side (default: the layer's).
            generator: a torch.Generator for reproducible initialisation.
        """
        check_task_name(task)
        k_a, k_b = self.share_alpha.shape[1], self.share_beta.shape[1]
        device = self.share_alpha.device
        if eps_a is None:
            eps_a = (torch.rand(k_a, self.r, generator=generator) * 2 - 1) / k_a ** 0.5
        if eps_b is None:
            eps_b = torch.zeros(k_b, self.r)
        if tuple(eps_a.shape) != (k_a, self.r) or tuple(eps_b.shape) != (k_b, self.r):
            raise ValueError(f"task {task!r} loadings {tuple(eps_a.shape)} / {tuple(eps_b.shape)} must be "
                             f"{(k_a, self.r)} / {(k_b, self.r)}")
        self.share_eps_a[task] = nn.Parameter(eps_a.to(device, torch.float32).clone())
        self.share_eps_b[task] = nn.Parameter(eps_b.to(device, torch.float32).clone())
        p = self.rank_updates if rank_updates is None else rank_updates
        if p > 0:
            d_in, d_out = self.share_alpha.shape[0], self.share_beta.shape[0]
            self.share_update_a_u[task] = nn.Parameter(((torch.rand(d_in, p, generator=generator) * 2 - 1)
                                                        / d_in ** 0.5).to(device))
            self.share_update_a_v[task] = nn.Parameter(torch.zeros(p, self.r, device=device))
            self.share_update_b_u[task] = nn.Parameter(((torch.rand(d_out, p, generator=generator) * 2 - 1)
                                                        / d_out ** 0.5).to(device))
            self.share_update_b_v[task] = nn.Parameter(torch.zeros(p, self.r, device=device))

    def remove_task(self, task: str) -> None:
        """Forget a task's loadings and rank updates.

        Args:
            task: the task's name.
        """
        for store in self._task_stores():
            if task in store:
                del store[task]
        self.active = tuple(t for t in self.active if t != task)

    def _task_stores(self) -> list[nn.ParameterDict]:
        return [self.share_eps_a, self.share_eps_b, self.share_update_a_u, self.share_update_a_v,
                self.share_update_b_u, self.share_update_b_v]

    def side_matrices(self, task: str) -> tuple[torch.Tensor, torch.Tensor]:
        """One task's side matrices: A side (d_in x r) and B side (d_out x r), rank updates included.

        Args:
            task: the task's name.
        """
        side_a = self.share_alpha @ self.share_eps_a[task]
        side_b = self.share_beta @ self.share_eps_b[task]
        if task in self.share_update_a_u:
            side_a = side_a + self.share_update_a_u[task] @ self.share_update_a_v[task]
            side_b = side_b + self.share_update_b_u[task] @ self.share_update_b_v[task]
        return side_a, side_b

    def averaged_side_matrices(self, tasks: Iterable[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Side matrices from loadings averaged over tasks (the study's failure mode).

        Args:
            tasks: the tasks whose loadings are averaged.
        """
        tasks = list(tasks)
        eps_a = torch.stack([self.share_eps_a[t] for t in tasks]).mean(0)
        eps_b = torch.stack([self.share_eps_b[t] for t in tasks]).mean(0)
        return self.share_alpha @ eps_a, self.share_beta @ eps_b

    def delta_weight(self, task: str) -> torch.Tensor:
        """The task's update to the base weight, d_out x d_in.

        Args:
            task: the task's name.
        """
        side_a, side_b = self.side_matrices(task)
        return side_b @ side_a.t()

    def forward(self, x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        result = self.base_layer(x, *args, **kwargs)
        if not self.active:
            return result
        if len(self.active) == 1:
            side_a, side_b = self.side_matrices(self.active[0])
        else:
            side_a, side_b = self.averaged_side_matrices(self.active)
        update = (x.to(side_a.dtype) @ side_a) @ side_b.t()
        return result + update.to(result.dtype)

    @property
    def k(self) -> tuple[int, int]:
        """Directions in the basis: (K_a, K_b)."""
        return self.share_alpha.shape[1], self.share_beta.shape[1]

    def merge_tasks(self, settings: ShareSettings) -> LayerMerge:
        """Phase 3 for this layer: re-decompose all tasks' side matrices, grow the basis as needed, re-project.

        The new basis holds the leading principal directions of every task's
        side matrices (rank updates included), as many per side as it takes
        for every task's delta W to come back within settings.merge_tolerance,
        never fewer than the basis had and no more than settings.max_k (or
        the directions there are). Rank updates are folded in and removed.

        Args:
            settings: merge_tolerance and max_k.
        """
        tasks = self.tasks
        if not tasks:
            return LayerMerge({}, {}, self.k, self.k, False)
        k_before = self.k
        with torch.no_grad():
            sides = {t: tuple(side.double() for side in self.side_matrices(t)) for t in tasks}
            dirs_a, _ = principal_directions(torch.cat([a for a, _ in sides.values()], dim=1))
            dirs_b, _ = principal_directions(torch.cat([b for _, b in sides.values()], dim=1))
            coords = {t: (dirs_a.t() @ a, dirs_b.t() @ b) for t, (a, b) in sides.items()}
            losses = TruncationLoss([coords[t] for t in tasks])
            # Never fewer directions than before, nor (with few tasks) more than there are.
            limit = (min(max(settings.max_k, k_before[0]), dirs_a.shape[1]),
                     min(max(settings.max_k, k_before[1]), dirs_b.shape[1]))
            start = (max(1, min(k_before[0], limit[0])), max(1, min(k_before[1], limit[1])))
            k_a, k_b = losses.grow(start, limit, settings.merge_tolerance)
            without_growth = dict(zip(tasks, losses.errors(*start)))
            device = self.share_alpha.device
            self.share_alpha = nn.Parameter(dirs_a[:, :k_a].float().to(device).contiguous(), requires_grad=False)
            self.share_beta = nn.Parameter(dirs_b[:, :k_b].float().to(device).contiguous(), requires_grad=False)
            active, errors = self.active, {}
            for task in tasks:
                side_a, side_b = sides[task]
                coord_a, coord_b = coords[task]
                self.remove_task(task)
                self.add_task(task, coord_a[:k_a].float(), coord_b[:k_b].float(), rank_updates=0)
                errors[task] = relative_error(self.delta_weight(task), (side_b @ side_a.t()).float())
            self.active = active
            capped = losses.worst(k_a, k_b) > settings.merge_tolerance
            return LayerMerge(errors, without_growth, k_before, (k_a, k_b), capped)


class TruncationLoss:
    """How much of each task's delta W a basis of the first k_a and k_b principal directions keeps.

    With orthonormal directions that span every task's side matrices, a task
    is A = D_a c_a and B = D_b c_b, so delta W = D_b (c_b c_a^T) D_a^T and
    keeping the first k_b and k_a directions keeps exactly the top-left
    k_b x k_a block of c_b c_a^T. Its relative Frobenius error is the energy
    outside that block over the whole, read from prefix sums in O(1).

    Args:
        coords: per task, its side matrices' coordinates (c_a: m_a x r, c_b: m_b x r).
    """

    def __init__(self, coords: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
        self.prefix = []
        for c_a, c_b in coords:
            energy = (c_b @ c_a.t()).double() ** 2
            prefix = torch.zeros(energy.shape[0] + 1, energy.shape[1] + 1, dtype=torch.float64)
            prefix[1:, 1:] = energy.cumsum(0).cumsum(1)
            self.prefix.append(prefix)

    def errors(self, k_a: int, k_b: int) -> list[float]:
        """Each task's relative delta-W error with k_a and k_b directions kept."""
        found = []
        for prefix in self.prefix:
            total, kept = float(prefix[-1, -1]), float(prefix[k_b, k_a])
            found.append((max(total - kept, 0.0) / total) ** 0.5 if total > 0 else 0.0)
        return found

    def worst(self, k_a: int, k_b: int) -> float:
        return max(self.errors(k_a, k_b), default=0.0)

    def grow(self, start: tuple[int, int], limit: tuple[int, int], tolerance: float) -> tuple[int, int]:
        """From start, add one direction at a time on the side that lowers the worst error more, until every
        task is within tolerance or both sides reach their limit; returns (k_a, k_b)."""
        k_a, k_b = start
        while self.worst(k_a, k_b) > tolerance and (k_a < limit[0] or k_b < limit[1]):
            options = []
            if k_a < limit[0]:
                options.append((self.worst(k_a + 1, k_b), k_a + 1, k_b))
            if k_b < limit[1]:
                options.append((self.worst(k_a, k_b + 1), k_a, k_b + 1))
            _, k_a, k_b = min(options)
        return k_a, k_b


@dataclass
class LayerMerge:
    """What phase 3 did to one layer.

    Args:
        errors: task -> relative Frobenius error of its delta W after re-projection (measured).
        without_growth: task -> the error had the basis kept its size (the merge of a fixed K).
        k_before: (K_a, K_b) before.
        k_after: (K_a, K_b) after.
        capped: max_k stopped the growth before every task was within the tolerance.
    """

    errors: dict[str, float]
    without_growth: dict[str, float]
    k_before: tuple[int, int]
    k_after: tuple[int, int]
    capped: bool


def relative_error(new: torch.Tensor, old: torch.Tensor) -> float:
    """||new - old|| / ||old|| in the Frobenius norm (the absolute error when old is zero).

    Args:
        new: the reconstruction.
        old: the original.
    """
    norm = float(torch.linalg.norm(old))
    diff = float(torch.linalg.norm(new - old))
    return diff / norm if norm > 0 else diff


# The model ------------------------------------------------------------------------------------------

def share_layers(model: nn.Module) -> dict[str, ShareLinear]:
    """Every Share layer of a model by module name.

    Args:
        model: the model.
    """
    return {name: m for name, m in model.named_modules() if isinstance(m, ShareLinear)}


def _set_module(model: nn.Module, name: str, module: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name) if parent_name else model, child, module)


def attach_share(model: nn.Module, basis: Mapping[str, LayerBasis], settings: ShareSettings) -> nn.Module:
    """Replace every basis layer's nn.Linear by a ShareLinear (in place) and freeze the base model.

    Args:
        model: a transformers model (no peft wrapper).
        basis: module name -> its frozen basis (from phase 1 or a saved state).
        settings: rank and rank updates.
    """
    shapes = check_targets(model, settings.target_modules)
    missing = [name for name in basis if name not in shapes]
    if missing:
        raise ValueError(f"the basis names layers {missing[:3]} that this model does not have")
    for param in model.parameters():
        param.requires_grad = False
    for name, layer_basis in basis.items():
        _set_module(model, name, ShareLinear(model.get_submodule(name), layer_basis, settings.r, settings.rank_updates))
    return model


def add_task(model: nn.Module, task: str, loadings: Mapping[str, tuple[torch.Tensor, torch.Tensor]] | None = None,
             seed: int = 0, rank_updates: int | None = None) -> None:
    """Give every Share layer the task's loadings: given ones, or a fresh start (delta W = 0).

    Args:
        model: a model with Share layers.
        task: the task's name (an error family, or "all").
        loadings: module name -> (eps_a, eps_b), e.g. from project_factors; None starts fresh.
        seed: seeds the fresh initialisation.
        rank_updates: rank-update vectors per side (default: each layer's setting).
    """
    generator = torch.Generator().manual_seed(seed)
    for name, layer in share_layers(model).items():
        eps_a, eps_b = loadings[name] if loadings is not None else (None, None)
        layer.remove_task(task)
        layer.add_task(task, eps_a, eps_b, rank_updates, generator)


def tasks_of(model: nn.Module) -> list[str]:
    """The tasks every Share layer holds loadings for.

    Args:
        model: a model with Share layers.
    """
    layers = list(share_layers(model).values())
    if not layers:
        return []
    return [t for t in layers[0].tasks if all(t in layer.share_eps_a for layer in layers)]


def select_task(model: nn.Module, task: str | None) -> None:
    """Routing: use one task's loadings in every Share layer (None: the base model alone).

    Args:
        model: a model with Share layers.
        task: the task to use.
    """
    if task is not None and task not in tasks_of(model):
        raise ValueError(f"task {task!r} has no loadings; known tasks: {tasks_of(model)}")
    for layer in share_layers(model).values():
        layer.active = (task,) if task is not None else ()


def combine_tasks(model: nn.Module, tasks: list[str], mode: str = "route") -> None:
    """Use several tasks at once: "route" needs exactly one, "average" averages their loadings.

    Args:
        model: a model with Share layers.
        tasks: the tasks.
        mode: "route" or "average" (the original study's failure mode).
    """
    if mode not in COMBINE_MODES:
        raise ValueError(f"combine mode {mode!r} must be one of {COMBINE_MODES}")
    unknown = [t for t in tasks if t not in tasks_of(model)]
    if unknown or not tasks:
        raise ValueError(f"tasks {unknown or tasks} are not all known; known tasks: {tasks_of(model)}")
    if mode == "route":
        if len(tasks) != 1:
            raise ValueError(f"routing selects one task, got {tasks}: use mode='average' to average them")
        select_task(model, tasks[0])
        return
    for layer in share_layers(model).values():
        layer.active = tuple(tasks)


def is_task_parameter(name: str, task: str) -> bool:
    """Whether a parameter name is one of the task's loadings or rank-update vectors (never the basis).

    Args:
        name: a parameter name.
        task: the task's name.
    """
    tail = name.rsplit(".", 2)
    if len(tail) != 3 or tail[2] != task:
        return False
    return tail[1].startswith((SHARE_PREFIX + "eps_", SHARE_PREFIX + "update_"))


def freeze_for_task(model: nn.Module, task: str) -> int:
    """Phase 2: only this task's loadings and rank-update vectors train; the basis and the base stay frozen.

    Returns the number of trainable parameters.

    Args:
        model: a model with Share layers.
        task: the task being trained.
    """
    select_task(model, task)
    count = 0
    for name, param in model.named_parameters():
        param.requires_grad = is_task_parameter(name, task)
        count += param.numel() if param.requires_grad else 0
    return count


@dataclass
class Merge:
    """What phase 3 did to the whole model.

    Args:
        errors: task -> its worst relative delta-W error across layers after re-projection (measured).
        without_growth: task -> its worst error across layers had no layer's basis grown.
        k_before: (fewest, most) directions per side across layers before.
        k_after: (fewest, most) directions per side across layers after.
        capped: layers where max_k stopped the growth before every task was within the tolerance.
    """

    errors: dict[str, float] = field(default_factory=dict)
    without_growth: dict[str, float] = field(default_factory=dict)
    k_before: tuple[int, int] = (0, 0)
    k_after: tuple[int, int] = (0, 0)
    capped: list[str] = field(default_factory=list)

    @property
    def worst(self) -> float:
        return max(self.errors.values(), default=0.0)

    @property
    def worst_without_growth(self) -> float:
        return max(self.without_growth.values(), default=0.0)


def phase3_merge(model: nn.Module, settings: ShareSettings) -> Merge:
    """Phase 3 over every Share layer; errors are each task's worst across layers.

    Args:
        model: a model with Share layers.
        settings: merge_tolerance and max_k.
    """
    merge, before, after = Merge(), [], []
    for name, layer in share_layers(model).items():
        done = layer.merge_tasks(settings)
        for task, error in done.errors.items():
            merge.errors[task] = max(merge.errors.get(task, 0.0), error)
            merge.without_growth[task] = max(merge.without_growth.get(task, 0.0), done.without_growth[task])
        before += done.k_before
        after += done.k_after
        if done.capped:
            merge.capped.append(name)
    if after:
        merge.k_before, merge.k_after = (min(before), max(before)), (min(after), max(after))
    return merge


def task_factors(model: nn.Module, task: str) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """A task as plain LoRA factors, module name -> (A [r x d_in], B [d_out x r]).

    delta W = B @ A, so a Share task exports as an ordinary rank-r LoRA
    (GGUF for llama.cpp, or another phase 1).

    Args:
        model: a model with Share layers.
        task: the task.
    """
    factors = {}
    with torch.no_grad():
        for name, layer in share_layers(model).items():
            side_a, side_b = layer.side_matrices(task)
            factors[name] = (side_a.t().float().cpu().contiguous(), side_b.float().cpu().contiguous())
    return factors


# Parameter counts -----------------------------------------------------------------------------------

def share_parameter_count(shapes: Mapping[str, tuple[int, int]], settings: ShareSettings,
                          k_per_layer: Mapping[str, tuple[int, int]] | None = None) -> int:
    """Trainable parameters of one Share task: loadings (K_a + K_b) x r per layer, plus rank updates.

    Args:
        shapes: module name -> (in_features, out_features).
        settings: r, k (or max_k when k is chosen by variance) and rank_updates.
        k_per_layer: the actual (K_a, K_b) per layer when known (after phase 1).
    """
    default_k = settings.k if settings.k is not None else settings.max_k
    total = 0
    for name, (d_in, d_out) in shapes.items():
        k_a, k_b = (k_per_layer or {}).get(name, (default_k, default_k))
        total += (k_a + k_b) * settings.r
        total += settings.rank_updates * (d_in + settings.r + d_out + settings.r)
    return total


@dataclass(frozen=True)
class Size:
    """How big a model's Share state is.

    Args:
        basis_params: frozen parameters of the basis (alpha and beta over every layer).
        loadings_params: one task's loadings ((K_a + K_b) x r per layer).
        k: (fewest, most) directions per side across layers.
    """

    basis_params: int
    loadings_params: int
    k: tuple[int, int]


def share_size(model: nn.Module) -> Size:
    """The basis's size and one task's loadings, as they stand.

    Args:
        model: a model with Share layers.
    """
    layers = list(share_layers(model).values())
    ks = [k for layer in layers for k in layer.k]
    return Size(sum(layer.share_alpha.numel() + layer.share_beta.numel() for layer in layers),
                sum(sum(layer.k) * layer.r for layer in layers), (min(ks, default=0), max(ks, default=0)))


# Saving and loading ---------------------------------------------------------------------------------

def share_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """Every share_ tensor (basis and all tasks), by its name in the base model.

    Args:
        model: a model with Share layers.
    """
    return {name: tensor.detach().cpu().contiguous().clone() for name, tensor in model.state_dict().items()
            if SHARE_PREFIX in name}


def save_share(model: nn.Module, folder: Path, settings: ShareSettings, extra: Mapping[str, Any] | None = None) -> Path:
    """Write the basis and all tasks' loadings (safetensors) with a config, to a folder.

    Args:
        model: a model with Share layers.
        folder: the target folder (created).
        settings: the Share settings, recorded for loading.
        extra: more fields for the config (e.g. phase 3 errors).
    """
    from safetensors.torch import save_file

    if any(layer.share_update_a_u for layer in share_layers(model).values()):
        raise ValueError("rank-update vectors are still separate: run phase3_merge before saving")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    save_file(share_state(model), str(folder / WEIGHTS_FILE))
    config = {"settings": asdict(settings), "tasks": tasks_of(model), "layers": sorted(share_layers(model)),
              **dict(extra or {})}
    (folder / CONFIG_FILE).write_text(json.dumps(config, indent=2), encoding="utf-8")
    return folder


def read_share(folder: Path) -> tuple[ShareSettings, dict[str, LayerBasis], dict[str, dict[str, tuple[torch.Tensor, torch.Tensor]]]]:
    """A saved Share state: its settings, per-layer basis and per-task loadings.

    Args:
        folder: a folder written by save_share.
    """
    from safetensors.torch import load_file

    folder = Path(folder)
    config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    raw = dict(config["settings"])
    raw["target_modules"] = tuple(raw["target_modules"])
    settings = ShareSettings(**raw)
    state = load_file(str(folder / WEIGHTS_FILE))
    basis = {layer: LayerBasis(state[f"{layer}.share_alpha"], state[f"{layer}.share_beta"]) for layer in config["layers"]}
    loadings = {task: {layer: (state[f"{layer}.share_eps_a.{task}"], state[f"{layer}.share_eps_b.{task}"])
                       for layer in config["layers"]} for task in config["tasks"]}
    return settings, basis, loadings


def load_share(model: nn.Module, folder: Path) -> tuple[nn.Module, ShareSettings]:
    """Attach a saved Share state (basis and every task) to a base model.

    Args:
        model: a transformers model without adapters.
        folder: a folder written by save_share.
    """
    settings, basis, loadings = read_share(folder)
    attach_share(model, basis, settings)
    for task, task_loadings in loadings.items():
        add_task(model, task, task_loadings, rank_updates=0)
    return model, settings
