"""Exact continuous piecewise-linear functions of one variable.

:class:`PiecewiseLinear` is immutable and canonical: its stored vertices are
exactly the finite ends of its domain and its kinks (points where the slope
really changes), so equal functions compare and hash equal, and
``pieces == len(kinks) + 1`` (THEORY.md section 0: collinear neighbours are one
piece).  Domains are closed intervals, closed half-lines or R; an unbounded side
is given by its slope.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from fractions import Fraction
from typing import Any, Iterable, Sequence

from .errors import DomainError, ExactReluError, NetworkFormatError
from .rationals import RationalLike, to_rational

__all__ = ["PiecewiseLinear"]

_ZERO = Fraction(0)
_FORMAT_VERSION = 1


def _fmt(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else repr(str(v))


def _sign(v: Fraction) -> int:
    return (v > 0) - (v < 0)


class PiecewiseLinear:
    """An exact continuous piecewise-linear function ``R ⊇ D -> R``.

    Parameters
    ----------
    points : sequence of (x, y)
        Vertices with strictly increasing ``x`` (int, Fraction or str each).
    left_slope, right_slope : rational, optional
        If given, the domain extends to -inf (resp. +inf) with this slope
        beyond the first (resp. last) point.  Otherwise the domain ends at the
        first (resp. last) point.

    Raises
    ------
    DomainError
        No points, x not strictly increasing, or a one-point bounded domain.
    InvalidRationalError
        A coordinate that is not an exact rational.

    Examples
    --------
    >>> tent = PiecewiseLinear([(0, 0), ("1/2", 1), (1, 0)])
    >>> tent.pieces, tent("1/4"), tent.integral()
    (2, Fraction(1, 2), Fraction(1, 2))
    >>> absx = PiecewiseLinear([(0, 0)], left_slope=-1, right_slope=1)
    >>> absx
    PiecewiseLinear([(0, 0)], left_slope=-1, right_slope=1)
    >>> (absx - 1).relu().kinks
    (Fraction(-1, 1), Fraction(1, 1))
    """

    __slots__ = ("_xs", "_ys", "_left", "_right", "_hash")

    def __init__(
        self,
        points: Iterable[tuple[RationalLike, RationalLike]],
        *,
        left_slope: RationalLike | None = None,
        right_slope: RationalLike | None = None,
    ):
        xs: list[Fraction] = []
        ys: list[Fraction] = []
        for i, point in enumerate(points):
            try:
                x, y = point
            except (TypeError, ValueError):
                raise DomainError(f"points[{i}]={point!r} is not a pair (x, y)") from None
            xs.append(to_rational(x, where=f"points[{i}].x"))
            ys.append(to_rational(y, where=f"points[{i}].y"))
        if not xs:
            raise DomainError("a PiecewiseLinear needs at least one point")
        for i in range(1, len(xs)):
            if xs[i] <= xs[i - 1]:
                raise DomainError(
                    f"points must have strictly increasing x: x[{i - 1}]={xs[i - 1]}, x[{i}]={xs[i]}"
                )
        left = None if left_slope is None else to_rational(left_slope, where="left_slope")
        right = None if right_slope is None else to_rational(right_slope, where="right_slope")
        if len(xs) == 1 and left is None and right is None:
            raise DomainError(
                f"the domain [{xs[0]}, {xs[0]}] is a single point; give two points or a slope"
            )
        _canonicalise_into(self, xs, ys, left, right)

    @classmethod
    def _new(cls, xs, ys, left, right) -> "PiecewiseLinear":
        """Fast constructor for data already known to be canonical."""
        obj = object.__new__(cls)
        obj._xs, obj._ys, obj._left, obj._right = tuple(xs), tuple(ys), left, right
        obj._hash = None
        return obj

    @classmethod
    def _build(cls, xs, ys, left, right) -> "PiecewiseLinear":
        """Constructor for valid but possibly non-canonical data (merges collinear vertices)."""
        obj = object.__new__(cls)
        _canonicalise_into(obj, list(xs), list(ys), left, right)
        return obj

    @classmethod
    def affine(
        cls,
        slope: RationalLike,
        intercept: RationalLike,
        domain: tuple[RationalLike | None, RationalLike | None] | None = None,
    ) -> "PiecewiseLinear":
        """The affine function ``slope * x + intercept`` on ``domain`` (None: R).

        >>> PiecewiseLinear.affine(2, -1, (0, 1))
        PiecewiseLinear([(0, -1), (1, 1)])
        """
        a = to_rational(slope, where="slope")
        c = to_rational(intercept, where="intercept")
        lo, hi = _parse_domain(domain)
        if lo is None and hi is None:
            return cls._new((_ZERO,), (c,), a, a)
        if lo is None:
            return cls._new((hi,), (a * hi + c,), a, None)
        if hi is None:
            return cls._new((lo,), (a * lo + c,), None, a)
        return cls._new((lo, hi), (a * lo + c, a * hi + c), None, None)

    # ------------------------------------------------------------ properties
    @property
    def domain(self) -> tuple[Fraction | None, Fraction | None]:
        """``(lo, hi)``; ``None`` marks an infinite end."""
        lo = None if self._left is not None else self._xs[0]
        hi = None if self._right is not None else self._xs[-1]
        return lo, hi

    @property
    def breakpoints(self) -> tuple[Fraction, ...]:
        """The vertices of the graph: finite domain ends and kinks, increasing."""
        if self._is_affine_on_r():
            return ()
        return self._xs

    @property
    def values(self) -> tuple[Fraction, ...]:
        """The values at :attr:`breakpoints`."""
        if self._is_affine_on_r():
            return ()
        return self._ys

    @property
    def kinks(self) -> tuple[Fraction, ...]:
        """Interior points where the slope changes."""
        start = 0 if self._left is not None else 1
        stop = len(self._xs) if self._right is not None else len(self._xs) - 1
        if self._is_affine_on_r():
            return ()
        return self._xs[start:stop]

    def _is_affine_on_r(self) -> bool:
        """The one canonical form whose stored point is an anchor, not a kink."""
        return len(self._xs) == 1 and self._left is not None and self._left == self._right

    @property
    def pieces(self) -> int:
        """Number of maximal affine pieces on the domain (``len(kinks) + 1``)."""
        return len(self.kinks) + 1

    @property
    def left_slope(self) -> Fraction | None:
        """Slope towards -inf, or None if the domain is bounded below."""
        return self._left

    @property
    def right_slope(self) -> Fraction | None:
        """Slope towards +inf, or None if the domain is bounded above."""
        return self._right

    @property
    def slopes(self) -> tuple[Fraction, ...]:
        """The slope of every piece, left to right."""
        inner = [
            (self._ys[i + 1] - self._ys[i]) / (self._xs[i + 1] - self._xs[i])
            for i in range(len(self._xs) - 1)
        ]
        if self._is_affine_on_r():
            return (self._left,)
        return tuple(([self._left] if self._left is not None else []) + inner + (
            [self._right] if self._right is not None else []
        ))

    # ------------------------------------------------------------ evaluation
    def _check_in_domain(self, x: Fraction) -> None:
        lo, hi = self.domain
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            raise DomainError(f"x={x} is outside the domain {_domain_str(self.domain)}")

    def __call__(self, x: RationalLike) -> Fraction:
        """Exact value at ``x`` (DomainError outside the domain)."""
        x = to_rational(x, where="x")
        self._check_in_domain(x)
        return self._value(x)

    def _value(self, x: Fraction) -> Fraction:
        xs, ys = self._xs, self._ys
        if x <= xs[0]:
            return ys[0] if x == xs[0] else ys[0] + self._left * (x - xs[0])
        if x >= xs[-1]:
            return ys[-1] if x == xs[-1] else ys[-1] + self._right * (x - xs[-1])
        i = bisect_right(xs, x) - 1
        if xs[i] == x:
            return ys[i]
        return ys[i] + (ys[i + 1] - ys[i]) * (x - xs[i]) / (xs[i + 1] - xs[i])

    def one_sided_slopes(self, x: RationalLike) -> tuple[Fraction | None, Fraction | None]:
        """``(f'(x-), f'(x+))``; None on a side outside the domain."""
        x = to_rational(x, where="x")
        self._check_in_domain(x)
        lo, hi = self.domain
        slopes = self.slopes
        knots = self.kinks
        i = bisect_left(knots, x)
        at_kink = i < len(knots) and knots[i] == x
        left = None if (lo is not None and x == lo) else slopes[i]
        right = None if (hi is not None and x == hi) else slopes[i + 1 if at_kink else i]
        return left, right

    # ------------------------------------------------------------ arithmetic
    def _grid(self, other: "PiecewiseLinear"):
        """Common refinement on the intersection of domains: (xs, ys_self, ys_other, left?, right?)."""
        lo1, hi1 = self.domain
        lo2, hi2 = other.domain
        lo = lo2 if lo1 is None else lo1 if lo2 is None else max(lo1, lo2)
        hi = hi2 if hi1 is None else hi1 if hi2 is None else min(hi1, hi2)
        if lo is not None and hi is not None and lo >= hi:
            raise DomainError(
                f"domains {_domain_str(self.domain)} and {_domain_str(other.domain)} "
                "do not overlap in an interval"
            )
        xs = set(self._xs) | set(other._xs)
        if lo is not None:
            xs.add(lo)
        if hi is not None:
            xs.add(hi)
        grid = sorted(x for x in xs if (lo is None or x >= lo) and (hi is None or x <= hi))
        if not grid:
            grid = [_ZERO]
        return grid, lo is None, hi is None

    def _values_on(self, grid: Sequence[Fraction]) -> list[Fraction]:
        """Values at an increasing ``grid`` inside the domain, by one linear walk."""
        xs, ys = self._xs, self._ys
        n = len(xs)
        out: list[Fraction] = []
        i = 0
        for x in grid:
            while i < n and xs[i] < x:
                i += 1
            if i < n and xs[i] == x:
                out.append(ys[i])
            elif i == 0:
                out.append(ys[0] + self._left * (x - xs[0]))
            elif i == n:
                out.append(ys[-1] + self._right * (x - xs[-1]))
            else:
                x0, y0 = xs[i - 1], ys[i - 1]
                out.append(y0 + (ys[i] - y0) * (x - x0) / (xs[i] - x0))
        return out

    def _binary(self, other: "PiecewiseLinear", op) -> "PiecewiseLinear":
        grid, open_left, open_right = self._grid(other)
        ys = list(map(op, self._values_on(grid), other._values_on(grid)))
        left = op(self._left, other._left) if open_left else None
        right = op(self._right, other._right) if open_right else None
        return PiecewiseLinear._build(grid, ys, left, right)

    def __add__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
            return self._binary(other, lambda a, b: a + b)
        if isinstance(other, (int, Fraction, str)) and not isinstance(other, bool):
            c = to_rational(other, where="constant")
            return PiecewiseLinear._new(self._xs, tuple(y + c for y in self._ys), self._left, self._right)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
            return self._binary(other, lambda a, b: a - b)
        if isinstance(other, (int, Fraction, str)) and not isinstance(other, bool):
            return self + (-to_rational(other, where="constant"))
        return NotImplemented

    def __rsub__(self, other: Any) -> "PiecewiseLinear":
        return (-self) + other

    def __neg__(self) -> "PiecewiseLinear":
        return self * -1

    def __mul__(self, scalar: Any) -> "PiecewiseLinear":
        if isinstance(scalar, PiecewiseLinear) or isinstance(scalar, bool):
            return NotImplemented
        if not isinstance(scalar, (int, Fraction, str)):
            return NotImplemented
        c = to_rational(scalar, where="scalar")
        if c == 0:
            return PiecewiseLinear.affine(0, 0, self.domain)
        return PiecewiseLinear._new(
            self._xs,
            tuple(c * y for y in self._ys),
            None if self._left is None else c * self._left,
            None if self._right is None else c * self._right,
        )

    __rmul__ = __mul__

    def _with_zero_crossings(self) -> tuple[list[Fraction], list[Fraction]]:
        """Vertices with every strict zero crossing inserted (rays included)."""
        xs, ys = self._xs, self._ys
        new_x: list[Fraction] = []
        new_y: list[Fraction] = []
        if self._left is not None and self._left != 0:
            cross = xs[0] - ys[0] / self._left
            if cross < xs[0]:
                new_x.append(cross)
                new_y.append(_ZERO)
        for i in range(len(xs)):
            if i > 0 and ys[i - 1] * ys[i] < 0:
                new_x.append(xs[i - 1] - ys[i - 1] * (xs[i] - xs[i - 1]) / (ys[i] - ys[i - 1]))
                new_y.append(_ZERO)
            new_x.append(xs[i])
            new_y.append(ys[i])
        if self._right is not None and self._right != 0:
            cross = xs[-1] - ys[-1] / self._right
            if cross > xs[-1]:
                new_x.append(cross)
                new_y.append(_ZERO)
        return new_x, new_y

    def relu(self) -> "PiecewiseLinear":
        """``max(f, 0)``, with the zero crossings inserted exactly."""
        new_x, new_y = self._with_zero_crossings()
        left = None if self._left is None else (self._left if self._left < 0 else _ZERO)
        right = None if self._right is None else (self._right if self._right > 0 else _ZERO)
        return PiecewiseLinear._build(new_x, [y if y > 0 else _ZERO for y in new_y], left, right)

    def abs(self) -> "PiecewiseLinear":
        """``|f|``, with the zero crossings inserted exactly."""
        new_x, new_y = self._with_zero_crossings()
        left = None if self._left is None else -abs(self._left)
        right = None if self._right is None else abs(self._right)
        return PiecewiseLinear._build(new_x, [abs(y) for y in new_y], left, right)

    __abs__ = abs

    def maximum(self, other: "PiecewiseLinear") -> "PiecewiseLinear":
        """Pointwise ``max(f, g) = g + relu(f - g)`` on the common domain."""
        return other + (self - other).relu()

    def minimum(self, other: "PiecewiseLinear") -> "PiecewiseLinear":
        """Pointwise ``min(f, g) = f - relu(f - g)`` on the common domain."""
        return self - (self - other).relu()

    def compose(self, inner: "PiecewiseLinear") -> "PiecewiseLinear":
        """``self o inner`` on ``inner``'s domain.

        Raises
        ------
        DomainError
            If ``inner`` takes values outside ``self``'s domain.
        """
        lo, hi = self.domain
        ixs, iys = inner._xs, inner._ys
        ymin, ymax = min(iys), max(iys)
        unbounded_below = (inner._left is not None and inner._left > 0) or (
            inner._right is not None and inner._right < 0
        )
        unbounded_above = (inner._left is not None and inner._left < 0) or (
            inner._right is not None and inner._right > 0
        )
        if (lo is not None and (unbounded_below or ymin < lo)) or (
            hi is not None and (unbounded_above or ymax > hi)
        ):
            raise DomainError(
                f"cannot compose: the inner function's range leaves the outer domain "
                f"{_domain_str(self.domain)}"
            )
        knots = self.kinks
        new_x: list[Fraction] = []

        def preimages(x0: Fraction, y0: Fraction, slope: Fraction, y_lo, y_hi) -> list[Fraction]:
            """x = x0 + (k - y0)/slope for the kinks k strictly inside (y_lo, y_hi), sorted by x."""
            i = 0 if y_lo is None else bisect_right(knots, y_lo)
            j = len(knots) if y_hi is None else bisect_left(knots, y_hi)
            return sorted(x0 + (k - y0) / slope for k in knots[i:j])

        if inner._left is not None and inner._left != 0:
            # moving left from the first vertex, y runs from y0 towards -inf (slope > 0) or +inf
            y0 = iys[0]
            span = (None, y0) if inner._left > 0 else (y0, None)
            new_x.extend(preimages(ixs[0], y0, inner._left, *span))
        for i in range(len(ixs)):
            if i > 0 and iys[i] != iys[i - 1]:
                slope = (iys[i] - iys[i - 1]) / (ixs[i] - ixs[i - 1])
                lo_y, hi_y = sorted((iys[i - 1], iys[i]))
                new_x.extend(preimages(ixs[i - 1], iys[i - 1], slope, lo_y, hi_y))
            new_x.append(ixs[i])
        if inner._right is not None and inner._right != 0:
            y0 = iys[-1]
            span = (y0, None) if inner._right > 0 else (None, y0)
            new_x.extend(preimages(ixs[-1], y0, inner._right, *span))
        new_y = [self._value(inner._value(x)) for x in new_x]

        def far_slope(slope: Fraction | None, towards_minus: bool) -> Fraction | None:
            if slope is None:
                return None
            if slope == 0:
                return _ZERO
            # direction in y as x moves outward
            goes_down = (slope > 0) == towards_minus
            outer = self._left if goes_down else self._right
            return outer * slope

        left = far_slope(inner._left, True)
        right = far_slope(inner._right, False)
        return PiecewiseLinear._build(new_x, new_y, left, right)

    def restrict(self, lo: RationalLike | None, hi: RationalLike | None) -> "PiecewiseLinear":
        """The restriction to ``[lo, hi]``; None keeps that side of the domain as it is.

        Raises
        ------
        DomainError
            If ``[lo, hi]`` is empty, reversed, or reaches outside the domain.

        >>> PiecewiseLinear([(0, 0), (2, 2)]).restrict(1, None)
        PiecewiseLinear([(1, 1), (2, 2)])
        """
        dlo, dhi = self.domain
        a = dlo if lo is None else to_rational(lo, where="lo")
        b = dhi if hi is None else to_rational(hi, where="hi")
        if (lo is not None and dlo is not None and a < dlo) or (hi is not None and dhi is not None and b > dhi):
            raise DomainError(
                f"cannot restrict to [{lo}, {hi}]: it reaches outside the domain {_domain_str(self.domain)}"
            )
        a, b = _parse_domain((a, b))
        return self + PiecewiseLinear.affine(0, 0, (a, b))

    def level_crossings(self, level: RationalLike = 0) -> tuple[Fraction, ...]:
        """Points where ``f - level`` changes sign strictly, increasing.

        A crossing through a flat stretch at the level is reported once, at the
        stretch's left end; touching the level without crossing is not a crossing.
        """
        c = to_rational(level, where="level")
        g = self - c
        xs, ys = g._xs, g._ys
        # (x, sign of g there); None marks an infinite end, whose sign is the
        # sign g takes far out (decided by the end slope, or the last value).
        items: list[tuple[Fraction | None, int]] = []
        if g._left is not None:
            items.append((None, -_sign(g._left) if g._left else _sign(ys[0])))
        items.extend((x, _sign(y)) for x, y in zip(xs, ys))
        if g._right is not None:
            items.append((None, _sign(g._right) if g._right else _sign(ys[-1])))
        result: list[Fraction] = []
        last_sign, last_x, zero_start = 0, None, None
        for idx, (x, s) in enumerate(items):
            if s == 0:
                if zero_start is None:
                    zero_start = x
                continue
            if last_sign and s != last_sign:
                if zero_start is not None:
                    result.append(zero_start)
                elif last_x is None:  # crossing on the left ray
                    result.append(xs[0] - ys[0] / g._left)
                elif x is None:  # crossing on the right ray
                    result.append(xs[-1] - ys[-1] / g._right)
                else:  # strict sign change inside (last_x, x)
                    y0, y1 = g._value(last_x), g._value(x)
                    result.append(last_x - y0 * (x - last_x) / (y1 - y0))
            last_sign, last_x, zero_start = s, x, None
        return tuple(result)

    def integral(self, lo: RationalLike | None = None, hi: RationalLike | None = None) -> Fraction:
        """Exact ``int_lo^hi f`` (defaults: the domain's ends, which must then be finite)."""
        dlo, dhi = self.domain
        a = dlo if lo is None else to_rational(lo, where="lo")
        b = dhi if hi is None else to_rational(hi, where="hi")
        if a is None or b is None:
            raise DomainError("the integral over an unbounded interval is not a rational; give lo and hi")
        if a > b:
            raise DomainError(f"reversed interval: lo={a} > hi={b}")
        self._check_in_domain(a)
        self._check_in_domain(b)
        if a == b:
            return _ZERO
        xs, ys = self._xs, self._ys
        i, j = bisect_right(xs, a), bisect_left(xs, b)
        return _trapezoid_sum([a, *xs[i:j], b], [self._value(a), *ys[i:j], self._value(b)])

    # -------------------------------------------------------------- identity
    def _key(self):
        return (self._xs, self._ys, self._left, self._right)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PiecewiseLinear):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._key())
        return self._hash

    def __repr__(self) -> str:
        pts = ", ".join(f"({_fmt(x)}, {_fmt(y)})" for x, y in zip(self._xs, self._ys))
        extra = ""
        if self._left is not None:
            extra += f", left_slope={_fmt(self._left)}"
        if self._right is not None:
            extra += f", right_slope={_fmt(self._right)}"
        return f"PiecewiseLinear([{pts}]{extra})"

    def to_dict(self) -> dict:
        """JSON-ready dict with rationals as strings."""
        return {
            "format": "exactrelu.pwl",
            "version": _FORMAT_VERSION,
            "points": [[str(x), str(y)] for x, y in zip(self._xs, self._ys)],
            "left_slope": None if self._left is None else str(self._left),
            "right_slope": None if self._right is None else str(self._right),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any) -> "PiecewiseLinear":
        if not isinstance(data, dict) or data.get("format") != "exactrelu.pwl":
            raise NetworkFormatError("not an exactrelu.pwl object")
        if data.get("version") != _FORMAT_VERSION:
            raise NetworkFormatError(f"version={data.get('version')!r}: expected {_FORMAT_VERSION}")
        points = data.get("points")
        if not isinstance(points, list):
            raise NetworkFormatError("'points' must be a list of [x, y] strings")
        for i, p in enumerate(points):
            if not isinstance(p, list) or len(p) != 2 or not all(isinstance(v, (str, int)) for v in p):
                raise NetworkFormatError(f"points[{i}]={p!r} must be a pair of rational strings")
        try:
            return cls(points, left_slope=data.get("left_slope"), right_slope=data.get("right_slope"))
        except ExactReluError as exc:
            raise NetworkFormatError(f"invalid piecewise-linear function: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> "PiecewiseLinear":
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise NetworkFormatError(f"not valid JSON: {exc}") from None


def _trapezoid_sum(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> Fraction:
    """Exact sum of (y_i + y_{i+1}) (x_{i+1} - x_i) / 2.

    Terms are accumulated as unreduced integer pairs grouped by denominator
    (plain int arithmetic, no gcd per term), then added as Fractions once per
    distinct denominator; for dyadic data that is a handful.
    """
    by_den: dict[int, int] = {}
    xn = [x.numerator for x in xs]
    xd = [x.denominator for x in xs]
    yn = [y.numerator for y in ys]
    yd = [y.denominator for y in ys]
    for k in range(len(xs) - 1):
        ysum_n = yn[k] * yd[k + 1] + yn[k + 1] * yd[k]
        dx_n = xn[k + 1] * xd[k] - xn[k] * xd[k + 1]
        den = yd[k] * yd[k + 1] * xd[k] * xd[k + 1]
        by_den[den] = by_den.get(den, 0) + ysum_n * dx_n
    return sum((Fraction(n, d) for d, n in by_den.items()), _ZERO) / 2


def _domain_str(domain) -> str:
    lo, hi = domain
    left = "(-inf" if lo is None else f"[{lo}"
    right = "+inf)" if hi is None else f"{hi}]"
    return f"{left}, {right}"


def _parse_domain(
    domain, names: tuple[str, str] = ("domain lower end", "domain upper end")
) -> tuple[Fraction | None, Fraction | None]:
    """Validate ``(lo, hi)`` (None ends allowed) or None (R); ``names`` label the ends in errors."""
    if domain is None:
        return None, None
    if isinstance(domain, (str, bytes)):
        raise DomainError(f"domain={domain!r} must be a pair (lo, hi) or None for R")
    try:
        lo, hi = domain
    except (TypeError, ValueError):
        raise DomainError(f"domain={domain!r} must be a pair (lo, hi) or None for R") from None
    a = None if lo is None else to_rational(lo, where=names[0])
    b = None if hi is None else to_rational(hi, where=names[1])
    if a is not None and b is not None:
        if a > b:
            raise DomainError(f"domain=({a}, {b}) is reversed")
        if a == b:
            raise DomainError(f"domain=({a}, {b}) is empty (zero length)")
    return a, b


def _canonicalise_into(obj: PiecewiseLinear, xs: list, ys: list, left, right) -> None:
    """Merge collinear vertices; keep finite domain ends; anchor an affine map on R at 0."""
    n = len(xs)
    seg = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(n - 1)]
    keep_x: list[Fraction] = []
    keep_y: list[Fraction] = []
    for i in range(n):
        before = left if i == 0 else seg[i - 1]
        after = right if i == n - 1 else seg[i]
        is_end = (i == 0 and left is None) or (i == n - 1 and right is None)
        if is_end or before != after:
            keep_x.append(xs[i])
            keep_y.append(ys[i])
    if not keep_x:  # affine on R
        slope = left
        value_at_zero = ys[0] - slope * xs[0]
        keep_x, keep_y = [_ZERO], [value_at_zero]
    obj._xs, obj._ys, obj._left, obj._right = tuple(keep_x), tuple(keep_y), left, right
    obj._hash = None


def __getattr__(name: str) -> Any:
    """``exactrelu.pwl.l1_distance`` stays importable: it is :func:`exactrelu.measure.l1_distance`."""
    if name == "l1_distance":
        from . import measure

        return measure.l1_distance
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
