"""Initialisations of a sweep, drawn exactly as they are used and converted exactly.

``he_normal``, ``he_uniform``, ``torch_default``
    PyTorch's own draws: ``torch.nn.init`` on float32 tensors with a
    ``torch.Generator`` seeded by the network's seed, layer by layer, weight
    then bias (He et al. (2015), Section 2.2; PyTorch ``nn.Linear.reset_parameters``
    for ``torch_default``).  Needs the torch extra.
``he_normal_numpy``, ``he_uniform_numpy``
    The same distributions in float32 with numpy's PCG64 generator: a
    *different random stream* (other numbers, same law), for machines without torch.
``grid_uniform``
    An exact rational distribution: weights k/q with k uniform on
    ``[-K, K]``, K = floor(q sqrt(6 / fan_in)) (He-uniform's bound rounded down
    to the grid), biases k/q^2 with k uniform on ``[-q, q]``; Python's
    ``random.Random`` (Mersenne Twister), so the draw is the same everywhere.

Every float32 weight is converted to the rational it denotes (exactly, see
:meth:`exactrelu.ReLUNetwork.from_numpy`); nothing is rounded after the draw.
Biases of ``he_*`` are normal with standard deviation ``bias_std`` (Hanin and
Rolnick (2019a), Section 3, use variance 10^-6).
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import isqrt
from typing import Any, Sequence

import numpy as np

from ..errors import ShapeError

__all__ = ["draw_layers", "float_layers", "grid_layers", "TORCH_INITS", "NUMPY_INITS"]

#: Initialisations drawn with torch.
TORCH_INITS = ("he_normal", "he_uniform", "torch_default")
#: Their numpy float32 reproductions (a different random stream).
NUMPY_INITS = ("he_normal_numpy", "he_uniform_numpy")

FloatLayers = list[tuple[np.ndarray, np.ndarray]]


def _dims(widths: Sequence[int], input_dim: int, output_dim: int) -> list[int]:
    return [input_dim, *widths, output_dim]


def _torch_layers(widths: Sequence[int], input_dim: int, init: str, seed: int, bias_std: float,
                  output_dim: int) -> FloatLayers:
    try:
        import torch
    except ImportError:
        raise ShapeError(f"init={init!r} needs torch (pip install 'exactrelu[torch]'); "
                         f"{init}_numpy draws the same law without it") from None
    import math

    generator = torch.Generator().manual_seed(seed)
    dims = _dims(widths, input_dim, output_dim)
    layers = []
    for fan_in, fan_out in zip(dims[:-1], dims[1:]):
        weight = torch.empty(fan_out, fan_in, dtype=torch.float32)
        bias = torch.empty(fan_out, dtype=torch.float32)
        if init == "he_normal":
            torch.nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="relu", generator=generator)
            torch.nn.init.normal_(bias, 0.0, bias_std, generator=generator)
        elif init == "he_uniform":
            torch.nn.init.kaiming_uniform_(weight, mode="fan_in", nonlinearity="relu", generator=generator)
            torch.nn.init.normal_(bias, 0.0, bias_std, generator=generator)
        else:  # torch_default: nn.Linear.reset_parameters
            torch.nn.init.kaiming_uniform_(weight, a=math.sqrt(5), generator=generator)
            bound = 1 / math.sqrt(fan_in)
            torch.nn.init.uniform_(bias, -bound, bound, generator=generator)
        layers.append((weight.numpy().copy(), bias.numpy().copy()))
    return layers


def _numpy_layers(widths: Sequence[int], input_dim: int, init: str, seed: int, bias_std: float,
                  output_dim: int) -> FloatLayers:
    rng = np.random.default_rng(seed)
    dims = _dims(widths, input_dim, output_dim)
    layers = []
    for fan_in, fan_out in zip(dims[:-1], dims[1:]):
        if init == "he_normal_numpy":
            std = np.float32(np.sqrt(2.0 / fan_in))
            weight = rng.standard_normal((fan_out, fan_in), dtype=np.float32) * std
        else:
            bound = np.float32(np.sqrt(6.0 / fan_in))
            weight = rng.random((fan_out, fan_in), dtype=np.float32) * (2 * bound) - bound
        bias = rng.standard_normal(fan_out, dtype=np.float32) * np.float32(bias_std)
        layers.append((weight.astype(np.float32), bias.astype(np.float32)))
    return layers


def float_layers(widths: Sequence[int], input_dim: int, init: str, seed: int, *,
                 bias_std: Any = Fraction(1, 1000), output_dim: int = 1) -> FloatLayers:
    """The float32 layers ``[(W, b), ...]`` (W of shape (out, in)) of a float initialisation.

    >>> a = float_layers((4,), 1, "he_normal_numpy", 7)
    >>> b = float_layers((4,), 1, "he_normal_numpy", 7)
    >>> a[0][0].dtype, bool((a[0][0] == b[0][0]).all())
    (dtype('float32'), True)
    """
    std = float(Fraction(bias_std))
    if init in TORCH_INITS:
        return _torch_layers(widths, input_dim, init, seed, std, output_dim)
    if init in NUMPY_INITS:
        return _numpy_layers(widths, input_dim, init, seed, std, output_dim)
    raise ShapeError(f"init={init!r} is not a float initialisation ({', '.join(TORCH_INITS + NUMPY_INITS)})")


def grid_layers(widths: Sequence[int], input_dim: int, seed: int, *, denominator: int = 16,
                output_dim: int = 1) -> list[tuple[list[list[Fraction]], list[Fraction]]]:
    """Exact rational layers of ``grid_uniform`` (weights k/q, biases k/q^2, see the module doc).

    >>> layers = grid_layers((3,), 1, 0, denominator=4)
    >>> all(w.denominator in (1, 2, 4) for row in layers[0][0] for w in row)
    True
    """
    q = denominator
    rng = random.Random(seed)
    dims = _dims(widths, input_dim, output_dim)
    layers = []
    for fan_in, fan_out in zip(dims[:-1], dims[1:]):
        bound = isqrt((6 * q * q) // fan_in)  # floor(q sqrt(6/fan_in)), exactly
        bound = max(bound, 1)
        weight = [[Fraction(rng.randint(-bound, bound), q) for _ in range(fan_in)] for _ in range(fan_out)]
        bias = [Fraction(rng.randint(-q, q), q * q) for _ in range(fan_out)]
        layers.append((weight, bias))
    return layers


def draw_layers(widths: Sequence[int], input_dim: int, init: str, seed: int, *,
                bias_std: Any = Fraction(1, 1000), grid_denominator: int = 16,
                output_dim: int = 1) -> list[tuple[Any, Any]]:
    """The layers of one network: float32 arrays for float inits, Fraction lists for ``grid_uniform``."""
    if init == "grid_uniform":
        return list(grid_layers(widths, input_dim, seed, denominator=grid_denominator, output_dim=output_dim))
    return list(float_layers(widths, input_dim, init, seed, bias_std=bias_std, output_dim=output_dim))
