"""Exact integer-column computations behind :mod:`exactrelu.theorems.telgarsky`.

A piecewise-linear function on ``[a, b]`` is held in the column convention of
:mod:`exactrelu._kernels.lines` (homogeneous coordinates): three equal-length
numpy object arrays ``(X, Y, w)`` of Python ints, vertices ``x_i = X_i / w_i``
in increasing order and values ``y_i = Y_i / w_i``; on a bounded interval
every ``w_i > 0`` (``w = 0`` would mark a point at infinity).  The first
and last vertices are ``a`` and ``b``; non-kink vertices are allowed.  Every
operation below is an exact integer operation on whole arrays; floats only
pre-locate points and every float answer is either provably exact (a correctly
rounded quotient is monotone) or re-decided with integers.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm
from typing import Union

import numpy as np

from ..._kernels import lines as K
from ...errors import ShapeError
from ...network import ReLUNetwork
from ...pwl import PiecewiseLinear

__all__ = ["Columns", "FunctionLike", "columns", "network_columns", "pwl_columns", "tent_columns", "to_pwl",
           "locate", "interpolate", "signs_at", "vertex_signs", "crossing_count", "pieces", "reduce"]

Columns = tuple[np.ndarray, np.ndarray, np.ndarray]
FunctionLike = Union[ReLUNetwork, PiecewiseLinear]


def _obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = [int(v) for v in values]
    return out


def reduce(*arrays: np.ndarray) -> list[np.ndarray]:
    """Divide every column of the stacked arrays by its gcd (the last array stays positive)."""
    g = arrays[0]
    for a in arrays[1:]:
        g = np.gcd(g, a)
    g = np.where(g == 0, 1, g)
    return [a // g for a in arrays]


def pwl_columns(f: PiecewiseLinear, a: Fraction, b: Fraction) -> Columns:
    """Columns of a :class:`PiecewiseLinear` restricted to ``[a, b]`` (DomainError if not inside its domain)."""
    xs = [a] + [x for x in f.breakpoints if a < x < b] + [b]
    ys = [f(a)] + [f(x) for x in xs[1:-1]] + [f(b)]
    X, Y, W = [], [], []
    for x, y in zip(xs, ys):
        w = lcm(x.denominator, y.denominator)  # math.lcm: Python ints of any size
        X.append(x.numerator * (w // x.denominator))
        Y.append(y.numerator * (w // y.denominator))
        W.append(w)
    return _obj(X), _obj(Y), _obj(W)


def network_columns(net: ReLUNetwork, a: Fraction, b: Fraction, max_pieces: int | None = None) -> Columns:
    """Columns of a one-input, one-output network on ``[a, b]`` from the exact propagator.

    The propagator's :attr:`~exactrelu.propagate.Trace.output_columns` are in
    the same convention; here they are reduced by their gcd.
    """
    from ...propagate import DEFAULT_MAX_PIECES, propagate

    if net.input_dim != 1 or net.output_dim != 1:
        raise ShapeError(
            f"a network R -> R is needed; this one maps R^{net.input_dim} -> R^{net.output_dim}"
        )
    trace = propagate(net, (a, b), max_pieces=DEFAULT_MAX_PIECES if max_pieces is None else max_pieces)
    cols = trace.output_columns
    X, Y, W = reduce(cols.X.astype(object), cols.Y[0].astype(object), cols.w.astype(object))
    return X, Y, W


def columns(func: FunctionLike, a: Fraction, b: Fraction, max_pieces: int | None = None) -> Columns:
    if isinstance(func, ReLUNetwork):
        return network_columns(func, a, b, max_pieces)
    if isinstance(func, PiecewiseLinear):
        return pwl_columns(func, a, b)
    raise TypeError(f"expected a ReLUNetwork or a PiecewiseLinear, got {type(func).__name__}")


def tent_columns(k: int) -> Columns:
    """Columns of D^k on [0, 1] in closed form: x = i / 2^k, y = i mod 2 (docs/theory.md §2)."""
    n = 1 << k
    i = np.arange(n + 1, dtype=np.int64)
    X = i.astype(object)
    Y = ((i % 2) * n).astype(object)
    W = np.full(n + 1, n, dtype=object)
    return X, Y, W


def locate(Xq: np.ndarray, Wq: np.ndarray, X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """For every query point ``Xq/Wq``: how many of the sorted points ``X/W`` are strictly smaller.

    Float quotients are correctly rounded, hence monotone, so the true answer
    lies between the float ``searchsorted`` left and right answers; where those
    differ (float ties) the answer is decided by exact integer bisection.
    """
    key = (X / W).astype(np.float64)
    qkey = (Xq / Wq).astype(np.float64)
    lo = np.searchsorted(key, qkey, side="left")
    hi = np.searchsorted(key, qkey, side="right")
    result = lo.copy()
    for k in np.nonzero(lo != hi)[0]:
        xq, wq = int(Xq[k]), int(Wq[k])
        left, right = int(lo[k]), int(hi[k])
        while left < right:  # first index with x_i >= xq
            mid = (left + right) // 2
            if int(X[mid]) * wq < xq * int(W[mid]):
                left = mid + 1
            else:
                right = mid
        result[k] = left
    return result


def interpolate(Xq, Wq, X, Y, W, seg):
    """Values at the query points, each inside segment ``seg`` of the columns: ``(num, den)``, den > 0.

    With ``P0, P1`` the segment's end columns, the query is the combination
    ``alpha P0 + beta P1`` with ``alpha = X1 Wq - Xq W1 >= 0``,
    ``beta = Xq W0 - X0 Wq >= 0``, and its value is
    ``(alpha Y0 + beta Y1) / (Wq (X1 W0 - X0 W1))``.
    """
    X0, X1, W0, W1 = X[seg], X[seg + 1], W[seg], W[seg + 1]
    alpha = X1 * Wq - Xq * W1
    beta = Xq * W0 - X0 * Wq
    assert not ((alpha < 0) | (beta < 0)).any(), "query outside its segment"
    num = alpha * Y[seg] + beta * Y[seg + 1]
    lam = X1 * W0 - X0 * W1
    return num, Wq * lam, lam


def signs_at(Xq: np.ndarray, Wq: np.ndarray, cols: Columns, level: Fraction) -> np.ndarray:
    """Sign of ``g - level`` at the query points (int8), ``g`` given by its columns."""
    X, Y, W = cols
    pos = locate(Xq, Wq, X, W)
    seg = np.clip(pos - 1, 0, X.shape[0] - 2)
    num, den, _ = interpolate(Xq, Wq, X, Y, W, seg)
    d = num * level.denominator - den * level.numerator
    return ((d > 0).astype(np.int8) - (d < 0).astype(np.int8))


def vertex_signs(cols: Columns, level: Fraction) -> np.ndarray:
    X, Y, W = cols
    d = Y * level.denominator - W * level.numerator
    return ((d > 0).astype(np.int8) - (d < 0).astype(np.int8))


def crossing_count(cols: Columns, level: Fraction) -> int:
    """Cr: maximal intervals of constant ``1[g >= level]`` on the columns' interval.

    The set ``{g >= level}`` has one closed component per maximal run of
    consecutive vertices with ``g >= level`` (an affine segment between two
    such vertices stays in the set; between a vertex inside and one outside it
    leaves once).  With r components, Cr = 2r + 1 minus one for each end of
    the interval lying in the set (Cr = 1 if r = 0).
    """
    s = vertex_signs(cols, level) >= 0
    runs = int(s[0]) + int(np.count_nonzero(s[1:] & ~s[:-1]))
    if runs == 0:
        return 1
    return 2 * runs + 1 - int(s[0]) - int(s[-1])


def pieces(cols: Columns) -> int:
    """Affine pieces on the columns' interval (1 + kinks)."""
    X, Y, W = cols
    return K.count_kinks(X, Y, W) + 1


def to_pwl(cols: Columns) -> PiecewiseLinear:
    X, Y, W = cols
    return PiecewiseLinear(
        [(Fraction(int(x), int(w)), Fraction(int(y), int(w))) for x, y, w in zip(X, Y, W)]
    )


#: Largest common denominator for which the int64 fast path is attempted.
_MAX_COMMON = 1 << 31
_INT64_SAFE = 1 << 62
