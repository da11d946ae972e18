"""Theorem 2.1 of Arora, Basu, Mianjy, Mukherjee (2018), constructively.

Arora et al. (2018), Theorem 2.1: every continuous PWL function R^n -> R is a
ReLU network of depth at most ceil(log2(n + 1)) + 1 (depth counts layers: that is
ceil(log2(n + 1)) hidden layers).  The proof writes the function as a signed sum
of maxima of at most n + 1 affine functions (the representation of Wang and Sun
(2005)), ``f = sum_j s_j max_{i in S_j} l_i`` with s_j in {+1, -1}, and computes
a maximum of k affine functions with ceil(log2 k) hidden layers by pairing,
generalising Fig. 3's ``max{x1, x2} = (x1 + x2)/2 + |x1 - x2|/2`` (4 units per
pair; an unpaired value passes through ``relu(v) - relu(-v)``, 2 units).

:class:`MaxRepresentation` holds such a representation (evaluated exactly),
:meth:`MaxRepresentation.to_network` builds the network, and
:func:`check_representation` confirms network == representation exactly on
random rational points and on random lines (the restriction to a line is a 1-D
PWL function, compared as canonical :class:`~exactrelu.PiecewiseLinear`
objects).  :func:`check_on_regions` confirms it on every region of the n-D
region complex (:func:`exactrelu.polyhedral.regions`): on each region
every maximum is shown affine (one affine function dominates the others at all
region vertices) and the representation's affine map equals the region's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, log2
from typing import Any, Sequence

from ..._validate import check_int
from ...errors import ShapeError
from ...network import ReLUNetwork, compose
from ...propagate import propagate
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational
from ._common import SOURCE, CheckResult

__all__ = [
    "Affine",
    "max_affine_network",
    "max_of_inputs_network",
    "representation_from_pwl",
    "MaxRepresentation",
    "hidden_layers_needed",
    "line_network",
    "check_representation",
    "check_on_regions",
]

_ZERO = Fraction(0)
_HALF = Fraction(1, 2)

#: An affine function x -> <w, x> + c as (w, c).
Affine = tuple[tuple[Fraction, ...], Fraction]


def hidden_layers_needed(k: int) -> int:
    """ceil(log2 k): hidden layers of the pairing construction for a max of k values (0 for k = 1)."""
    check_int("k", k, 1)
    return (k - 1).bit_length()


def _affine_list(functions: Sequence[Any]) -> list[Affine]:
    if isinstance(functions, (str, bytes)) or not hasattr(functions, "__len__") or len(functions) == 0:
        raise ShapeError("a maximum needs at least one affine function (w, c)")
    result: list[Affine] = []
    dim = None
    for i, item in enumerate(functions):
        try:
            w, c = item
        except (TypeError, ValueError):
            raise ShapeError(f"functions[{i}] must be a pair (w, c)") from None
        if isinstance(w, (str, bytes, int, Fraction)):
            w = (w,)
        wv = tuple(to_rational(v, where=f"functions[{i}].w[{j}]") for j, v in enumerate(w))
        if dim is None:
            dim = len(wv)
        if len(wv) != dim or dim == 0:
            raise ShapeError(f"functions[{i}] has dimension {len(wv)}, expected {dim}")
        result.append((wv, to_rational(c, where=f"functions[{i}].c")))
    return result


def max_affine_network(functions: Sequence[Any]) -> ReLUNetwork:
    """max_i (<w_i, x> + c_i) as a network with ceil(log2 k) hidden layers (k = len(functions)).

    Examples
    --------
    >>> net = max_affine_network([((1, 0), 0), ((0, 1), 0), ((-1, -1), 1)])
    >>> net.depth, net((2, 5)), net((-3, -4))
    (2, Fraction(5, 1), Fraction(8, 1))
    """
    fs = _affine_list(functions)
    # current values as affine maps of the previous layer's outputs: rows (coeffs, const)
    values: list[tuple[list[Fraction], Fraction]] = [(list(w), c) for w, c in fs]
    layers: list[tuple[list[list[Fraction]], list[Fraction]]] = []
    while len(values) > 1:
        unit_rows: list[tuple[list[Fraction], Fraction]] = []
        next_values: list[tuple[list[Fraction], Fraction]] = []

        def add(row: tuple[list[Fraction], Fraction]) -> int:
            unit_rows.append(row)
            return len(unit_rows) - 1

        def lin(a: tuple[list[Fraction], Fraction], sa: int, b: tuple[list[Fraction], Fraction] | None,
                sb: int) -> tuple[list[Fraction], Fraction]:
            if b is None:
                return [sa * x for x in a[0]], sa * a[1]
            return [sa * x + sb * y for x, y in zip(a[0], b[0])], sa * a[1] + sb * b[1]

        combos: list[list[tuple[int, Fraction]]] = []
        for j in range(0, len(values) - 1, 2):
            a, b = values[j], values[j + 1]
            u = [add(lin(a, 1, b, 1)), add(lin(a, -1, b, -1)), add(lin(a, 1, b, -1)), add(lin(a, -1, b, 1))]
            combos.append([(u[0], _HALF), (u[1], -_HALF), (u[2], _HALF), (u[3], _HALF)])
        if len(values) % 2:
            a = values[-1]
            u = [add(lin(a, 1, None, 0)), add(lin(a, -1, None, 0))]
            combos.append([(u[0], Fraction(1)), (u[1], Fraction(-1))])
        layers.append(([r[0] for r in unit_rows], [r[1] for r in unit_rows]))
        width = len(unit_rows)
        for combo in combos:
            coeffs = [_ZERO] * width
            for idx, coef in combo:
                coeffs[idx] += coef
            next_values.append((coeffs, _ZERO))
        values = next_values
    if not layers:  # k = 1: the affine map itself, no hidden layer
        return ReLUNetwork([([values[0][0]], [values[0][1]])])
    out = ([values[0][0]], [values[0][1]])
    return ReLUNetwork([*layers, out])


def max_of_inputs_network(k: int) -> ReLUNetwork:
    """max(x_1, ..., x_k) on R^k with ceil(log2 k) hidden layers (Fig. 3 is k = 2).

    >>> net = max_of_inputs_network(5)
    >>> net.depth, net((3, -1, "7/2", 0, 2))
    (3, Fraction(7, 2))
    """
    check_int("k", k, 1)
    return max_affine_network([(tuple(int(i == j) for j in range(k)), 0) for i in range(k)])


@dataclass(frozen=True)
class MaxRepresentation:
    """``f = sum_j sign_j max_{(w, c) in terms_j} (<w, x> + c)`` on R^n (proof of Theorem 2.1).

    Parameters
    ----------
    terms : sequence of (sign, functions)
        sign in {+1, -1}; functions a non-empty sequence of (w, c).
    """

    terms: tuple[tuple[int, tuple[Affine, ...]], ...]

    def __init__(self, terms: Sequence[tuple[int, Sequence[Any]]]):
        if isinstance(terms, (str, bytes)) or not hasattr(terms, "__len__") or len(terms) == 0:
            raise ShapeError("a representation needs at least one term (sign, functions)")
        parsed = []
        dim = None
        for j, term in enumerate(terms):
            try:
                sign, functions = term
            except (TypeError, ValueError):
                raise ShapeError(f"terms[{j}] must be a pair (sign, functions)") from None
            if sign not in (1, -1) or isinstance(sign, bool):
                raise ShapeError(f"terms[{j}] sign={sign!r} must be +1 or -1")
            fs = tuple(_affine_list(functions))
            if dim is None:
                dim = len(fs[0][0])
            if len(fs[0][0]) != dim:
                raise ShapeError(f"terms[{j}] has input dimension {len(fs[0][0])}, expected {dim}")
            parsed.append((int(sign), fs))
        object.__setattr__(self, "terms", tuple(parsed))

    @property
    def input_dim(self) -> int:
        return len(self.terms[0][1][0][0])

    @property
    def max_arity(self) -> int:
        """The largest number of affine functions in one maximum."""
        return max(len(fs) for _, fs in self.terms)

    def __call__(self, x: Sequence[RationalLike]) -> Fraction:
        point = tuple(to_rational(v, where="x") for v in x)
        if len(point) != self.input_dim:
            raise ShapeError(f"x has dimension {len(point)}, expected {self.input_dim}")
        return sum((s * max(sum((a * b for a, b in zip(w, point)), c) for w, c in fs)
                    for s, fs in self.terms), _ZERO)

    def on_line(self, p: Sequence[RationalLike], d: Sequence[RationalLike]) -> PiecewiseLinear:
        """t -> f(p + t d) on R as an exact PiecewiseLinear."""
        pv = [to_rational(v) for v in p]
        dv = [to_rational(v) for v in d]
        total = PiecewiseLinear.affine(0, 0)
        for s, fs in self.terms:
            m = None
            for w, c in fs:
                g = PiecewiseLinear.affine(sum((a * b for a, b in zip(w, dv)), _ZERO),
                                           sum((a * b for a, b in zip(w, pv)), c))
                m = g if m is None else m.maximum(g)
            assert m is not None
            total = total + m * s
        return total

    def to_network(self) -> ReLUNetwork:
        """The Theorem 2.1 network: the signed sum of :func:`max_affine_network` (shallower ones padded)."""
        net: ReLUNetwork | None = None
        for s, fs in self.terms:
            term = max_affine_network(fs).scale(s)
            net = term if net is None else net + term
        assert net is not None
        return net

    def depth_bound(self) -> int:
        """ceil(log2(n + 1)) hidden layers, Theorem 2.1's bound (when every max has <= n + 1 functions)."""
        return ceil(log2(self.input_dim + 1))


def representation_from_pwl(f: PiecewiseLinear) -> "MaxRepresentation":
    """A PWL R -> R (extended to R as in Theorem 2.2) as a signed sum of maxima of <= 2 = n + 1 affine maps.

    Each unit ``c relu(s (x - t))`` of :func:`~.pwl_networks.pwl_to_network` is
    ``sign(c) max(|c| s (x - t), 0)``; the output bias is a maximum of one affine map.

    >>> f = PiecewiseLinear([(0, 0), (1, 1), (2, 0)])
    >>> rep = representation_from_pwl(f)
    >>> rep.max_arity, rep.to_network().depth, rep.on_line((0,), (1,)) == propagate(rep.to_network()).output
    (2, 1, True)
    """
    from .pwl_networks import pwl_to_network

    net = pwl_to_network(f)
    if net.depth == 0:
        (W, b), = net.layers
        return MaxRepresentation([(1, [((W[0][0],), b[0])])])
    (W1, b1), (W2, b2) = net.layers
    terms: list[tuple[int, list[tuple[tuple[Fraction], Fraction]]]] = []
    for w, c0, coef in zip(W1, b1, W2[0]):
        if coef == 0:
            continue
        sign = 1 if coef > 0 else -1
        terms.append((sign, [((abs(coef) * w[0],), abs(coef) * c0), ((_ZERO,), _ZERO)]))
    terms.append((1, [((_ZERO,), b2[0])]))
    return MaxRepresentation(terms)


def line_network(p: Sequence[RationalLike], d: Sequence[RationalLike]) -> ReLUNetwork:
    """The affine network t -> p + t d (no hidden layer), to restrict an R^n network to a line."""
    return ReLUNetwork([([[to_rational(v)] for v in d], [to_rational(v) for v in p])])


def _random_point(rng: random.Random, n: int) -> tuple[Fraction, ...]:
    return tuple(Fraction(rng.randint(-60, 60), rng.randint(1, 7)) for _ in range(n))


def check_representation(rep: MaxRepresentation, net: ReLUNetwork | None = None, *, points: int = 200,
                         lines: int = 20, seed: int = 0) -> CheckResult:
    """Network == representation exactly on random rational points and random lines; depth bound."""
    net = rep.to_network() if net is None else net
    rng = random.Random(seed)
    n = rep.input_dim
    bad = ""
    for _ in range(points):
        x = _random_point(rng, n)
        if net(x) != rep(x):
            bad = f"differs at x={tuple(map(str, x))}"
            break
    if not bad:
        for _ in range(lines):
            p, d = _random_point(rng, n), _random_point(rng, n)
            if propagate(compose(net, line_network(p, d))).output != rep.on_line(p, d):
                bad = f"differs on the line {tuple(map(str, p))} + t {tuple(map(str, d))}"
                break
    depth_ok = rep.max_arity > n + 1 or net.depth <= rep.depth_bound()
    expected_depth = hidden_layers_needed(rep.max_arity)
    return CheckResult(
        f"Thm 2.1: signed sum of maxima of <= {rep.max_arity} affine maps on R^{n} as a network",
        SOURCE + ", Theorem 2.1 and Fig. 3", not bad and depth_ok and net.depth == expected_depth,
        f"{net.depth} hidden layers, size {net.size}; {points} points, {lines} lines",
        f"{expected_depth} hidden layers (<= ceil(log2(n+1)) = {rep.depth_bound()}), equal everywhere",
        detail=bad, witness=net)


def check_on_regions(rep: MaxRepresentation, box: Any, net: ReLUNetwork | None = None) -> CheckResult:
    """On every region of ``exactrelu.regions(net, box)``: each max is affine and rep == region's map.

    Uses the exact n-D region complex :func:`exactrelu.polyhedral.regions`.
    """
    from ...polyhedral import regions

    net = rep.to_network() if net is None else net
    complex_ = regions(net, box)
    bad = ""
    count = 0
    for region in complex_:
        count += 1
        verts = [tuple(v) for v in region.vertices]
        x0 = tuple(region.interior_point)
        grad = [_ZERO] * rep.input_dim
        offset = _ZERO
        for s, fs in rep.terms:
            best = max(fs, key=lambda f: sum((a * b for a, b in zip(f[0], x0)), f[1]))
            for v in verts:
                top = sum((a * b for a, b in zip(best[0], v)), best[1])
                if any(sum((a * b for a, b in zip(w, v)), c) > top for w, c in fs):
                    bad = f"a maximum is not affine on the region at {tuple(map(str, x0))}"
            grad = [g + s * a for g, a in zip(grad, best[0])]
            offset += s * best[1]
        if tuple(grad) != tuple(region.gradient) or offset != region.offset:
            bad = bad or f"affine map differs on the region at {tuple(map(str, x0))}"
        if bad:
            break
    return CheckResult(f"Thm 2.1 on the region complex of the network on {box}", SOURCE + ", Theorem 2.1",
                       not bad, f"{count} regions checked", "representation == network on each", detail=bad)
