"""Search spaces of the counterexample search (see :mod:`exactrelu.search`).

A space knows how to draw a random witness from a :class:`random.Random`, how
to move to a neighbour (local search), how to offer simpler variants of a
witness (greedy simplification after a find), which hypothesis strategy
generates the same kind of objects (built from :mod:`exactrelu.strategies`,
imported lazily), and how to write a witness as JSON (rationals as strings) and
read it back.  Spaces are frozen dataclasses of plain values, so they pickle
and can be shipped to any executor.

Every value drawn lies on the rational grid ``p/q`` with ``|p| <= max_numerator``
and ``1 <= q <= max_denominator``: small exact numbers, so witnesses stay
readable and the exact objective stays cheap.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterator

from .._validate import check_int, check_widths
from ..constructions import grid_value as _grid_value
from ..constructions import random_network
from ..errors import NetworkFormatError, ShapeError
from ..rationals import quote
from ..network import ReLUNetwork
from ..pwl import PiecewiseLinear

__all__ = ["NetworkSpace", "PiecewiseLinearSpace", "PairSpace", "SPACES", "space_from_dict"]

_ZERO = Fraction(0)


def _nudge(rng: random.Random, v: Fraction, max_numerator: int, max_denominator: int) -> Fraction:
    """A neighbour of ``v``: a fresh grid value, a small step, a sign flip, or 0."""
    r = rng.random()
    if r < 0.4:
        return _grid_value(rng, max_numerator, max_denominator)
    if r < 0.8:
        step = Fraction(rng.choice((1, -1)), rng.randint(1, max_denominator))
        return v + step
    if r < 0.9:
        return -v
    return _ZERO


def _simpler_values(v: Fraction) -> Iterator[Fraction]:
    """Candidates that read simpler than ``v`` (0, nearby integers, halves)."""
    if v == 0:
        return
    yield _ZERO
    if v.denominator != 1:
        fl = v.numerator // v.denominator
        yield Fraction(fl)
        yield Fraction(fl + 1)
        if v.denominator != 2:
            yield Fraction(2 * v.numerator // v.denominator, 2)
    if abs(v) > 1:
        yield Fraction(1 if v > 0 else -1)


# -------------------------------------------------------------------- networks
@dataclass(frozen=True)
class NetworkSpace:
    """Networks R -> R with hidden ``widths`` and weights on a small rational grid."""

    widths: tuple[int, ...] = (3, 3)
    max_numerator: int = 6
    max_denominator: int = 4

    kind = "network"

    def __post_init__(self) -> None:
        object.__setattr__(self, "widths", check_widths(self.widths))
        for name in ("max_numerator", "max_denominator"):
            check_int(name, getattr(self, name), 1)

    def describe(self) -> dict:
        return {"kind": self.kind, "widths": list(self.widths), "max_numerator": self.max_numerator,
                "max_denominator": self.max_denominator}

    def _dims(self) -> tuple[int, ...]:
        return (1, *self.widths, 1)

    def draw(self, rng: random.Random) -> ReLUNetwork:
        return random_network(self.widths, rng=rng, max_numerator=self.max_numerator,
                              max_denominator=self.max_denominator)

    @staticmethod
    def _entries(net: ReLUNetwork) -> list[tuple[int, int, int]]:
        """Every parameter as (layer, row, column); column -1 is the bias."""
        out: list[tuple[int, int, int]] = []
        for l, (W, b) in enumerate(net.layers):
            for r, row in enumerate(W):
                out.extend((l, r, c) for c in range(len(row)))
                out.append((l, r, -1))
        return out

    @staticmethod
    def _replace(net: ReLUNetwork, changes: dict[tuple[int, int, int], Fraction]) -> ReLUNetwork:
        layers = [([list(row) for row in W], list(b)) for W, b in net.layers]
        for (l, r, c), v in changes.items():
            if c < 0:
                layers[l][1][r] = v
            else:
                layers[l][0][r][c] = v
        return ReLUNetwork.from_exact(
            tuple((tuple(tuple(row) for row in W), tuple(b)) for W, b in layers)
        )

    @staticmethod
    def _get(net: ReLUNetwork, where: tuple[int, int, int]) -> Fraction:
        l, r, c = where
        W, b = net.layers[l]
        return b[r] if c < 0 else W[r][c]

    def mutate(self, net: ReLUNetwork, rng: random.Random) -> ReLUNetwork:
        """Change one to three parameters (a fresh value, a small step, a sign flip, 0, or a copy)."""
        entries = self._entries(net)
        changes = {}
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            where = rng.choice(entries)
            if rng.random() < 0.1:  # copy another parameter: coincidences, duplicated units
                changes[where] = self._get(net, rng.choice(entries)) * rng.choice((1, -1))
            else:
                changes[where] = _nudge(rng, self._get(net, where), self.max_numerator, self.max_denominator)
        return self._replace(net, changes)

    def simplifications(self, net: ReLUNetwork) -> Iterator[ReLUNetwork]:
        for where in self._entries(net):
            for v in _simpler_values(self._get(net, where)):
                yield self._replace(net, {where: v})

    def strategy(self):
        from ..strategies import networks, rationals

        return networks(widths=self.widths,
                        weights=rationals(max_numerator=self.max_numerator, max_denominator=self.max_denominator))

    @staticmethod
    def encode(net: ReLUNetwork) -> dict:
        return net.to_dict()

    @staticmethod
    def decode(data: Any) -> ReLUNetwork:
        return ReLUNetwork.from_dict(data)


# ------------------------------------------------------------ piecewise linear
def _pwl_from(xs: list[Fraction], ys: list[Fraction], left, right) -> PiecewiseLinear:
    return PiecewiseLinear(list(zip(xs, ys)), left_slope=left, right_slope=right)


def _parts(f: PiecewiseLinear) -> tuple[list[Fraction], list[Fraction], Fraction | None, Fraction | None]:
    """Vertices, values and end slopes; an affine map on R is anchored at its value at 0."""
    xs, ys = list(f.breakpoints), list(f.values)
    if not xs:
        xs, ys = [_ZERO], [f(_ZERO)]
    return xs, ys, f.left_slope, f.right_slope


@dataclass(frozen=True)
class PiecewiseLinearSpace:
    """Continuous PWL functions on R with at most ``max_pieces`` pieces, vertices on a small grid."""

    max_pieces: int = 5
    max_numerator: int = 6
    max_denominator: int = 4

    kind = "pwl"

    def __post_init__(self) -> None:
        for name in ("max_pieces", "max_numerator", "max_denominator"):
            check_int(name, getattr(self, name), 1)

    def describe(self) -> dict:
        return {"kind": self.kind, "max_pieces": self.max_pieces, "max_numerator": self.max_numerator,
                "max_denominator": self.max_denominator}

    def _value(self, rng: random.Random) -> Fraction:
        return _grid_value(rng, self.max_numerator, self.max_denominator)

    def draw(self, rng: random.Random) -> PiecewiseLinear:
        n = rng.randint(1, self.max_pieces)
        if n == 1:
            return PiecewiseLinear.affine(self._value(rng), self._value(rng))
        xs = sorted({self._value(rng) for _ in range(n - 1)})
        ys = [self._value(rng) for _ in xs]
        return _pwl_from(xs, ys, self._value(rng), self._value(rng))

    def mutate(self, f: PiecewiseLinear, rng: random.Random) -> PiecewiseLinear:
        xs, ys, left, right = _parts(f)
        if left is None or right is None:  # pragma: no cover - the space holds functions on R
            raise ShapeError("PiecewiseLinearSpace mutates functions on R only")
        move = rng.randrange(5)
        if move == 0:
            left = _nudge(rng, left, self.max_numerator, self.max_denominator)
        elif move == 1:
            right = _nudge(rng, right, self.max_numerator, self.max_denominator)
        elif move == 2:
            i = rng.randrange(len(xs))
            ys[i] = _nudge(rng, ys[i], self.max_numerator, self.max_denominator)
        elif move == 3 and len(xs) < self.max_pieces - 1:
            x = self._value(rng)
            if x not in xs:
                y = f(x) if rng.random() < 0.5 else self._value(rng)
                xs.append(x)
                ys.append(y)
                order = sorted(range(len(xs)), key=xs.__getitem__)
                xs, ys = [xs[i] for i in order], [ys[i] for i in order]
        elif len(xs) > 1:
            i = rng.randrange(len(xs))
            del xs[i], ys[i]
        return _pwl_from(xs, ys, left, right)

    def simplifications(self, f: PiecewiseLinear) -> Iterator[PiecewiseLinear]:
        xs, ys, left, right = _parts(f)
        if left is None or right is None:  # pragma: no cover - the space holds functions on R
            raise ShapeError("PiecewiseLinearSpace simplifies functions on R only")
        for i in range(len(ys)):
            for v in _simpler_values(ys[i]):
                yield _pwl_from(xs, ys[:i] + [v] + ys[i + 1:], left, right)
        for v in _simpler_values(left):
            yield _pwl_from(xs, ys, v, right)
        for v in _simpler_values(right):
            yield _pwl_from(xs, ys, left, v)
        for i in range(len(xs)):
            for v in _simpler_values(xs[i]):
                new = sorted(set(xs[:i] + [v] + xs[i + 1:]))
                if len(new) == len(xs):
                    yield _pwl_from(new, [f(x) if x not in xs else ys[xs.index(x)] for x in new], left, right)

    def strategy(self):
        from ..strategies import piecewise_linear, rationals

        return piecewise_linear(domain=None, max_pieces=self.max_pieces,
                                values=rationals(max_numerator=self.max_numerator,
                                                 max_denominator=self.max_denominator))

    @staticmethod
    def encode(f: PiecewiseLinear) -> dict:
        return f.to_dict()

    @staticmethod
    def decode(data: Any) -> PiecewiseLinear:
        return PiecewiseLinear.from_dict(data)


@dataclass(frozen=True)
class PairSpace(PiecewiseLinearSpace):
    """Pairs ``(f, g)`` of PWL functions on R, each drawn, moved and simplified as in :class:`PiecewiseLinearSpace`."""

    kind = "pwl_pair"

    def draw(self, rng: random.Random) -> tuple[PiecewiseLinear, PiecewiseLinear]:  # type: ignore[override]
        return super().draw(rng), super().draw(rng)

    def mutate(self, pair: Any, rng: random.Random) -> Any:
        f, g = pair
        if rng.random() < 0.5:
            return super().mutate(f, rng), g
        return f, super().mutate(g, rng)

    def simplifications(self, pair: Any) -> Iterator[Any]:
        f, g = pair
        for f2 in super().simplifications(f):
            yield f2, g
        for g2 in super().simplifications(g):
            yield f, g2

    def strategy(self) -> Any:
        from hypothesis import strategies as st

        single = super().strategy()
        return st.tuples(single, single)

    @staticmethod
    def encode(pair: Any) -> Any:
        return [pair[0].to_dict(), pair[1].to_dict()]

    @staticmethod
    def decode(data: Any) -> Any:
        if not isinstance(data, list) or len(data) != 2:
            raise NetworkFormatError("a pwl_pair witness must be a list of two exactrelu.pwl objects")
        return PiecewiseLinear.from_dict(data[0]), PiecewiseLinear.from_dict(data[1])


#: Space classes by ``kind`` (the ``"kind"`` field of a witness file).
SPACES = {cls.kind: cls for cls in (NetworkSpace, PiecewiseLinearSpace, PairSpace)}


#: Largest width, length or grid parameter a space read from a file may have.
_MAX_SPACE_INT = 10**6


def _small_positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= _MAX_SPACE_INT


def space_from_dict(data: Any) -> Any:
    """Rebuild a space from :meth:`describe` output (as stored in a witness file)."""
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str) or data["kind"] not in SPACES:
        raise NetworkFormatError(f"space={quote(data)}: 'kind' must be one of {sorted(SPACES)}")
    import dataclasses

    cls: Any = SPACES[data["kind"]]
    known = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(str(k) for k in data if k != "kind" and k not in known)
    if unknown:
        raise NetworkFormatError(f"space of kind {data['kind']!r}: unknown key(s) {', '.join(quote(k, 40) for k in unknown[:5])} "
                                 f"(a {data['kind']} space has {', '.join(known)})")
    widths = data.get("widths", ())
    if "widths" in data and not (isinstance(widths, list) and 1 <= len(widths) <= _MAX_SPACE_INT
                                 and all(_small_positive(m) for m in widths)):
        raise NetworkFormatError(f"space.widths={quote(widths)} must be a list of positive ints "
                                 f"(at most {_MAX_SPACE_INT})")
    for key, value in data.items():
        if key not in ("kind", "widths") and not _small_positive(value):
            raise NetworkFormatError(f"space.{key}={quote(value)} must be a positive int (at most {_MAX_SPACE_INT})")
    kwargs = {k: (tuple(v) if k == "widths" else v) for k, v in data.items() if k != "kind"}
    try:
        return cls(**kwargs)
    except (TypeError, ShapeError) as exc:
        raise NetworkFormatError(f"invalid search space of kind {data['kind']!r}: {exc}") from None
