"""Exact region counts during training (the torch extra).

Hanin and Rolnick (2019a), Section 3 and Figure 5, and (2019b), Section 5,
report that the number of regions stays of the order of the number of
neurons during training.  :func:`train_and_count` trains a small
fully-connected ReLU net with Adam in float32 on a toy task, and at every
checkpoint converts the float32 weights *exactly* to rationals and counts:

``regression_1d``
    y = sin(3 pi x / 2) on [-1, 1] (256 points, MSE); regions and pieces on [-1, 1].
``classification_2d``
    Two interleaved half-moons in [-1.5, 1.5]^2 (binary, one logit, BCE); regions
    along ``lines`` fixed segments between training points (summed), and the
    regions in the square when :func:`exactrelu.regions` is available.

The training itself is float32 (it is PyTorch's); every count is exact for
the network the checkpoint holds.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, Sequence

from .._validate import check_int, check_widths
from ..errors import ShapeError
from ..network import ReLUNetwork

__all__ = ["train_and_count", "TASKS", "checkpoint_network"]

TASKS = ("regression_1d", "classification_2d")


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ShapeError("training needs torch: pip install 'exactrelu[torch]'") from None
    return torch


def _data(task: str, torch: Any, generator: Any, points: int) -> tuple[Any, Any]:
    import math

    if task == "regression_1d":
        x = torch.rand(points, 1, generator=generator) * 2 - 1
        return x, torch.sin(1.5 * math.pi * x)
    n = points // 2
    t = torch.rand(n, generator=generator) * math.pi
    upper = torch.stack([torch.cos(t), torch.sin(t)], dim=1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], dim=1)
    x = torch.cat([upper, lower]) - torch.tensor([0.5, 0.25])
    x = x + 0.1 * torch.randn(x.shape, generator=generator)
    y = torch.cat([torch.zeros(n, 1), torch.ones(n, 1)])
    return x, y


def checkpoint_network(model: Any) -> ReLUNetwork:
    """The exact network of a ``torch.nn.Sequential`` of Linear/ReLU layers (float32 weights, exactly)."""
    torch = _torch()
    layers = [(m.weight.detach().numpy().astype("float64"), m.bias.detach().numpy().astype("float64"))
              for m in model if isinstance(m, torch.nn.Linear)]
    return ReLUNetwork(layers, allow_float=True)


def _lines(x: Any, count: int, seed: int) -> list[tuple[list[Fraction], list[Fraction]]]:
    rng = random.Random(seed)
    pts = [[Fraction(float(v)) for v in row] for row in x.tolist()]
    return [tuple(rng.sample(pts, 2)) for _ in range(count)]  # type: ignore[misc]


def _restrict(net: ReLUNetwork, p: Sequence[Fraction], q: Sequence[Fraction]) -> ReLUNetwork:
    (W, b), *rest = net.layers
    slope = [sum((w * (qi - pi) for w, pi, qi in zip(row, p, q)), Fraction(0)) for row in W]
    offset = [sum((w * pi for w, pi in zip(row, p)), bj) for row, bj in zip(W, b)]
    return ReLUNetwork([([[s] for s in slope], offset), *rest])


def _count(task: str, net: ReLUNetwork, lines: list, with_plane: bool) -> dict:
    from ..propagate import propagate

    if task == "regression_1d":
        trace = propagate(net, (-1, 1))
        return {"regions": trace.activation_regions, "pieces": trace.pieces}
    regions = pieces = 0
    for p, q in lines:
        trace = propagate(_restrict(net, p, q), (0, 1))
        regions += trace.activation_regions
        pieces += trace.pieces
    out: dict[str, Any] = {"regions": regions, "pieces": pieces, "lines": len(lines)}
    if with_plane:
        import importlib

        try:
            regions_fn = importlib.import_module("exactrelu.polyhedral").regions
        except (ImportError, AttributeError):
            return out
        box = [(Fraction(-3, 2), Fraction(3, 2))] * 2
        complex_ = regions_fn(net, box)
        out["regions_2d"] = int(complex_.activation_regions)
        out["pieces_2d"] = int(complex_.pieces)
    return out


def train_and_count(task: str, widths: Sequence[int], *, steps: int = 2000, checkpoint_every: int = 100,
                    seed: int = 0, lr: float = 1e-3, points: int = 256, lines: int = 8,
                    plane: bool = True, return_networks: bool = False) -> list[dict]:
    """Train with Adam and count exactly at step 0 and every ``checkpoint_every`` steps.

    Returns one row per checkpoint: ``run``, ``task``, ``step``, ``loss``
    (float32 training loss, a float), exact ``regions``/``pieces`` (ints), ``neurons``,
    ``regions_per_neuron`` (an exact rational as a string) and, for the 2-D
    task with :func:`exactrelu.regions`, ``regions_2d``; with ``return_networks``
    also the checkpoint's exact ``network``.

    The network is initialised as ``nn.Linear`` does (PyTorch's default), from
    ``torch.manual_seed``-free generators seeded by ``seed``.
    """
    if task not in TASKS:
        raise ShapeError(f"task={task!r} must be one of {', '.join(TASKS)}")
    widths = check_widths(widths)
    check_int("steps", steps, 1)
    check_int("checkpoint_every", checkpoint_every, 1)
    torch = _torch()
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(seed)
    n0 = 1 if task == "regression_1d" else 2
    dims = [n0, *widths, 1]
    modules: list[Any] = []
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
        linear = torch.nn.Linear(a, b)
        with torch.no_grad():  # nn.Linear's default law, from our generator
            import math

            torch.nn.init.kaiming_uniform_(linear.weight, a=math.sqrt(5), generator=generator)
            bound = 1 / math.sqrt(a)
            torch.nn.init.uniform_(linear.bias, -bound, bound, generator=generator)
        modules.append(linear)
        if i < len(dims) - 2:
            modules.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*modules)
    x, y = _data(task, torch, generator, points)
    loss_fn = torch.nn.MSELoss() if task == "regression_1d" else torch.nn.BCEWithLogitsLoss()
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    line_list = _lines(x, lines, seed) if task == "classification_2d" else []
    neurons = sum(widths)
    run = f"{task} {'-'.join(map(str, dims))} seed {seed}"
    rows = []
    for step in range(steps + 1):
        if step % checkpoint_every == 0 or step == steps:
            with torch.no_grad():
                loss = float(loss_fn(model(x), y))
            net = checkpoint_network(model)
            counts = _count(task, net, line_list, plane)
            per = Fraction(counts["regions"], neurons * (counts.get("lines") or 1))
            rows.append({"run": run, "task": task, "widths": list(widths), "seed": seed, "step": step,
                         "loss": loss, "neurons": neurons, "regions_per_neuron": str(per), **counts})
            if return_networks:
                rows[-1]["network"] = net
                rows[-1]["lines_used"] = line_list
        if step == steps:
            break
        optimiser.zero_grad()
        loss_t = loss_fn(model(x), y)
        loss_t.backward()
        optimiser.step()
    return rows
