"""Theorem 2.2 of Arora, Basu, Mianjy, Mukherjee (2018), both directions, exactly.

Arora et al. (2018), Theorem 2.2: a continuous piecewise-linear (PWL) function
R -> R with p pieces is computed by a network with one hidden layer of at most
p units, and every such network needs at least p - 1 units.  Corollary A.1: p - 1
units suffice when the leftmost or rightmost piece has slope 0.

This module builds the networks (:func:`pwl_to_network`), recovers the function
of a network (:func:`network_to_pwl`, by exact propagation), and computes the
*exact* minimum number of units (:func:`min_units`), which decides between the
two values the theorem leaves open.

Exact minimum (proved here, checked against brute force in the tests)
-----------------------------------------------------------------------
Let f have p >= 2 pieces, kinks t_1 < ... < t_{p-1}, slopes s_0, ..., s_{p-1}
and jumps J_i = s_i - s_{i-1} != 0.  A unit ``c relu(w x + b)`` has at most one
kink, so a network with p - 1 units has exactly one unit with kink t_i per i,
namely ``J_i relu(x - t_i)`` or ``J_i relu(t_i - x)`` (the coefficient is forced
by the jump).  Far to the left only the second kind is active, so such a
network exists **iff some subset S of the jumps has sum_{i in S} J_i = -s_0**
(a subset-sum condition); otherwise the minimum is p.  A zero slope s_j makes
S = {i <= j} work, which is Corollary A.1 (and its interior-slope analogue).
The condition can hold without any zero slope: slopes (-1, 1, 2) with kinks 0, 1
have J = (2, 1) and S = {t_2}: ``2 relu(x) + relu(1 - x) + c`` has p - 1 = 2 units;
slopes (1, 2, 3) have no such subset and need p = 3.

Edge cases (findings)
---------------------
* p = 1 on R: a constant needs **0** units (an affine network without hidden
  layer), but a non-constant affine map such as f(x) = x needs **2** units
  (one unit always has a kink or is constant), i.e. p + 1: Theorem 2.2's
  "at most p" needs p >= 2.  On a bounded interval or half-line, f(x) = x is
  ``relu(x - t)`` with t left of the domain: 1 unit.
* A function given only on an interval or half-line is extended to R by
  continuing its first and last pieces linearly (:func:`extend_to_r`), which
  adds no kink: the network has the same number p of pieces on R and agrees
  with f on f's domain.  With ``on_domain=True`` :func:`min_units` counts the
  minimum for agreement on the domain only (a unit whose kink lies outside the
  domain is affine there).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Sequence

from ..._validate import check_int
from ...errors import ShapeError
from ...network import ReLUNetwork
from ...propagate import propagate
from ...pwl import PiecewiseLinear
from ._common import SOURCE, CheckResult, budget_error

__all__ = [
    "Unit",
    "extend_to_r",
    "pwl_to_network",
    "network_to_pwl",
    "min_units",
    "min_units_brute_force",
    "minimal_network",
    "units_network",
    "check_round_trip",
    "check_size_bounds",
    "check_lower_bound",
]

_ZERO = Fraction(0)


@dataclass(frozen=True)
class Unit:
    """One hidden unit ``coef * relu(sign * (x - knot))`` (sign +1: on right of the knot)."""

    sign: int
    knot: Fraction
    coef: Fraction

    def value(self, x: Fraction) -> Fraction:
        z = self.sign * (x - self.knot)
        return self.coef * z if z > 0 else _ZERO


def _check_pwl(f: object) -> PiecewiseLinear:
    if not isinstance(f, PiecewiseLinear):
        raise ShapeError(f"f must be a PiecewiseLinear, got {type(f).__name__}")
    return f


def extend_to_r(f: PiecewiseLinear) -> PiecewiseLinear:
    """f on R, its first and last pieces continued linearly (no new kink).

    >>> extend_to_r(PiecewiseLinear([(0, 0), (1, 1), (2, 0)]))
    PiecewiseLinear([(1, 1)], left_slope=1, right_slope=-1)
    """
    f = _check_pwl(f)
    slopes = f.slopes
    xs, ys = list(f.breakpoints) or [_ZERO], list(f.values) or [f(0)]
    return PiecewiseLinear(zip(xs, ys), left_slope=slopes[0], right_slope=slopes[-1])


def units_network(units: Sequence[Unit], bias: Fraction, *, linear: Fraction | None = None) -> ReLUNetwork:
    """The one-hidden-layer network ``bias + sum coef relu(sign (x - knot))``.

    With no unit the result is the affine network (no hidden layer) x -> bias.
    ``linear`` is not supported on R without units (it would need two units);
    callers add those units explicitly.
    """
    if not units:
        return ReLUNetwork([([[0]], [bias])])
    hidden_w = [[Fraction(u.sign)] for u in units]
    hidden_b = [-u.sign * u.knot for u in units]
    return ReLUNetwork([(hidden_w, hidden_b), ([[u.coef for u in units]], [bias])])


def _build(f: PiecewiseLinear, units: list[Unit], anchor: Fraction) -> ReLUNetwork:
    bias = f(anchor) - sum((u.value(anchor) for u in units), _ZERO)
    return units_network(units, bias)


def _kink_data(f: PiecewiseLinear) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    g = extend_to_r(f)
    return g.kinks, g.slopes


def pwl_to_network(f: PiecewiseLinear, *, anchor: int | None = None) -> ReLUNetwork:
    """The one-hidden-layer network of Arora et al. (2018), Theorem 2.2 / Corollary A.1.

    ``f(x) = f(t_j) + s_j relu(x - t_j) - s_{j-1} relu(t_j - x)
    + sum_{i > j} J_i relu(x - t_i) + sum_{i < j} J_i relu(t_i - x)`` for an
    anchor kink t_j; terms with a zero coefficient are left out.  The default
    anchor is the first kink (Theorem 2.2's construction: p units), or a kink
    beside a zero slope if there is one (Corollary A.1: p - 1 units).  f given on
    an interval or half-line is first extended by :func:`extend_to_r`.

    p = 1: a constant gives the affine network without hidden layer (0 units);
    a non-constant affine map gives ``relu(x) - relu(-x)`` scaled (2 units).

    Parameters
    ----------
    f : PiecewiseLinear
    anchor : int, optional
        Index j (1-based, 1 <= j <= p - 1) of the anchor kink.

    Examples
    --------
    >>> f = PiecewiseLinear([(0, 0), (1, 1), (2, 0)])     # tent, slopes (1, -1) after extension
    >>> net = pwl_to_network(f)
    >>> net.size, propagate(net).output == extend_to_r(f)
    (2, True)
    >>> pwl_to_network(PiecewiseLinear.affine(1, 0)).size      # f(x) = x needs two units
    2
    """
    f = _check_pwl(f)
    knots, slopes = _kink_data(f)
    p = len(slopes)
    if p == 1:
        a = slopes[0]
        c = extend_to_r(f)(0)
        if a == 0:
            return units_network([], c)
        return units_network([Unit(1, _ZERO, a), Unit(-1, _ZERO, -a)], c)
    if anchor is None:
        j = 1
        for i in range(1, p):
            if slopes[i - 1] == 0 or slopes[i] == 0:
                j = i
                break
    else:
        check_int("anchor", anchor, 1)
        if anchor > p - 1:
            raise ShapeError(f"anchor={anchor!r} must be at most p - 1 = {p - 1}")
        j = anchor
    units: list[Unit] = []
    t = knots[j - 1]
    if slopes[j - 1] != 0:
        units.append(Unit(-1, t, -slopes[j - 1]))
    if slopes[j] != 0:
        units.append(Unit(1, t, slopes[j]))
    for i in range(1, p):
        if i != j:
            units.append(Unit(1 if i > j else -1, knots[i - 1], slopes[i] - slopes[i - 1]))
    return _build(f, units, t)


def network_to_pwl(net: ReLUNetwork, domain: object = None) -> PiecewiseLinear:
    """The function of a network R -> R as an exact PiecewiseLinear (Theorem 2.1, first half).

    >>> network_to_pwl(pwl_to_network(PiecewiseLinear([(0, 0), (1, 2)])), (0, 1))
    PiecewiseLinear([(0, 0), (1, 2)])
    """
    if not isinstance(net, ReLUNetwork):
        raise ShapeError(f"net must be a ReLUNetwork, got {type(net).__name__}")
    if net.input_dim != 1 or net.output_dim != 1:
        raise ShapeError(f"network_to_pwl needs a network R -> R, got {net.input_dim} -> {net.output_dim}")
    return propagate(net, domain).output


def _subset_with_sum(values: Sequence[Fraction], target: Fraction, max_states: int) -> tuple[int, ...] | None:
    """Indices of a subset of ``values`` summing to ``target`` exactly, or None (dynamic programming)."""
    reach: dict[Fraction, tuple[int, ...]] = {_ZERO: ()}
    for i, v in enumerate(values):
        new = dict(reach)
        for s, subset in reach.items():
            new.setdefault(s + v, subset + (i,))
        if len(new) > max_states:
            raise budget_error("max_states", max_states, len(new), "subset-sum states")
        reach = new
        if target in reach:
            return reach[target]
    return reach.get(target)


def _minimal(f: PiecewiseLinear, on_domain: bool, max_states: int) -> tuple[int, ReLUNetwork]:
    f = _check_pwl(f)
    knots, slopes = _kink_data(f)
    p = len(slopes)
    lo, hi = f.domain
    bounded = on_domain and (lo is not None or hi is not None)
    if p == 1:
        g = extend_to_r(f)
        if slopes[0] == 0:
            return 0, units_network([], g(0))
        if not bounded:
            return 2, pwl_to_network(f)
        unit, anchor = _outside_unit(lo, hi, slopes[0])
        return 1, _build(f, [unit], anchor)
    jumps = [slopes[i] - slopes[i - 1] for i in range(1, p)]
    subset = _subset_with_sum(jumps, -slopes[0], max_states)
    if subset is not None:
        chosen = set(subset)
        units = [Unit(-1 if i in chosen else 1, knots[i], jumps[i]) for i in range(p - 1)]
        return p - 1, _build(f, units, knots[0])
    if not bounded:
        return p, pwl_to_network(f)
    units = [Unit(1, knots[i], jumps[i]) for i in range(p - 1)]
    units.append(_outside_unit(lo, hi, slopes[0])[0])
    return p, _build(f, units, knots[0])


def _outside_unit(lo: Fraction | None, hi: Fraction | None, slope: Fraction) -> tuple[Unit, Fraction]:
    """A unit with its kink outside the domain, equal to ``slope * x + c`` on it (and a domain point)."""
    if lo is not None:
        return Unit(1, lo - 1, slope), lo
    assert hi is not None
    return Unit(-1, hi + 1, -slope), hi


def min_units(f: PiecewiseLinear, *, on_domain: bool = False, max_states: int = 1 << 20) -> int:
    """The exact minimum number of units of a one-hidden-layer network computing f.

    On R (default; f is extended by :func:`extend_to_r`) or, with
    ``on_domain=True``, agreeing with f on f's domain only.  For p >= 2 pieces the
    answer is p - 1 or p (Arora et al. 2018, Theorem 2.2), decided by the
    subset-sum condition of the module docstring.

    Examples
    --------
    Slopes (-1, 1, 2): no slope is 0, yet ``2 relu(x) + relu(1 - x)`` has 2 = p - 1 units:

    >>> f = PiecewiseLinear([(0, 1), (1, 2)], left_slope=-1, right_slope=2)
    >>> min_units(f), min_units(PiecewiseLinear([(0, 0), (1, 2)], left_slope=1, right_slope=3))
    (2, 3)
    >>> min_units(PiecewiseLinear.affine(1, 0)), min_units(PiecewiseLinear.affine(1, 0, (0, 1)), on_domain=True)
    (2, 1)
    """
    return _minimal(f, on_domain, max_states)[0]


def minimal_network(f: PiecewiseLinear, *, on_domain: bool = False, max_states: int = 1 << 20) -> ReLUNetwork:
    """A one-hidden-layer network with :func:`min_units` units computing f (on R or on f's domain)."""
    return _minimal(f, on_domain, max_states)[1]


def min_units_brute_force(f: PiecewiseLinear) -> int:
    """The same minimum on R by trying every sign vector of p - 1 kink units (independent, slow)."""
    f = _check_pwl(f)
    knots, slopes = _kink_data(f)
    p = len(slopes)
    if p == 1:
        return 0 if slopes[0] == 0 else 2
    if p > 16:
        raise budget_error("p", 16, p, "pieces (brute force tries 2^(p-1) sign vectors)")
    target = extend_to_r(f)
    for signs in product((1, -1), repeat=p - 1):
        units = [Unit(s, knots[i], slopes[i + 1] - slopes[i]) for i, s in enumerate(signs)]
        if network_to_pwl(_build(f, units, knots[0])) == target:
            return p - 1
    return p


# --------------------------------------------------------------------- checks
def _where(f: PiecewiseLinear) -> str:
    lo, hi = f.domain
    return f"[{'-inf' if lo is None else lo}, {'+inf' if hi is None else hi}]"


def check_round_trip(f: PiecewiseLinear, net: ReLUNetwork | None = None) -> CheckResult:
    """propagate(net).output == f on f's domain and == extend_to_r(f) on R (default net: Theorem 2.2's)."""
    net = pwl_to_network(f) if net is None else net
    on_domain = network_to_pwl(net, f.domain) == f
    on_r = network_to_pwl(net) == extend_to_r(f)
    return CheckResult(
        f"Thm 2.2 round trip: network of f ({f.pieces} pieces) equals f on {_where(f)} and on R",
        SOURCE + ", Theorem 2.2", on_domain and on_r,
        f"domain: {on_domain}, R: {on_r}", "equal on both", witness=net)


def check_size_bounds(f: PiecewiseLinear, net: ReLUNetwork | None = None) -> CheckResult:
    """p - 1 <= size <= p for the construction (p >= 2), size p - 1 when an end slope is 0 (Cor. A.1)."""
    net = pwl_to_network(f) if net is None else net
    _, slopes = _kink_data(f)
    p = len(slopes)
    represents = network_to_pwl(net) == extend_to_r(f)
    if p == 1:
        expected = 0 if slopes[0] == 0 else 2
        ok = represents and net.size == expected if net.depth else represents and expected == 0
        size = net.size if net.depth else 0
        return CheckResult(f"Thm 2.2 edge case p = 1 (slope {slopes[0]})", SOURCE + ", Theorem 2.2",
                           ok, f"{size} units", f"{expected} units", witness=net)
    size = net.size if net.depth else 0
    end_zero = slopes[0] == 0 or slopes[-1] == 0
    upper = p - 1 if end_zero else p
    ok = represents and net.depth <= 1 and p - 1 <= size <= upper
    return CheckResult(
        f"Thm 2.2 / Cor. A.1: {p} pieces -> one hidden layer of {size} units",
        SOURCE + ", Theorem 2.2 and Corollary A.1", ok, f"{size} units",
        f"{p - 1} <= units <= {upper}", witness=net)


def check_lower_bound(f: PiecewiseLinear, net: ReLUNetwork) -> CheckResult:
    """A one-hidden-layer ``net`` claimed to compute f (on R) must have >= p - 1 units (Theorem 2.2)."""
    p = extend_to_r(f).pieces
    represents = net.depth <= 1 and network_to_pwl(net) == extend_to_r(f)
    size = net.size if net.depth else 0
    return CheckResult(
        f"Thm 2.2 lower bound: a one-hidden-layer net for f ({p} pieces) has >= {p - 1} units",
        SOURCE + ", Theorem 2.2", represents and size >= p - 1,
        f"{size} units, computes f: {represents}", f">= {p - 1}", witness=net)
