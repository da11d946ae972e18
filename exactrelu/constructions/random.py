"""The one random-network generator: :func:`random_network` (and :func:`random_layers` below it).

Every random network of the library comes from here: the theorem report's
differential checks, the counterexample search's network space, the Telgarsky
search's random starts and the benchmarks.  What differs between them is only
how one entry is drawn, passed as ``value(rng, fan_in, is_bias)``; entries are
drawn layer by layer, the rows of ``W`` first (row-major), then ``b``, so a
seed fixes the network.  The default draw is :func:`grid_value`: a small
rational ``p/q`` (``|p| <= 6``, ``1 <= q <= 4``), a fifth of the time 0 or
+-1 (dead units, ties).
"""

from __future__ import annotations

import random as _random
from fractions import Fraction
from typing import Any, Callable, Sequence

from .._validate import check_int, check_widths
from ..network import ReLUNetwork, check_weights, dims_weights
from ..rationals import RationalLike

__all__ = ["grid_value", "random_layers", "random_network"]

#: ``value(rng, fan_in, is_bias)``: one entry of a random network.
ValueDraw = Callable[[Any, int, bool], RationalLike]


def grid_value(rng: Any, max_numerator: int = 6, max_denominator: int = 4) -> Fraction:
    """A random grid rational ``p/q``; a fifth of the draws are 0 or +-1 (structure: dead units, ties).

    >>> grid_value(_random.Random(0)).denominator <= 4
    True
    """
    if rng.random() < 0.2:
        return Fraction(rng.choice((0, 1, -1)))
    q = rng.randint(1, max_denominator)
    return Fraction(rng.randint(-max_numerator, max_numerator), q)


def random_layers(dims: Sequence[int], value: Callable[[int, bool], RationalLike]) -> list[tuple[list, list]]:
    """Layers ``(W, b)`` as lists for the layer sizes ``dims = (n_0, m_1, ..., m_L, n_out)``.

    ``value(fan_in, is_bias)`` draws one entry; W row-major first, then b, layer by layer.
    """
    layers = []
    for n_in, n_out in zip(dims[:-1], dims[1:]):
        W = [[value(n_in, False) for _ in range(n_in)] for _ in range(n_out)]
        b = [value(n_in, True) for _ in range(n_out)]
        layers.append((W, b))
    return layers


def random_network(
    widths: Sequence[int],
    *,
    input_dim: int = 1,
    output_dim: int = 1,
    rng: Any = None,
    seed: int | None = None,
    value: ValueDraw | None = None,
    max_numerator: int = 6,
    max_denominator: int = 4,
) -> ReLUNetwork:
    """A random exact network with hidden ``widths``.

    Parameters
    ----------
    widths : sequence of int
        Hidden widths (at least one layer).
    input_dim, output_dim : int
    rng : random.Random or numpy.random.Generator, optional
        The source of randomness; default ``random.Random(seed)``.
    seed : int, optional
        Used when ``rng`` is not given (default 0).
    value : callable, optional
        ``value(rng, fan_in, is_bias)`` draws one entry (int, Fraction or str);
        default :func:`grid_value` with ``max_numerator`` / ``max_denominator``.

    Examples
    --------
    >>> net = random_network((3, 2), seed=1)
    >>> net.widths, net == random_network((3, 2), seed=1)
    ((3, 2), True)
    """
    ws = check_widths(widths)
    n0 = check_int("input_dim", input_dim, 1)
    n_out = check_int("output_dim", output_dim, 1)
    check_weights(dims_weights((n0, *ws, n_out)), what="random network")
    if rng is None:
        rng = _random.Random(0 if seed is None else seed)
    draw: ValueDraw
    if value is None:
        check_int("max_numerator", max_numerator, 0)
        check_int("max_denominator", max_denominator, 1)

        def draw(r: Any, fan_in: int, is_bias: bool) -> RationalLike:
            return grid_value(r, max_numerator, max_denominator)
    else:
        draw = value
    return ReLUNetwork(random_layers((n0, *ws, n_out), lambda fan_in, is_bias: draw(rng, fan_in, is_bias)))
