"""The column-backed :class:`PiecewiseLinear` (re-exported by :mod:`exactrelu.pwl`)."""

from __future__ import annotations

from bisect import bisect_left
from fractions import Fraction
from typing import Any, Iterable, NamedTuple

import numpy as np

from .._kernels import graphs as G
from .._kernels import lines as K
from .._validate import parse_domain
from ..errors import DomainError, ExactReluError, NetworkFormatError
from .. import formats
from ..rationals import RationalLike, format_rational, quote, to_rational
from ._display import DisplayMixin
from ._domains import Domain, domain_str, fmt, intersect

__all__ = ["PiecewiseLinear", "Columns"]

_ZERO = Fraction(0)
#: Functions with more vertices than this get a one-line summary repr (see :meth:`PiecewiseLinear.to_repr`).
REPR_LIMIT = 64


class Columns(NamedTuple):
    """Integer columns of a graph: ``x = X / w``, ``y = Y / w``; ``w = 0`` at a point at infinity."""

    X: np.ndarray
    Y: np.ndarray
    w: np.ndarray


def _is_scalar(v: Any) -> bool:
    return isinstance(v, (int, Fraction, str)) and not isinstance(v, bool)


class PiecewiseLinear(DisplayMixin):
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

    Notes
    -----
    The function is stored as exact integer columns (:attr:`columns`, the
    convention of :func:`exactrelu.propagate`): every operation (``+``, ``-``,
    scalar ``*``, :meth:`relu`, :meth:`abs`, :meth:`maximum`,
    :meth:`restrict`, :meth:`integral`, :meth:`level_crossings`, equality,
    hashing) runs on whole integer arrays; Fractions are made only for the
    scalars and tuples a caller reads.

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

    __slots__ = ("_X", "_Y", "_w", "_reduced", "_hash", "_cache")

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
        self._set(*G.canonical(*G.from_fractions(xs, ys, left, right)))

    # ------------------------------------------------------------ constructors
    def _set(self, X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> None:
        for a in (X, Y, w):
            a.flags.writeable = False
        self._X, self._Y, self._w = X, Y, w
        self._reduced = False
        self._hash: int | None = None
        self._cache: dict[str, Any] = {}

    @classmethod
    def _from_columns(cls, X: np.ndarray, Y: np.ndarray, w: np.ndarray) -> "PiecewiseLinear":
        """The canonical function through valid columns (sorted, w = 0 only at the ends)."""
        obj = object.__new__(cls)
        obj._set(*G.canonical(X, Y, w))
        return obj

    @classmethod
    def from_columns(cls, X: Any, Y: Any, w: Any, *, check: bool = True) -> "PiecewiseLinear":
        """The function through integer columns ``x = X / w``, ``y = Y / w`` (see :attr:`columns`).

        ``w > 0`` except possibly at the first column (``w = 0``, ``X < 0``:
        the domain extends to -inf with slope ``Y / X``) and the last one
        (``w = 0``, ``X > 0``); x must increase strictly; at least one column
        is finite.  Collinear vertices are merged.  ``check=False`` skips the
        validation for integer numpy arrays known to satisfy all this (the
        propagator's own columns): no copy, no Python loop.

        Raises
        ------
        DomainError
            Columns that do not describe such a function.

        >>> PiecewiseLinear.from_columns([0, 1, 2], [0, 1, 0], [1, 2, 1])
        PiecewiseLinear([(0, 0), ('1/2', '1/2'), (2, 0)])
        """
        if not check:
            return cls._from_columns(np.asarray(X), np.asarray(Y), np.asarray(w))
        try:
            arrays = [a.astype(object) if isinstance(a, np.ndarray) and a.dtype.kind in "iuO" else G.obj(list(a))
                      for a in (X, Y, w)]
        except (TypeError, ValueError):
            raise DomainError("columns must be sequences of integers") from None
        X, Y, w = G.normal_dtype(*arrays)
        n = X.shape[0]
        if not (Y.shape[0] == w.shape[0] == n) or n == 0:
            raise DomainError("X, Y, w must be non-empty and of equal length")
        if (w < 0).any() or (w[1:-1] == 0).any() or (n > 1 and w[0] == 0 and X[0] >= 0) or (
            n > 1 and w[-1] == 0 and X[-1] <= 0
        ):
            raise DomainError("w must be > 0 except at an infinite end (w = 0, X < 0 first, X > 0 last)")
        if n == 1 and w[0] == 0 or (n == 2 and w[0] == 0 and w[1] == 0):
            raise DomainError("at least one column must be a finite point")
        if n == 1:
            raise DomainError("one finite column is a single point; give two columns or an infinite end")
        bound = 2 * max(K.max_abs(X), 1) * max(K.max_abs(w), 1) + 1
        Xc, wc = K.choose(bound, X, w)
        if ((Xc[1:] * wc[:-1] - Xc[:-1] * wc[1:]) <= 0).any():
            raise DomainError("x = X / w must increase strictly")
        return cls._from_columns(X, Y, w)

    @classmethod
    def _new(cls, xs, ys, left, right) -> "PiecewiseLinear":
        """Constructor from Fractions (canonical or not: collinear vertices merge)."""
        return cls._from_columns(*G.from_fractions(list(xs), list(ys), left, right))

    _build = _new

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
        lo, hi = parse_domain(domain)
        if lo is None and hi is None:
            return cls._new((_ZERO,), (c,), a, a)
        if lo is None:
            assert hi is not None
            return cls._new((hi,), (a * hi + c,), a, None)
        if hi is None:
            return cls._new((lo,), (a * lo + c,), None, a)
        return cls._new((lo, hi), (a * lo + c, a * hi + c), None, None)

    # ------------------------------------------------------------ columns
    @property
    def columns(self) -> Columns:
        """The exact integer columns ``(X, Y, w)`` (read-only numpy arrays, int64 or object).

        One column per stored vertex, increasing in x: ``x = X / w``, ``y = Y / w``
        with ``w > 0``; an unbounded end is a first (last) column with ``w = 0``
        and ``X < 0`` (``X > 0``) whose slope is ``Y / X``.  An affine function
        on R keeps its anchor column at x = 0.  Columns need not be reduced
        (a column and its multiples are the same point); :meth:`canonical_columns`
        gives the reduced ones.

        >>> PiecewiseLinear([(0, 0)], left_slope=-1, right_slope=1).columns
        Columns(X=array([-1,  0,  1]), Y=array([1, 0, 1]), w=array([0, 1, 0]))
        """
        return Columns(self._X, self._Y, self._w)

    def canonical_columns(self) -> Columns:
        """The columns with every column divided by its gcd: equal functions give equal arrays."""
        self._canonicalise()
        return Columns(self._X, self._Y, self._w)

    def _canonicalise(self) -> None:
        if not self._reduced:
            X, Y, w = G.reduce_full(self._X, self._Y, self._w)
            for a in (X, Y, w):
                a.flags.writeable = False
            self._X, self._Y, self._w = X, Y, w
            self._reduced = True

    @property
    def _open_left(self) -> bool:
        return bool(self._w[0] == 0)

    @property
    def _open_right(self) -> bool:
        return bool(self._w[-1] == 0)

    def _finite(self) -> slice:
        return slice(1 if self._open_left else 0, self._X.shape[0] - 1 if self._open_right else self._X.shape[0])

    def _fractions(self) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
        got = self._cache.get("points")
        if got is None:
            s = self._finite()
            X, Y, w = self._X[s], self._Y[s], self._w[s]
            got = (tuple(G.fractions(X, w)), tuple(G.fractions(Y, w)))
            self._cache["points"] = got
        return got

    @property
    def _xs(self) -> tuple[Fraction, ...]:
        return self._fractions()[0]

    @property
    def _ys(self) -> tuple[Fraction, ...]:
        return self._fractions()[1]

    @property
    def _left(self) -> Fraction | None:
        return Fraction(int(self._Y[0]), int(self._X[0])) if self._open_left else None

    @property
    def _right(self) -> Fraction | None:
        return Fraction(int(self._Y[-1]), int(self._X[-1])) if self._open_right else None

    def _is_affine_on_r(self) -> bool:
        """The one canonical form whose stored point is an anchor, not a kink."""
        if self._X.shape[0] != 3 or not (self._open_left and self._open_right):
            return False
        return int(self._Y[0]) * int(self._X[2]) == int(self._Y[2]) * int(self._X[0])

    # ------------------------------------------------------------ properties
    @property
    def domain(self) -> Domain:
        """``(lo, hi)``; ``None`` marks an infinite end."""
        lo = None if self._open_left else Fraction(int(self._X[0]), int(self._w[0]))
        hi = None if self._open_right else Fraction(int(self._X[-1]), int(self._w[-1]))
        return lo, hi

    @property
    def breakpoints(self) -> tuple[Fraction, ...]:
        """The vertices of the graph: finite domain ends and kinks, increasing."""
        return () if self._is_affine_on_r() else self._xs

    @property
    def values(self) -> tuple[Fraction, ...]:
        """The values at :attr:`breakpoints`."""
        return () if self._is_affine_on_r() else self._ys

    @property
    def kinks(self) -> tuple[Fraction, ...]:
        """Interior points where the slope changes."""
        if self._is_affine_on_r():
            return ()
        xs = self._xs
        return xs[(0 if self._open_left else 1): (len(xs) if self._open_right else len(xs) - 1)]

    @property
    def num_kinks(self) -> int:
        """``len(kinks)``, from the columns (no Fractions)."""
        return 0 if self._is_affine_on_r() else max(self._X.shape[0] - 2, 0)

    @property
    def pieces(self) -> int:
        """Number of maximal affine pieces on the domain (``len(kinks) + 1``)."""
        return self.num_kinks + 1

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
        if self._is_affine_on_r():
            return (self._left,)  # type: ignore[return-value]
        num, den = G.segment_slopes(self._X, self._Y, self._w)
        return tuple(G.fractions(num, den))

    # ------------------------------------------------------------ evaluation
    def _check_in_domain(self, x: Fraction) -> None:
        lo, hi = self.domain
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            raise DomainError(f"x={x} is outside the domain {domain_str(self.domain)}")

    def __call__(self, x: RationalLike) -> Fraction:
        """Exact value at ``x`` (DomainError outside the domain)."""
        x = to_rational(x, where="x")
        self._check_in_domain(x)
        return self._value(x)

    def _value(self, x: Fraction) -> Fraction:
        X, Y, w = self._X, self._Y, self._w
        pos, eq = G.bisect_point(X, w, x)
        if eq:
            return Fraction(int(Y[pos]), int(w[pos]))
        i = min(max(pos - 1, 0), X.shape[0] - 2)
        p, q = x.numerator, x.denominator
        X0, X1, w0, w1 = int(X[i]), int(X[i + 1]), int(w[i]), int(w[i + 1])
        alpha, beta = X1 * q - p * w1, p * w0 - X0 * q
        return Fraction(alpha * int(Y[i]) + beta * int(Y[i + 1]), alpha * w0 + beta * w1)

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
    def _restricted_columns(self, lo: Fraction | None, hi: Fraction | None) -> tuple[np.ndarray, ...]:
        """Columns on ``[lo, hi]`` (a sub-domain; None keeps an infinite end), not canonicalised."""
        return G.restrict_columns(self._X, self._Y, self._w, lo, hi)

    def _binary(self, other: "PiecewiseLinear", sign: int) -> "PiecewiseLinear":
        lo, hi = intersect(self.domain, other.domain)
        Xf, Yf, wf = self._restricted_columns(lo, hi)
        Xg, Yg, wg = other._restricted_columns(lo, hi)
        fl, fr = int(wf[0] == 0), int(wf[-1] == 0)
        if Xf.shape == Xg.shape and np.array_equal(Xf, Xg) and np.array_equal(wf, wg):
            return PiecewiseLinear._from_columns(*G.combine(Xf, Yf, wf, Yg, wg, Xg, sign))
        grid = G.on_common_grid_small if max(Xf.shape[0], Xg.shape[0]) <= G.SMALL else G.on_common_grid
        (Xa, Ya, wa), (Xb, Yb, wb) = grid((Xf, Yf, wf), (Xg, Yg, wg), fl, fr)
        return PiecewiseLinear._from_columns(*G.combine(Xa, Ya, wa, Yb, wb, Xb, sign))

    def __add__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
            return self._binary(other, 1)
        if _is_scalar(other):
            return self._shift(to_rational(other, where="constant"))
        return NotImplemented

    __radd__ = __add__

    def _shift(self, c: Fraction) -> "PiecewiseLinear":
        if c == 0:
            return self
        p, q = c.numerator, c.denominator
        bound = (abs(p) + q) * max(K.max_abs(self._X), K.max_abs(self._Y), K.max_abs(self._w), 1) + 1
        X, Y, w = K.choose(bound, self._X, self._Y, self._w)
        X, Y, w = X * q, Y * q + p * w, w * q
        G.reduce(X, Y, w)
        return PiecewiseLinear._from_columns(X, Y, w)

    def __sub__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
            return self._binary(other, -1)
        if _is_scalar(other):
            return self._shift(-to_rational(other, where="constant"))
        return NotImplemented

    def __rsub__(self, other: Any) -> "PiecewiseLinear":
        return (-self) + other

    def __neg__(self) -> "PiecewiseLinear":
        return self * -1

    def __mul__(self, scalar: Any) -> "PiecewiseLinear":
        if not _is_scalar(scalar):
            return NotImplemented
        c = to_rational(scalar, where="scalar")
        if c == 0:
            return PiecewiseLinear.affine(0, 0, self.domain)
        p, q = c.numerator, c.denominator
        bound = max(abs(p), q) * max(K.max_abs(self._X), K.max_abs(self._Y), K.max_abs(self._w), 1) + 1
        X, Y, w = K.choose(bound, self._X, self._Y, self._w)
        X, Y, w = X * q, Y * p, w * q
        G.reduce(X, Y, w)
        return PiecewiseLinear._from_columns(X, Y, w)

    __rmul__ = __mul__

    def relu(self) -> "PiecewiseLinear":
        """``max(f, 0)``, with the zero crossings inserted exactly."""
        X, Y, w = G.zero_crossings(self._X, self._Y, self._w)
        return PiecewiseLinear._from_columns(X, Y * (Y > 0), w)

    def abs(self) -> "PiecewiseLinear":
        """``|f|``, with the zero crossings inserted exactly."""
        X, Y, w = G.zero_crossings(self._X, self._Y, self._w)
        return PiecewiseLinear._from_columns(X, np.abs(Y), w)

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
        from ._compose import compose_columns

        return PiecewiseLinear._from_columns(*compose_columns(self, inner))

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
        if (lo is not None and dlo is not None and a is not None and a < dlo) or (
            hi is not None and dhi is not None and b is not None and b > dhi
        ):
            raise DomainError(
                f"cannot restrict to [{lo}, {hi}]: it reaches outside the domain {domain_str(self.domain)}"
            )
        a, b = parse_domain((a, b))
        return PiecewiseLinear._from_columns(*self._restricted_columns(a, b))

    def level_crossings(self, level: RationalLike = 0) -> tuple[Fraction, ...]:
        """Points where ``f - level`` changes sign strictly, increasing.

        A crossing through a flat stretch at the level is reported once, at the
        stretch's left end; touching the level without crossing is not a crossing.
        """
        X, w = self._crossing_columns(to_rational(level, where="level"))
        return tuple(G.fractions(X, w))

    def num_level_crossings(self, level: RationalLike = 0) -> int:
        """``len(level_crossings(level))``, from the columns (no Fractions)."""
        return int(self._crossing_columns(to_rational(level, where="level"))[0].shape[0])

    def _crossing_columns(self, c: Fraction) -> tuple[np.ndarray, np.ndarray]:
        g = self._shift(-c)
        return G.level_crossing_columns(g._X, g._Y, g._w)

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
        return G.trapezoid(*self._restricted_columns(a, b))

    # -------------------------------------------------------------- identity
    def __getstate__(self) -> tuple:
        # the columns only: a cached hash of bytes is salted per process and must not travel
        return (self._X, self._Y, self._w, self._reduced)

    def __setstate__(self, state: tuple) -> None:
        X, Y, w, reduced = state
        self._set(X.copy(), Y.copy(), w.copy())
        self._reduced = reduced

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PiecewiseLinear):
            return NotImplemented
        if self is other:
            return True
        if self._X.shape != other._X.shape:
            return False
        self._canonicalise()
        other._canonicalise()
        return all(
            a.dtype == b.dtype and np.array_equal(a, b)
            for a, b in ((self._X, other._X), (self._w, other._w), (self._Y, other._Y))
        )

    def __hash__(self) -> int:
        if self._hash is None:
            self._canonicalise()
            if self._X.dtype == np.int64:
                key: tuple = (self._X.tobytes(), self._Y.tobytes(), self._w.tobytes())
            else:
                key = (tuple(self._X.tolist()), tuple(self._Y.tolist()), tuple(self._w.tolist()))
            self._hash = hash(key)
        return self._hash

    def __repr__(self) -> str:
        if self._X.shape[0] > REPR_LIMIT:
            lo, hi = self.domain
            return (
                f"<PiecewiseLinear: {self.pieces} pieces on {domain_str((lo, hi))}, "
                f"{self._X.shape[0]} columns; .to_repr() gives the paste-back form>"
            )
        return self.to_repr()

    def to_repr(self) -> str:
        """The full paste-back form ``PiecewiseLinear([...], left_slope=..., right_slope=...)``.

        ``repr`` gives this form for functions with at most ``REPR_LIMIT``
        (64) vertices and a one-line summary above.

        >>> f = PiecewiseLinear([(0, 0), ("1/2", 1), (1, 0)])
        >>> eval(f.to_repr()) == f
        True
        """
        pts = ", ".join(f"({fmt(x)}, {fmt(y)})" for x, y in zip(self._xs, self._ys))
        extra = ""
        if self._left is not None:
            extra += f", left_slope={fmt(self._left)}"
        if self._right is not None:
            extra += f", right_slope={fmt(self._right)}"
        return f"PiecewiseLinear([{pts}]{extra})"

    def to_dict(self) -> dict:
        """The ``exactrelu.pwl`` envelope (docs/formats.md): rationals as strings of any length."""
        return formats.envelope("pwl", {
            "points": [[format_rational(x), format_rational(y)] for x, y in zip(self._xs, self._ys)],
            "left_slope": None if self._left is None else format_rational(self._left),
            "right_slope": None if self._right is None else format_rational(self._right),
        })

    def to_json(self) -> str:
        return formats.dumps(self.to_dict(), indent=None)

    @classmethod
    def from_dict(cls, data: Any) -> "PiecewiseLinear":
        formats.open_envelope(data, "pwl", what="exactrelu piecewise-linear function")
        formats.reject_floats(data, "pwl")
        points = data.get("points")
        if not isinstance(points, list):
            raise NetworkFormatError("'points' must be a list of [x, y] strings")
        for i, p in enumerate(points):
            if not isinstance(p, list) or len(p) != 2 or not all(isinstance(v, (str, int)) for v in p):
                raise NetworkFormatError(f"points[{i}]={quote(p)} must be a pair of rational strings")
        try:
            return cls(points, left_slope=data.get("left_slope"), right_slope=data.get("right_slope"))
        except ExactReluError as exc:
            raise NetworkFormatError(f"invalid piecewise-linear function: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> "PiecewiseLinear":
        return cls.from_dict(formats.loads(text, where="piecewise-linear JSON"))
