"""Exact networks to float weights: representability, rounding, and its exact cost.

A rational is representable in float32 (float64) exactly when it is a dyadic
``m * 2^e`` whose odd part fits the 24 (53) bit significand and whose
exponent is in range (subnormals included); the check here is exact:
round-trip the value through the dtype and compare as Fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import DomainError, ShapeError
from ..network import ReLUNetwork
from .._validate import parse_domain as _parse_domain
from ._common import NotRepresentableError

__all__ = ["RoundingReport", "round_network", "float_layers", "representable"]

_DTYPES = {"float32": np.float32, "float64": np.float64}
_ROUND_MODES = (None, "nearest")


def _numpy_dtype(dtype: str) -> Any:
    if dtype not in _DTYPES:
        raise ShapeError(f"dtype={dtype!r} must be 'float32' or 'float64'")
    return _DTYPES[dtype]


def _nearest(value: Fraction, np_type: Any) -> Any:
    """The float of ``np_type`` nearest to ``value`` (ties to even), decided exactly.

    ``float(Fraction)`` is correctly rounded to float64; casting that to float32
    may round twice, so the float32 candidate and both neighbours are compared
    exactly and the nearest kept.
    """
    name = np.dtype(np_type).name
    try:
        nearest64 = value.numerator / value.denominator  # correctly rounded (int true division)
    except OverflowError:
        raise NotRepresentableError(f"{value} overflows {name}", value=value, where="", dtype=name) from None
    with np.errstate(over="ignore"):
        candidate = np_type(nearest64)
    if not np.isfinite(candidate):
        raise NotRepresentableError(
            f"{value} overflows {name}", value=value, where="", dtype=name
        )
    best = candidate
    best_err = abs(Fraction(float(candidate)) - value)
    for direction in (np_type(-np.inf), np_type(np.inf)):
        other = np.nextafter(candidate, direction)
        if not np.isfinite(other):
            continue
        err = abs(Fraction(float(other)) - value)
        if err < best_err or (err == best_err and int(other.view(_int_view(np_type))) % 2 == 0):
            best, best_err = other, err
    return best


def _int_view(np_type: Any) -> Any:
    return np.uint32 if np_type is np.float32 else np.uint64


def representable(value: Fraction, dtype: str = "float32") -> bool:
    """True when ``value`` is exactly a ``dtype`` float.

    >>> representable(Fraction(3, 8)), representable(Fraction(1, 3)), representable(Fraction(2**24 + 1))
    (True, False, False)
    >>> representable(Fraction(2**24 + 1), "float64")
    True
    """
    np_type = _numpy_dtype(dtype)
    if value.denominator & (value.denominator - 1):
        return False  # not dyadic
    try:
        candidate = _nearest(value, np_type)
    except NotRepresentableError:
        return False
    return Fraction(float(candidate)) == value


def float_layers(
    net: ReLUNetwork, *, dtype: str = "float32", round: str | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``net``'s layers as ``dtype`` arrays, exactly or (``round="nearest"``) rounded.

    Raises
    ------
    NotRepresentableError
        Without ``round``, at the first weight with no exact ``dtype`` value
        (also with ``round`` when a weight overflows the dtype).
    ShapeError
        Unknown ``dtype`` or ``round``.
    """
    np_type = _numpy_dtype(dtype)
    if round not in _ROUND_MODES:
        raise ShapeError(f"round={round!r} must be None (exact or error) or 'nearest'")
    result = []
    for index, (weight, bias) in enumerate(net.layers):
        W = np.array(
            [[_to_float(v, np_type, dtype, round, f"W[{index}][{r}][{c}]") for c, v in enumerate(row)]
             for r, row in enumerate(weight)],
            dtype=np_type,
        )
        b = np.array([_to_float(v, np_type, dtype, round, f"b[{index}][{r}]") for r, v in enumerate(bias)], dtype=np_type)
        result.append((W, b))
    return result


def _to_float(value: Fraction, np_type: Any, dtype: str, round: str | None, where: str) -> Any:
    """``value`` as a ``np_type`` float: exactly, or rounded to nearest with ``round``."""
    try:
        with np.errstate(over="ignore"):
            candidate = np_type(value.numerator / value.denominator)
        finite = bool(np.isfinite(candidate))
    except OverflowError:
        finite = False
    if not finite:
        raise NotRepresentableError(f"{where}={value} overflows {dtype}", value=value, where=where, dtype=dtype)
    if Fraction(float(candidate)) == value:
        return candidate
    if round is None:
        raise NotRepresentableError(
            f"{where}={value} is not exactly a {dtype}; pass round='nearest' to round it "
            "(round_network reports the exact cost)",
            value=value, where=where, dtype=dtype,
        )
    return _nearest(value, np_type)


@dataclass(frozen=True)
class RoundingReport:
    """How far rounding a network to a float dtype moves it, exactly.

    Attributes
    ----------
    network : ReLUNetwork
        The exact network.
    rounded : ReLUNetwork
        Its weights rounded to ``dtype`` (every weight now exactly a ``dtype`` float).
    dtype, mode : str
    changed : int
        How many weights and biases changed.
    max_weight_change : Fraction
        ``max |w - round(w)|`` over all weights and biases (0 when exact).
    domain : tuple of (lo, hi) or None
        The bounded box (one interval per input) the sup distance was measured on.
    sup_distance : Fraction or None
        ``max over the domain and every output of |net(x) - rounded(x)|``,
        exact (:func:`sup_distance` of ``net - rounded``); None when no domain
        was given.
    """

    network: ReLUNetwork
    rounded: ReLUNetwork
    dtype: str
    mode: str
    changed: int
    max_weight_change: Fraction
    domain: tuple[tuple[Fraction, Fraction], ...] | None
    sup_distance: Fraction | None

    @property
    def exact(self) -> bool:
        """True when nothing changed."""
        return self.changed == 0

    def to_dict(self) -> dict:
        return {
            "format": "exactrelu-rounding-report",
            "version": 1,
            "dtype": self.dtype,
            "mode": self.mode,
            "exact": self.exact,
            "changed": self.changed,
            "max_weight_change": str(self.max_weight_change),
            "domain": None if self.domain is None else [[str(lo), str(hi)] for lo, hi in self.domain],
            "sup_distance": None if self.sup_distance is None else str(self.sup_distance),
        }


def _box(domain: Any, dim: int) -> tuple[tuple[Fraction, Fraction], ...]:
    """A bounded domain: ``(lo, hi)`` for one input, ``[(lo_1, hi_1), ..., (lo_n, hi_n)]`` for n."""
    if dim == 1 and isinstance(domain, (tuple, list)) and len(domain) == 2 and not isinstance(domain[0], (tuple, list)):
        pairs: Any = [domain]
    else:
        pairs = domain
    try:
        pairs = list(pairs)
    except TypeError:
        raise DomainError(f"domain={domain!r} must be (lo, hi) or a list of (lo, hi) pairs") from None
    if len(pairs) != dim:
        raise DomainError(f"domain={domain!r} has {len(pairs)} intervals; the network has {dim} inputs")
    box = []
    for i, pair in enumerate(pairs):
        lo, hi = _parse_domain(pair, names=(f"domain[{i}] lower end", f"domain[{i}] upper end"))
        if lo is None or hi is None:
            raise DomainError(f"domain={domain!r}: the sup distance needs bounded intervals")
        box.append((lo, hi))
    return tuple(box)


def sup_distance(f: ReLUNetwork, g: ReLUNetwork, domain: Any, *, max_regions: int = 1 << 16) -> Fraction:
    """Exact ``max over the box and every output k of |f_k(x) - g_k(x)|``.

    The difference ``f - g`` is one ReLU network, affine on each of its
    activation regions, so the sup of its absolute value is attained at a
    vertex of a region.  One input: the breakpoints and ends from
    :func:`exactrelu.propagate.propagate`; n inputs (a box
    ``[(lo_1, hi_1), ...]``): the region vertices from
    :func:`exactrelu.polyhedral.regions` (``max_regions`` is its budget).

    >>> f = ReLUNetwork([([[1]], [0]), ([[1]], [0])])        # relu(x)
    >>> g = ReLUNetwork([([[1]], ["-1/4"]), ([[1]], [0])])   # relu(x - 1/4)
    >>> sup_distance(f, g, (-1, 1))
    Fraction(1, 4)
    >>> sup_distance(ReLUNetwork([([[1, 1]], [0]), ([[1]], [0])]), ReLUNetwork([([[1, 0]], [0]), ([[1]], [0])]),
    ...              [(0, 1), (-1, 1)])                        # relu(x + y) vs relu(x)
    Fraction(1, 1)
    """
    if f.input_dim != g.input_dim or f.output_dim != g.output_dim:
        raise ShapeError("sup_distance needs two networks with the same input and output dimensions")
    box = _box(domain, f.input_dim)
    diff = f - g
    if f.input_dim == 1:
        from ..propagate import propagate

        trace = propagate(diff, box[0])
        return max(max(abs(v) for v in out.values) for out in trace.outputs)
    from ..polyhedral import regions

    complex_ = regions(diff, [list(pair) for pair in box], max_regions=max_regions)
    vertices = {tuple(v) for region in complex_ for v in region.vertices}
    return max(abs(y) for v in vertices for y in diff.forward(v))


def round_network(
    net: ReLUNetwork, dtype: str = "float32", *, mode: str = "nearest", domain: Any = None,
    max_regions: int = 1 << 16,
) -> RoundingReport:
    """Round every weight of ``net`` to ``dtype`` and report the exact cost.

    Parameters
    ----------
    net : ReLUNetwork
    dtype : {"float32", "float64"}
    mode : {"nearest"}
        Round to nearest, ties to even (what the exporters do with ``round="nearest"``).
    domain : (lo, hi) or list of (lo, hi), optional
        A bounded interval (one input) or box (n inputs); the report then holds
        the exact sup distance between ``net`` and the rounded network on it
        (:func:`sup_distance`).
    max_regions : int
        Budget of the n-D region complex behind the sup distance.

    Examples
    --------
    >>> net = ReLUNetwork([([[1]], ["1/3"]), ([[1]], [0])])
    >>> r = round_network(net, "float32", domain=(0, 1))
    >>> r.changed, r.max_weight_change == abs(Fraction(1, 3) - Fraction(float(np.float32(1 / 3))))
    (1, True)
    >>> r.sup_distance == r.max_weight_change
    True
    """
    if mode != "nearest":
        raise ShapeError(f"mode={mode!r} must be 'nearest'")
    arrays = float_layers(net, dtype=dtype, round="nearest")
    rounded = ReLUNetwork.from_numpy(arrays)
    changed = 0
    worst = Fraction(0)
    for (w1, b1), (w2, b2) in zip(net.layers, rounded.layers):
        for a, c in [(x, y) for r1, r2 in zip(w1, w2) for x, y in zip(r1, r2)] + list(zip(b1, b2)):
            if a != c:
                changed += 1
                worst = max(worst, abs(a - c))
    bounded: tuple[tuple[Fraction, Fraction], ...] | None = None
    distance: Fraction | None = None
    if domain is not None:
        bounded = _box(domain, net.input_dim)
        distance = sup_distance(net, rounded, list(bounded), max_regions=max_regions) if changed else Fraction(0)
    return RoundingReport(
        network=net, rounded=rounded, dtype=dtype, mode=mode, changed=changed,
        max_weight_change=worst, domain=bounded, sup_distance=distance,
    )
