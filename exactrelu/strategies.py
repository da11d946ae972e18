"""Hypothesis strategies for exact rationals, architectures, networks and PWL functions.

Public builders for property tests, in the style of :mod:`hypothesis.strategies`:
keyword-only arguments with small bounded defaults, validated up front (a bad
argument raises :class:`InvalidArgument` quoting ``name=value``), composed from
``builds``/``flatmap``/``composite``, and shrinking towards small integers and
small denominators, so a failing example is short enough to paste into a test
(every value has a ``repr`` that pastes back into Python).

This module imports :mod:`hypothesis`; ``import exactrelu`` never does.

* :func:`rationals` -- exact :class:`~fractions.Fraction` values ``p/q``.
* :func:`widths` -- hidden widths ``(m_1, ..., m_L)``.
* :func:`networks` -- random :class:`~exactrelu.network.ReLUNetwork` objects.
* :func:`piecewise_linear` -- random :class:`~exactrelu.pwl.PiecewiseLinear` objects.
* :func:`degenerate_networks` -- networks built on purpose to hit the corner
  cases of a breakpoint propagator (dead and duplicated units, pre-activations
  tangent to zero, coinciding breakpoints, crossings at existing breakpoints,
  width-1 layers, constant outputs, zero biases).
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor
from typing import Any, Sequence

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ._validate import check_int, check_widths, parse_domain
from .constructions import random_layers
from .errors import ExactReluError
from .network import ReLUNetwork
from .pwl import PiecewiseLinear
from .rationals import to_rational

__all__ = [
    "InvalidArgument",
    "DEGENERACIES",
    "rationals",
    "widths",
    "networks",
    "piecewise_linear",
    "degenerate_networks",
]


class InvalidArgument(ExactReluError, ValueError, TypeError):
    """A strategy builder was given an unusable argument (the message quotes ``name=value``)."""


#: The degeneracies :func:`degenerate_networks` knows how to build, by name.
DEGENERACIES: tuple[str, ...] = (
    "zero_biases",
    "duplicated_units",
    "dead_units",
    "tangent",
    "coinciding_breakpoints",
    "crossing_at_breakpoint",
    "width_one",
    "constant_output",
)


# ------------------------------------------------------------------ validation
def _check_int(name: str, value: Any, minimum: int) -> int:
    return check_int(name, value, minimum, error=InvalidArgument)


def _check_order(lo_name: str, lo: Any, hi_name: str, hi: Any) -> None:
    if lo is not None and hi is not None and lo > hi:
        raise InvalidArgument(f"{lo_name}={lo!r} is larger than {hi_name}={hi!r}")


def _check_rational(name: str, value: Any) -> Fraction | None:
    if value is None:
        return None
    try:
        return to_rational(value, where=name)
    except ExactReluError as exc:
        raise InvalidArgument(f"{name}={value!r} is not an exact rational: {exc}") from None


def _check_strategy(name: str, value: Any) -> SearchStrategy:
    if not isinstance(value, SearchStrategy):
        raise InvalidArgument(f"{name}={value!r} must be a hypothesis strategy")
    return value


# ------------------------------------------------------------------- rationals
def _numerator_range(q: int, n: int, lo: Fraction | None, hi: Fraction | None) -> tuple[int, int]:
    """Integers p with |p| <= n and lo <= p/q <= hi (may be empty: first > second)."""
    p_lo = -n if lo is None else max(-n, ceil(lo * q))
    p_hi = n if hi is None else min(n, floor(hi * q))
    return p_lo, p_hi


def rationals(
    *,
    max_numerator: int = 10,
    max_denominator: int = 10,
    min_value: Any = None,
    max_value: Any = None,
) -> SearchStrategy[Fraction]:
    """Exact rationals ``p/q`` with ``|p| <= max_numerator`` and ``1 <= q <= max_denominator``.

    Values shrink towards small denominators first (an integer if one fits),
    then towards 0 (or the allowed value nearest 0).

    Parameters
    ----------
    max_numerator : int
        Bound on ``|p|`` before reduction (>= 0).
    max_denominator : int
        Bound on ``q`` (>= 1).
    min_value, max_value : int, Fraction, str or None
        Inclusive bounds on the value.

    Returns
    -------
    SearchStrategy of Fraction

    Raises
    ------
    InvalidArgument
        A bound of the wrong type, ``min_value > max_value``, or no ``p/q``
        within the limits lying between the bounds.

    Examples
    --------
    >>> from hypothesis import find
    >>> x = find(rationals(min_value="1/3"), lambda x: True)
    >>> type(x).__name__, x >= Fraction(1, 3)
    ('Fraction', True)
    >>> rationals(max_denominator=0)
    Traceback (most recent call last):
    ...
    exactrelu.strategies.InvalidArgument: max_denominator=0 must be an int >= 1
    """
    n = _check_int("max_numerator", max_numerator, 0)
    q_max = _check_int("max_denominator", max_denominator, 1)
    lo = _check_rational("min_value", min_value)
    hi = _check_rational("max_value", max_value)
    if lo is not None and hi is not None and lo > hi:
        raise InvalidArgument(f"min_value={min_value!r} is larger than max_value={max_value!r}")
    first = None
    for q in range(1, q_max + 1):
        p_lo, p_hi = _numerator_range(q, n, lo, hi)
        if p_lo <= p_hi:
            first = q
            break
    if first is None:
        raise InvalidArgument(
            f"no p/q with |p| <= max_numerator={max_numerator!r}, q <= max_denominator="
            f"{max_denominator!r} lies in [min_value={min_value!r}, max_value={max_value!r}]"
        )

    @st.composite
    def draw_rational(draw) -> Fraction:
        q = draw(st.integers(1, q_max))
        p_lo, p_hi = _numerator_range(q, n, lo, hi)
        if p_lo > p_hi:
            q = first
            p_lo, p_hi = _numerator_range(q, n, lo, hi)
        return Fraction(draw(st.integers(p_lo, p_hi)), q)

    return draw_rational()


# ---------------------------------------------------------------------- widths
def widths(
    *, min_depth: int = 1, max_depth: int = 3, min_width: int = 1, max_width: int = 4
) -> SearchStrategy[tuple[int, ...]]:
    """Hidden widths ``(m_1, ..., m_L)`` with ``min_depth <= L <= max_depth``.

    Shrinks towards fewer and narrower layers.

    Parameters
    ----------
    min_depth, max_depth : int
        Bounds on the number of hidden layers (``0 <= min_depth <= max_depth``).
    min_width, max_width : int
        Bounds on every width (``1 <= min_width <= max_width``).

    Returns
    -------
    SearchStrategy of tuple of int

    Examples
    --------
    >>> from hypothesis import find
    >>> w = find(widths(min_depth=2), lambda w: sum(w) >= 5)
    >>> len(w) >= 2 and sum(w) >= 5 and all(type(m) is int for m in w)
    True
    """
    lo_d = _check_int("min_depth", min_depth, 0)
    hi_d = _check_int("max_depth", max_depth, 0)
    _check_order("min_depth", lo_d, "max_depth", hi_d)
    lo_w = _check_int("min_width", min_width, 1)
    hi_w = _check_int("max_width", max_width, 1)
    _check_order("min_width", lo_w, "max_width", hi_w)
    return st.lists(st.integers(lo_w, hi_w), min_size=lo_d, max_size=hi_d).map(tuple)


_widths_strategy = widths  # the builder, under a name that parameters called ``widths`` do not shadow


# -------------------------------------------------------------------- networks
def _validate_widths_tuple(value: Any) -> tuple[int, ...]:
    return check_widths(value, allow_empty=True, error=InvalidArgument)


def _layers_for(draw, dims: Sequence[int], weights: SearchStrategy) -> list[tuple[list, list]]:
    """The one random-network layout (:func:`exactrelu.constructions.random_layers`), entries drawn by hypothesis."""
    return random_layers(dims, lambda fan_in, is_bias: draw(weights))


def networks(
    *,
    input_dim: int = 1,
    widths: Any = None,
    weights: SearchStrategy | None = None,
    output_dim: int = 1,
) -> SearchStrategy[ReLUNetwork]:
    """Random exact ReLU networks; shrinks towards shallow, narrow nets with zero weights.

    Parameters
    ----------
    input_dim, output_dim : int
        Input and output dimensions (>= 1).
    widths : tuple of int, or a strategy of them, optional
        Hidden widths; default ``widths()`` (1 to 3 layers of width 1 to 4).
    weights : strategy, optional
        Every weight and bias; default ``rationals()``.  It must produce exact
        rationals (int, Fraction or str).

    Returns
    -------
    SearchStrategy of ReLUNetwork

    Examples
    --------
    >>> from hypothesis import find
    >>> net = find(networks(widths=(2,)), lambda net: net(1) > 0)
    >>> net.widths, net(1) > 0
    ((2,), True)
    """
    n0 = _check_int("input_dim", input_dim, 1)
    n_out = _check_int("output_dim", output_dim, 1)
    if widths is None:
        width_strategy: SearchStrategy = _widths_strategy()
    elif isinstance(widths, SearchStrategy):
        width_strategy = widths
    else:
        width_strategy = st.just(_validate_widths_tuple(widths))
    weight_strategy = rationals() if weights is None else _check_strategy("weights", weights)

    @st.composite
    def draw_network(draw, ws: tuple[int, ...]) -> ReLUNetwork:
        ws = _validate_widths_tuple(ws)
        return ReLUNetwork(_layers_for(draw, (n0, *ws, n_out), weight_strategy))

    return width_strategy.flatmap(lambda ws: draw_network(ws))


# ------------------------------------------------------------ piecewise linear
def _parse_domain_argument(domain: Any) -> tuple[Fraction | None, Fraction | None]:
    try:
        return parse_domain(domain, names=("domain[0]", "domain[1]"))
    except ExactReluError as exc:
        raise InvalidArgument(str(exc)) from None


_GAPS = st.builds(Fraction, st.integers(1, 10), st.integers(1, 4))


def piecewise_linear(
    *, domain: Any = (0, 1), max_pieces: int = 6, values: SearchStrategy | None = None
) -> SearchStrategy[PiecewiseLinear]:
    """Random exact continuous PWL functions with at most ``max_pieces`` pieces.

    Vertices split the domain into positive integer proportions (bounded
    domain) or lie at small positive rational gaps (unbounded sides); values
    and end slopes come from ``values``.  Shrinks towards few pieces, equal
    gaps and zero values.

    Parameters
    ----------
    domain : (lo, hi) or None
        A closed interval, a half-line (one end None), or None for R.
    max_pieces : int
        Upper bound on the pieces (>= 1); collinear draws give fewer.
    values : strategy, optional
        Values at vertices and slopes of unbounded ends; default ``rationals()``.

    Returns
    -------
    SearchStrategy of PiecewiseLinear

    Examples
    --------
    >>> from hypothesis import find
    >>> f = find(piecewise_linear(), lambda f: f.pieces == 2)
    >>> f.pieces, f.domain
    (2, (Fraction(0, 1), Fraction(1, 1)))
    """
    lo, hi = _parse_domain_argument(domain)
    n_max = _check_int("max_pieces", max_pieces, 1)
    value_strategy = rationals() if values is None else _check_strategy("values", values)

    @st.composite
    def draw_pwl(draw) -> PiecewiseLinear:
        n = draw(st.integers(1, n_max))
        if lo is not None and hi is not None:
            parts = [draw(st.integers(1, 10)) for _ in range(n)]
            total, acc, xs = sum(parts), 0, [lo]
            for part in parts:
                acc += part
                xs.append(lo + (hi - lo) * Fraction(acc, total))
            ys = [draw(value_strategy) for _ in xs]
            return PiecewiseLinear(zip(xs, ys))
        if lo is not None or hi is not None:
            start = lo if lo is not None else hi
            assert start is not None
            offsets = [Fraction(0)]
            for _ in range(n - 1):
                offsets.append(offsets[-1] + draw(_GAPS))
            xs = [start + o for o in offsets] if lo is not None else [start - o for o in reversed(offsets)]
            ys = [draw(value_strategy) for _ in xs]
            slope = draw(value_strategy)
            if lo is not None:
                return PiecewiseLinear(zip(xs, ys), right_slope=slope)
            return PiecewiseLinear(zip(xs, ys), left_slope=slope)
        if n == 1:
            return PiecewiseLinear.affine(draw(value_strategy), draw(value_strategy))
        first = draw(value_strategy)
        xs = [first]
        for _ in range(n - 2):
            xs.append(xs[-1] + draw(_GAPS))
        ys = [draw(value_strategy) for _ in xs]
        left, right = draw(value_strategy), draw(value_strategy)
        return PiecewiseLinear(zip(xs, ys), left_slope=left, right_slope=right)

    return draw_pwl()


# --------------------------------------------------------- degenerate networks
def _zero_row(n: int) -> list[Fraction]:
    return [Fraction(0)] * n


def _make_nonzero(draw, row: list, positive: SearchStrategy) -> None:
    """Give a zero row one nonzero weight, so the unit really has a breakpoint to share."""
    if all(v == 0 for v in row):
        row[draw(st.integers(0, len(row) - 1))] = draw(positive) * draw(st.sampled_from((1, -1)))


def _apply(kind: str, draw, layers: list, ws: list[int]) -> bool:
    """Apply one degeneracy in place; False if the architecture does not admit it."""
    depth = len(ws)
    small = rationals(max_numerator=4, max_denominator=3)
    positive = rationals(max_numerator=4, max_denominator=3, min_value="1/3")
    non_positive = rationals(max_numerator=4, max_denominator=3, max_value=0)
    wide = [l for l in range(depth) if ws[l] >= 2]
    if kind == "zero_biases":
        for l in draw(st.lists(st.integers(0, depth), min_size=1, unique=True)):
            layers[l] = (layers[l][0], [Fraction(0)] * len(layers[l][1]))
        return True
    if kind == "dead_units":
        # layer 1: zero row, bias <= 0; deeper: -(nonnegative combination) + bias <= 0
        l = draw(st.integers(0, depth - 1))
        j = draw(st.integers(0, ws[l] - 1))
        W, b = layers[l]
        n_in = len(W[0])
        W[j] = _zero_row(n_in) if l == 0 else [-abs(v) for v in W[j]]
        b[j] = draw(non_positive)
        return True
    if kind in ("duplicated_units", "coinciding_breakpoints"):
        if not wide:
            return False
        l = draw(st.sampled_from(wide))
        i, j = draw(st.lists(st.integers(0, ws[l] - 1), min_size=2, max_size=2, unique=True))
        c = Fraction(1) if kind == "duplicated_units" else draw(small.filter(lambda v: v not in (0, 1)))
        W, b = layers[l]
        _make_nonzero(draw, W[i], positive)
        W[j] = [c * v for v in W[i]]
        b[j] = c * b[i]
        if kind == "duplicated_units":  # the copy may also feed the next layer identically
            Wn = layers[l + 1][0]
            if draw(st.booleans()):
                for row in Wn:
                    row[j] = row[i]
        return True
    if kind in ("tangent", "crossing_at_breakpoint"):
        # units i, j of layer l are relu(u) and relu(-u); unit k of layer l+1 is
        # s(h_i + h_j) = s|u| (tangent) or s h_i - t h_j (crosses where u = 0).
        hidden_pairs = [l for l in wide if l + 1 < depth]
        if not hidden_pairs:
            return False
        l = draw(st.sampled_from(hidden_pairs))
        i, j = draw(st.lists(st.integers(0, ws[l] - 1), min_size=2, max_size=2, unique=True))
        W, b = layers[l]
        _make_nonzero(draw, W[i], positive)
        W[j] = [-v for v in W[i]]
        b[j] = -b[i]
        k = draw(st.integers(0, ws[l + 1] - 1))
        Wn, bn = layers[l + 1]
        s = draw(positive) * draw(st.sampled_from((1, -1)))
        row = _zero_row(ws[l])
        if kind == "tangent":
            row[i] = row[j] = s
        else:
            row[i], row[j] = s, -s * draw(positive)
        Wn[k] = row
        bn[k] = Fraction(0)
        return True
    if kind == "width_one":
        return 1 in ws
    if kind == "constant_output":
        Wo, bo = layers[-1]
        how = draw(st.sampled_from(("zero_weights", "all_dead", "cancel")))
        if how == "cancel" and ws[-1] >= 2:
            i, j = draw(st.lists(st.integers(0, ws[-1] - 1), min_size=2, max_size=2, unique=True))
            W, b = layers[-2]
            W[j], b[j] = list(W[i]), b[i]
            s = draw(small)
            for row in Wo:
                row[:] = _zero_row(ws[-1])
                row[i], row[j] = s, -s
        elif how == "all_dead":
            W, b = layers[0]
            for j in range(ws[0]):
                W[j] = _zero_row(len(W[j]))
                b[j] = draw(non_positive)
        else:
            for row in Wo:
                row[:] = _zero_row(len(row))
        return True
    raise AssertionError(kind)  # pragma: no cover


def degenerate_networks(
    *,
    input_dim: int = 1,
    max_depth: int = 3,
    max_width: int = 4,
    kinds: Sequence[str] | None = None,
) -> SearchStrategy[ReLUNetwork]:
    """Networks with degeneracies built in on purpose, for stress-testing propagators.

    A random network (weights from ``rationals(max_numerator=4,
    max_denominator=3)``) is drawn, then one to three of the ``kinds`` are
    written into it:

    ``zero_biases``
        every bias of one or more layers is 0 (all layer-1 breakpoints at 0);
    ``duplicated_units``
        two units of a layer are identical (optionally also in the next layer);
    ``dead_units``
        a unit is always off (zero row and bias <= 0 in layer 1; a
        non-positive combination of ReLU outputs plus a bias <= 0 deeper);
    ``tangent``
        a pre-activation ``s|u|`` touches zero without crossing it (u is
        another unit's pre-activation);
    ``coinciding_breakpoints``
        two units of a layer are multiples of one another, so their breakpoints coincide;
    ``crossing_at_breakpoint``
        a pre-activation crosses zero exactly at an existing breakpoint;
    ``width_one``
        at least one hidden layer has width 1;
    ``constant_output``
        the output is constant (zero output weights, all layer-1 units dead,
        or two identical units with cancelling output weights).

    Parameters
    ----------
    input_dim : int
        Input dimension (>= 1).
    max_depth, max_width : int
        Bounds on the number of hidden layers and on every width (>= 1).
    kinds : sequence of str, optional
        The degeneracies to choose from (default: all of :data:`DEGENERACIES`).
        Kinds that need two units (or two hidden layers) get them.

    Returns
    -------
    SearchStrategy of ReLUNetwork

    Examples
    --------
    >>> from hypothesis import given
    >>> from exactrelu import propagate
    >>> @given(degenerate_networks(kinds=["constant_output"]))
    ... def test_constant(net):
    ...     assert propagate(net).output.slopes == (0,)
    >>> test_constant()
    """
    n0 = _check_int("input_dim", input_dim, 1)
    d_max = _check_int("max_depth", max_depth, 1)
    w_max = _check_int("max_width", max_width, 1)
    if kinds is None:
        chosen = DEGENERACIES
    else:
        if isinstance(kinds, (str, bytes)):
            raise InvalidArgument(f"kinds={kinds!r} must be a sequence of names, not a string")
        chosen = tuple(kinds)
        if not chosen:
            raise InvalidArgument(f"kinds={kinds!r} must name at least one degeneracy")
        for name in chosen:
            if name not in DEGENERACIES:
                raise InvalidArgument(f"kinds={kinds!r}: unknown degeneracy {name!r}; known: {DEGENERACIES}")
    needs = {"tangent": (2, 2), "crossing_at_breakpoint": (2, 2), "duplicated_units": (1, 2),
             "coinciding_breakpoints": (1, 2)}
    feasible = tuple(k for k in chosen if needs.get(k, (1, 1))[0] <= d_max and needs.get(k, (1, 1))[1] <= w_max)
    if not feasible:
        raise InvalidArgument(
            f"kinds={list(chosen)!r} need more than max_depth={max_depth!r}, max_width={max_width!r}"
        )
    base_weights = rationals(max_numerator=4, max_denominator=3)

    @st.composite
    def draw_degenerate(draw) -> ReLUNetwork:
        picked = draw(st.lists(st.sampled_from(feasible), min_size=1, max_size=3, unique=True))
        min_depth = max(needs.get(k, (1, 1))[0] for k in picked)
        min_width_any = max(needs.get(k, (1, 1))[1] for k in picked)
        ws = list(draw(_widths_strategy(min_depth=min_depth, max_depth=d_max, max_width=w_max)))
        wide_l = None
        if min_width_any >= 2:
            # the pair kinds need a wide layer (below another hidden layer for tangent/crossing)
            wide_l = draw(st.integers(0, len(ws) - min_depth))
            ws[wide_l] = max(ws[wide_l], 2)
        if "width_one" in picked and 1 not in ws:
            others = [l for l in range(len(ws)) if l != wide_l]
            if others:
                ws[draw(st.sampled_from(others))] = 1
            elif len(ws) < d_max:
                ws.append(1)
        layers = _layers_for(draw, (n0, *ws, 1), base_weights)
        picked = sorted(picked, key=DEGENERACIES.index)  # constant_output last: nothing undoes it
        applied = [k for k in picked if _apply(k, draw, layers, ws)]
        if not applied:  # pragma: no cover - every feasible pick applies
            _apply("zero_biases", draw, layers, ws)
        return ReLUNetwork(layers)

    return draw_degenerate()
