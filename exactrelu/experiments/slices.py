"""Exact restriction of a network to a line or a plane through data-like points.

For a network with input dimension n, the line ``x(t) = p + t (q - p)``
turns the first layer ``W x + b`` into ``(W (q - p)) t + (W p + b)``: a
network with one input whose counts on ``t in [0, 1]`` are the counts along
the segment from p to q (Hanin and Rolnick (2019a), Section 3, count regions
along lines through data points).  The products are computed exactly: a
float32 weight is an integer mantissa times a power of two, so ``W v`` is an
integer matrix product over one common power of two.

The data-like points are synthetic images (``n = s^2``: discs of random
grey levels on an s x s grid) or signals (otherwise: random bumps), with
pixel values k/255 like an 8-bit image, drawn with ``random.Random`` so they
are the same on every platform.  No data set is downloaded.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import isqrt
from typing import Any, Sequence

import numpy as np

from ..network import ReLUNetwork

__all__ = ["data_points", "restrict_to_line", "restrict_to_plane", "exact_matvec", "PIXEL_DENOMINATOR"]

#: Data-like points have coordinates k / 255 (8-bit grey levels).
PIXEL_DENOMINATOR = 255


def data_points(input_dim: int, count: int, rng: random.Random) -> list[list[int]]:
    """``count`` data-like points as integer vectors (divide by :data:`PIXEL_DENOMINATOR`).

    >>> pts = data_points(16, 2, random.Random(0))
    >>> len(pts), len(pts[0]), all(0 <= v <= 255 for p in pts for v in p)
    (2, 16, True)
    """
    side = isqrt(input_dim)
    points = []
    for _ in range(count):
        pixels = [0] * input_dim
        for _ in range(rng.randint(1, 3)):
            level = rng.randint(64, 255)
            if side * side == input_dim and side > 1:
                ci, cj = rng.randrange(side), rng.randrange(side)
                r2 = rng.randint(1, max(1, (side * side) // 4))
                for i in range(side):
                    for j in range(side):
                        if (i - ci) ** 2 + (j - cj) ** 2 <= r2:
                            k = i * side + j
                            pixels[k] = max(pixels[k], level)
            else:
                centre, half = rng.randrange(input_dim), rng.randint(0, max(1, input_dim // 4))
                for k in range(max(0, centre - half), min(input_dim, centre + half + 1)):
                    value = level - (level * abs(k - centre)) // (half + 1)
                    pixels[k] = max(pixels[k], value)
        points.append(pixels)
    return points


def exact_matvec(weight: Any, vector: Sequence[int], denominator: int = 1) -> list[Fraction]:
    """``W v / denominator`` exactly, for W a float array (any binary float) or nested Fractions.

    >>> exact_matvec(np.array([[0.1, 0.5]], dtype=np.float32), [1, 2], 3)[0] == (Fraction(float(np.float32(0.1))) + 1) / 3
    True
    """
    v = [int(x) for x in vector]
    if isinstance(weight, np.ndarray) and weight.dtype.kind == "f":
        w64 = weight.astype(np.float64)
        if not np.isfinite(w64).all():
            from ..errors import InvalidRationalError

            raise InvalidRationalError("a weight is NaN or infinite", value=None, where="W")
        mant, expo = np.frexp(w64)
        ints = (mant * float(1 << 53)).astype(np.int64)  # exact: |mant| < 1 has 53 bits
        expo = expo.astype(np.int64) - 53
        nonzero = ints != 0
        if not nonzero.any():
            return [Fraction(0)] * weight.shape[0]
        base = int(expo[nonzero].min())
        shifts = np.where(nonzero, expo - base, 0)
        big = ints.astype(object) << shifts.astype(object)  # exact Python ints
        totals = big.dot(np.array(v, dtype=object))
        scale = Fraction(2) ** base / denominator
        return [Fraction(int(t)) * scale for t in totals]
    return [sum((Fraction(w) * x for w, x in zip(row, v) if x), Fraction(0)) / denominator for row in weight]


def _first_layer(layers: Sequence[tuple[Any, Any]]):
    weight, bias = layers[0]
    bias_exact = [Fraction(float(b)) if isinstance(b, (float, np.floating)) else Fraction(b) for b in bias]
    return weight, bias_exact


def _rest(layers: Sequence[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    rest = []
    for weight, bias in layers[1:]:
        if isinstance(weight, np.ndarray):
            rest.append((weight.astype(np.float64), np.asarray(bias).astype(np.float64)))
        else:
            rest.append((weight, bias))
    return rest


def _build(first: tuple[list[list[Fraction]], list[Fraction]], rest: list) -> ReLUNetwork:
    return ReLUNetwork([first, *rest], allow_float=True)


def restrict_to_line(layers: Sequence[tuple[Any, Any]], p: Sequence[int], q: Sequence[int],
                     denominator: int = PIXEL_DENOMINATOR) -> ReLUNetwork:
    """The one-input network ``t -> net(p + t (q - p))`` (points given as integers over ``denominator``)."""
    weight, bias = _first_layer(layers)
    direction = [b - a for a, b in zip(p, q)]
    slope = exact_matvec(weight, direction, denominator)
    offset = [c + b for c, b in zip(exact_matvec(weight, p, denominator), bias)]
    return _build(([[s] for s in slope], offset), _rest(layers))


def restrict_to_plane(layers: Sequence[tuple[Any, Any]], p: Sequence[int], q: Sequence[int],
                      r: Sequence[int], denominator: int = PIXEL_DENOMINATOR) -> ReLUNetwork:
    """The two-input network ``(s, t) -> net(p + s (q - p) + t (r - p))``."""
    weight, bias = _first_layer(layers)
    d1 = [b - a for a, b in zip(p, q)]
    d2 = [c - a for a, c in zip(p, r)]
    col1 = exact_matvec(weight, d1, denominator)
    col2 = exact_matvec(weight, d2, denominator)
    offset = [c + b for c, b in zip(exact_matvec(weight, p, denominator), bias)]
    return _build(([[a, b] for a, b in zip(col1, col2)], offset), _rest(layers))
