"""Integer-column kernels of the breakpoint propagator (private).

A point of the (projectively closed) real line is an integer column
``(X, H_1, ..., H_m, w)`` with ``x = X / w`` and unit values ``h_j = H_j / w``;
``w > 0`` for finite points and ``w = 0`` for the two points at infinity,
whose ``(X, H)`` is the direction of travel (``X = -1`` at -inf, ``+1`` at
+inf, ``H`` the rate of change of each unit along the ray).  Every operation
of a layer is linear in the column, so points at infinity need no special case.

Arrays are int64 while a bound computed beforehand proves no intermediate
overflows, and dtype=object (Python ints) otherwise; :func:`choose` makes that
choice, so callers never see the difference.  Float64 arrays run the same
algorithm for benchmarking (no gcd, no exact checks).
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

#: Largest magnitude an int64 intermediate may reach.
INT64_LIMIT = 1 << 62
#: Columns whose entries all stay below this are not searched for odd common factors.
SMALL_ENTRY = 1 << 31


def max_abs(a: np.ndarray) -> int:
    """max |a| as a Python int (0 for an empty array)."""
    if a.size == 0:
        return 0
    if a.size <= 64:  # small arrays: one Python pass beats two numpy reductions
        return int(max(map(abs, a.ravel().tolist())))
    return max(abs(int(a.max())), abs(int(a.min())))


def choose(bound: int, *arrays: np.ndarray) -> list[np.ndarray]:
    """Cast ``arrays`` to int64 if ``bound < 2**62`` and every entry fits, else to object (exact Python ints)."""
    if arrays and arrays[0].dtype == np.float64:
        return list(arrays)
    target = np.int64 if bound < INT64_LIMIT else object
    if target is np.int64 and any(a.dtype == object and max_abs(a) >= INT64_LIMIT for a in arrays):
        target = object  # the operands themselves are too large, whatever the bound says
    return [a if a.dtype == target else a.astype(target) for a in arrays]


def shrink(*arrays: np.ndarray) -> list[np.ndarray]:
    """Return object arrays to int64 when every entry fits comfortably."""
    if not arrays or arrays[0].dtype != object:
        return list(arrays)
    bound = max((max_abs(a) for a in arrays), default=0)
    if bound < (1 << 60):
        return [a.astype(np.int64) for a in arrays]
    return list(arrays)


def reduce_columns(X: np.ndarray, H: np.ndarray, w: np.ndarray, extra: np.ndarray | None = None) -> None:
    """Divide every column ``(X, H_1..H_m, w)`` by its gcd, IN PLACE (columns are never all zero).

    int64 columns always lose their common power of two (bitwise, cheap); the
    full gcd is taken when some entry reaches ``SMALL_ENTRY`` (2^31), so
    entries stay small while the common dyadic case (tent maps, dyadic
    weights) never pays for ``np.gcd``.  Reduction only bounds the size of the
    integers; every value x = X/w, h = H/w is exact either way.

    ``extra`` holds rows that are integer-linear in the column (a layer's
    pre-activations ``Z = W H + b w``), so they are divisible by the same gcd
    and are divided too.  The gcd is ``g = gcd(X, w)`` refined by the rows of H;
    for int64 a cheap divisibility test (``H % g == 0``) settles most columns,
    and only the others pay for further gcd passes.
    """
    if X.dtype == np.float64:
        return
    if X.dtype == np.int64:
        # strip the common power of two first: bitwise, far cheaper than gcd
        bits = X | w
        for row in H:
            bits = bits | row
        low = bits & -bits  # lowest set bit of every column (columns are never all zero)
        if (low != 1).any():
            X //= low
            w //= low
            H //= low
            if extra is not None:
                extra //= low
        if max(max_abs(X), max_abs(w), max_abs(H)) < SMALL_ENTRY:
            return  # small entries: an odd common factor costs more to find than it saves
    g = np.gcd(X, w)
    idx = np.flatnonzero(g != 1)
    if idx.size == 0:
        return
    gi = g[idx]
    Hs = H[:, idx]
    if gi.dtype == object:
        undecided = np.arange(idx.size)
    else:
        undecided = np.flatnonzero(~(Hs % gi == 0).all(axis=0))
    if undecided.size:
        gs = gi[undecided]
        for row in Hs[:, undecided]:
            gs = np.gcd(gs, row)
        gi[undecided] = gs
    big = gi != 1
    if not big.all():
        idx, gi = idx[big], gi[big]
    X[idx] //= gi
    w[idx] //= gi
    H[:, idx] //= gi
    if extra is not None:
        extra[:, idx] //= gi


def reduced_slopes(X: np.ndarray, Y: np.ndarray, w: np.ndarray):
    """Slopes of consecutive segments as reduced ``(num, den)`` pairs, ``den > 0``.

    Two segments have the same slope iff their pairs are equal, so kinks are
    found without any multiplication of degree above two.
    """
    num = Y[1:] * w[:-1] - Y[:-1] * w[1:]
    den = X[1:] * w[:-1] - X[:-1] * w[1:]
    if num.dtype == np.float64:
        with np.errstate(divide="ignore", invalid="ignore"):
            return num / den, np.ones_like(den)
    g = np.gcd(num, den)
    return num // g, den // g


def slope_dtype_bound(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> int:
    """Bound on the intermediates of :func:`reduced_slopes`."""
    mw = max_abs(w)
    return 2 * max(max_abs(Y), max_abs(X)) * mw + 1


def count_kinks(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> int:
    """Number of interior columns at which the function through ``(X/w, Y/w)`` bends."""
    if X.shape[0] < 3:
        return 0
    X, Y, w = choose(slope_dtype_bound(X, Y, w), X, Y, w)
    num, den = reduced_slopes(X, Y, w)
    return int(np.count_nonzero((num[1:] != num[:-1]) | (den[1:] != den[:-1])))


def kink_mask(X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Boolean mask over interior columns (length n-2): True where the function bends."""
    if X.shape[0] < 3:
        return np.zeros(0, dtype=bool)
    X, Y, w = choose(slope_dtype_bound(X, Y, w), X, Y, w)
    num, den = reduced_slopes(X, Y, w)
    return (num[1:] != num[:-1]) | (den[1:] != den[:-1])


def sign(a: np.ndarray) -> np.ndarray:
    """Signs as int8 (works for int64, object and float arrays)."""
    return ((a > 0).astype(np.int8) - (a < 0).astype(np.int8))


def on_pattern(Z: np.ndarray) -> np.ndarray:
    """On/off of every unit on every open segment between consecutive columns.

    Between two consecutive columns no unit crosses zero strictly, so both
    ends have the same weak sign and any positive combination decides it.
    """
    return (sign(Z[:, :-1]) + sign(Z[:, 1:])) > 0
