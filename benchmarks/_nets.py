"""Networks the benchmarks run on, each as exact layers and as float layers.

Every builder returns a :class:`BenchNet`: the exact layers (ints and
Fractions, PyTorch orientation, ReLU after every layer but the last), the same
weights as float64 numpy arrays (for the float64 twin and for regioncam), the
input domain, and the exact piece count when it is known in closed form.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from exactrelu.constructions import random_network

__all__ = ["BenchNet", "tent_map", "random_dyadic_net", "random_float32_net"]


@dataclass(frozen=True)
class BenchNet:
    name: str
    exact_layers: list  # [(W, b)] with int / Fraction entries
    float_layers: list  # [(np.ndarray, np.ndarray)] float64
    domain: tuple  # (lo, hi), exact
    expected_pieces: int | None = None
    # True when float_layers hold exactly the same numbers as exact_layers
    floats_exact: bool = True


def _to_float_layers(layers) -> list:
    return [
        (np.array([[float(v) for v in row] for row in w]), np.array([float(v) for v in b]))
        for w, b in layers
    ]


def tent_map(k: int) -> BenchNet:
    """D^k, the tent map composed k times (docs/theory.md §2): 2^k pieces on [0, 1].

    Hidden layer 1 computes relu(x), relu(2x - 1); hidden layers 2..k apply the
    same two units to D(previous) = 2 relu(x) - 2 relu(2x - 1); the output is
    2 h_1 - 2 h_2.
    """
    if k < 1:
        raise ValueError(f"k={k} must be >= 1")
    layers = [([[1], [2]], [0, -1])]
    layers += [([[2, -2], [4, -4]], [0, -1]) for _ in range(k - 1)]
    layers.append(([[2, -2]], [0]))
    return BenchNet(
        name=f"tent k={k}",
        exact_layers=layers,
        float_layers=_to_float_layers(layers),
        domain=(Fraction(0), Fraction(1)),
        expected_pieces=2**k,
    )


def _he_entry(rng: np.random.Generator, fan_in: int, is_bias: bool) -> float:
    """One He-normal weight N(0, 2/fan_in), or a bias N(0, 0.01)."""
    return float(rng.standard_normal() * (0.1 if is_bias else np.sqrt(2.0 / fan_in)))


def random_dyadic_net(
    widths=(32, 32, 32), *, seed: int = 0, denominator: int = 64, domain=(-1, 1)
) -> BenchNet:
    """A 1-w1-...-wL-1 net with He-normal-like weights rounded to multiples of 1/denominator.

    Small-denominator rationals: every weight and bias is n/denominator, so the
    float64 copy is the same numbers exactly (for a power-of-two denominator).
    Drawn by exactrelu's one generator, :func:`exactrelu.constructions.random_network`.
    """
    def entry(rng: np.random.Generator, fan_in: int, is_bias: bool) -> Fraction:
        return Fraction(int(np.rint(_he_entry(rng, fan_in, is_bias) * denominator)), denominator)

    net = random_network(widths, rng=np.random.default_rng(seed), value=entry)
    layers = [([list(row) for row in w], list(b)) for w, b in net.layers]
    lo, hi = (Fraction(v) for v in domain)
    return BenchNet(
        name=f"random 1-{'-'.join(map(str, widths))}-1 dyadic/{denominator} seed={seed}",
        exact_layers=layers,
        float_layers=_to_float_layers(layers),
        domain=(lo, hi),
        floats_exact=(denominator & (denominator - 1)) == 0,
    )


def random_float32_net(widths=(32, 32, 32), *, seed: int = 0, domain=(-1, 1)) -> BenchNet:
    """The same kind of net with float32 He-normal weights, converted to rationals exactly.

    Each float32 is a dyadic rational with a denominator up to 2^149 (in
    practice about 2^30 here); this is what a trained PyTorch net looks like to
    the exact code.  The float layers hold the same float32 values.
    """
    def entry(rng: np.random.Generator, fan_in: int, is_bias: bool) -> Fraction:
        return Fraction(float(np.float32(_he_entry(rng, fan_in, is_bias))))

    net = random_network(widths, rng=np.random.default_rng(seed), value=entry)
    layers = [([list(row) for row in w], list(b)) for w, b in net.layers]
    lo, hi = (Fraction(v) for v in domain)
    return BenchNet(
        name=f"random 1-{'-'.join(map(str, widths))}-1 float32 seed={seed}",
        exact_layers=layers,
        float_layers=_to_float_layers(layers),
        domain=(lo, hi),
    )
