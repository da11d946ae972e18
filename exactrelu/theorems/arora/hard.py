"""Hard functions of Arora, Basu, Mianjy, Mukherjee (2018), section 3.1, counted exactly.

Definition (re-derived from the caption of Fig. 2, which is what we could read):
for a in the open simplex ``Delta^p_M = {0 < a_1 < ... < a_p < M}``, h_a is the
continuous PWL function with

* h_a(x) = 0 for x <= 0,
* h_a(a_i) = M (i mod 2) for i = 1..p, and h_a(M) = M - h_a(a_p),
* linear on [0, a_1], [a_1, a_2], ..., [a_p, M], and for x >= M the linear
  continuation of the piece on [a_p, M].

So h_a has p + 2 pieces on R, p + 1 of them in [0, M], each mapping its interval
monotonically onto [0, M].  Check against Fig. 2: a^1 in Delta^2_1 gives 3
pieces on [0, 1], a^2 in Delta^1_1 gives 2, and h_{a^2} o h_{a^1} has 2 * 3 = 6
(:func:`figure2`).  By Corollary A.1 (first slope 0) h_a is a one-hidden-layer
network of p + 1 = w units, so ``H = h_{a^k} o ... o h_{a^1}`` is a network with
k hidden layers of width w (size wk) and w^k pieces on [0, M] (Theorem 3.1).

Exact counts on R (Lemma B.1 bounds them by (p+1)^k + 2): (-inf, 0] is one
constant piece; on [M, inf) H is affine, and it continues the last piece of
[0, M] unless p is odd and k >= 2, where H = 0 beyond M.  So the exact count is
w^k + 1 for even p (w odd) or k = 1, and w^k + 2 for odd p and k >= 2
(:func:`pieces_on_r_formula`, checked against propagation).

Theorem 3.2 / Lemma D.6: a network with k' hidden layers and size s has at most
(2s/k')^{k'} pieces, so one computing H needs s >= (1/2) k' w^{k/k'}; the paper
states ``(1/2) k' w^{k/k'} - 1``.  Corollary 3.4 takes w = k and k^2 layers:
a network of depth k^2, size k^3 whose function needs at least (1/2) k^{k+1} - 1
units at <= k hidden layers (:func:`corollary_3_4_table`).  Finding: with the
exact piece count, Lemma D.6 already gives the integer bound ceil(k^{k+1} / 2),
i.e. the "- 1" is slack (k = 2: 4 vs 3; k = 3: 41 vs 39.5; k = 4: 512 vs 511).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from ..._validate import check_int
from ...bounds import arora_min_size
from ...errors import DomainError, ShapeError
from ...network import ReLUNetwork, compose
from ...propagate import propagate
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational
from ._common import SOURCE, CheckResult
from .pwl_networks import min_units, minimal_network, pwl_to_network

__all__ = [
    "hard_function",
    "hard_network",
    "composition_network",
    "composition_pwl",
    "pieces_on_r_formula",
    "maps_onto_pieces",
    "figure2",
    "size_lower_bound_holds",
    "Corollary34Row",
    "corollary_3_4_table",
    "check_figure2",
    "check_theorem_3_1",
    "check_lemma_b1",
    "check_corollary_3_4",
    "check_theorem_3_2",
]


def _simplex(a: Sequence[RationalLike], M: RationalLike) -> tuple[tuple[Fraction, ...], Fraction]:
    m = to_rational(M, where="M")
    if m <= 0:
        raise DomainError(f"M={m} must be positive")
    if isinstance(a, (str, bytes)) or not hasattr(a, "__len__") or len(a) == 0:
        raise ShapeError("a must be a non-empty sequence 0 < a_1 < ... < a_p < M")
    values = tuple(to_rational(v, where=f"a[{i}]") for i, v in enumerate(a))
    chain = (Fraction(0),) + values + (m,)
    for i in range(1, len(chain)):
        if not chain[i - 1] < chain[i]:
            raise DomainError(f"a={[str(v) for v in values]} is not in Delta^{len(values)}_{m}: "
                              "need 0 < a_1 < ... < a_p < M")
    return values, m


def hard_function(a: Sequence[RationalLike], M: RationalLike = 1) -> PiecewiseLinear:
    """h_a on R for a in Delta^p_M (section 3.1; definition re-derived from Fig. 2).

    >>> h = hard_function(["1/3", "2/3"])
    >>> h.pieces, h.restrict(0, 1).pieces, [h(x) for x in (0, "1/3", "2/3", 1)]
    (4, 3, [Fraction(0, 1), Fraction(1, 1), Fraction(0, 1), Fraction(1, 1)])
    """
    values, m = _simplex(a, M)
    pts = [(Fraction(0), Fraction(0))] + [(v, m * (i % 2)) for i, v in enumerate(values, start=1)]
    end = m - pts[-1][1]
    pts.append((m, end))
    right = (end - pts[-2][1]) / (m - pts[-2][0])
    return PiecewiseLinear(pts, left_slope=0, right_slope=right)


def hard_network(a: Sequence[RationalLike], M: RationalLike = 1) -> ReLUNetwork:
    """h_a as one hidden layer of p + 1 = w units (Corollary A.1: its first slope is 0)."""
    return pwl_to_network(hard_function(a, M))


def composition_network(a_list: Sequence[Sequence[RationalLike]], M: RationalLike = 1) -> ReLUNetwork:
    """H = h_{a^k} o ... o h_{a^1} as a network with k hidden layers (a_list = [a^1, ..., a^k])."""
    if isinstance(a_list, (str, bytes)) or not hasattr(a_list, "__len__") or len(a_list) == 0:
        raise ShapeError("a_list must be a non-empty sequence of simplex points")
    net = hard_network(a_list[0], M)
    for a in a_list[1:]:
        net = compose(hard_network(a, M), net)
    return net


def composition_pwl(a_list: Sequence[Sequence[RationalLike]], M: RationalLike = 1) -> PiecewiseLinear:
    """H on R by exact PiecewiseLinear composition (independent of the network)."""
    if isinstance(a_list, (str, bytes)) or not hasattr(a_list, "__len__") or len(a_list) == 0:
        raise ShapeError("a_list must be a non-empty sequence of simplex points")
    f = hard_function(a_list[0], M)
    for a in a_list[1:]:
        f = hard_function(a, M).compose(f)
    return f


def pieces_on_r_formula(a_list: Sequence[Sequence[RationalLike]]) -> int:
    """The exact count on R derived in the module docstring (prod (p_i + 1) + 1 or + 2)."""
    total = 1
    for a in a_list:
        total *= len(a) + 1
    last_p_odd = any(len(a) % 2 == 1 for a in a_list[:-1])
    return total + (2 if last_p_odd else 1)


def maps_onto_pieces(f: PiecewiseLinear, M: Fraction) -> bool:
    """Every piece of f on [0, M] runs monotonically from 0 to M or from M to 0 (Lemma B.1)."""
    g = f.restrict(0, M)
    vals = g.values
    return all({vals[i], vals[i + 1]} == {Fraction(0), M} for i in range(len(vals) - 1))


def figure2(a1: Sequence[RationalLike] = ("1/3", "2/3"), a2: Sequence[RationalLike] = ("1/2",)) -> tuple[int, int, int]:
    """Pieces on [0, 1] of h_{a^1} (a^1 in Delta^2_1), h_{a^2} (a^2 in Delta^1_1) and H (Fig. 2).

    >>> figure2()
    (3, 2, 6)
    """
    h1 = propagate(hard_network(a1), (0, 1)).pieces
    h2 = propagate(hard_network(a2), (0, 1)).pieces
    h = propagate(composition_network([a1, a2]), (0, 1)).pieces
    return h1, h2, h


def size_lower_bound_holds(size: int, k_shallow: int, w: int, k: int) -> bool:
    """Exactly ``size >= (1/2) k' w^{k/k'} - 1`` (Theorem 3.2), as (2(size+1)/k')^{k'} >= w^k."""
    return (2 * (size + 1)) ** k_shallow >= w ** k * k_shallow ** k_shallow


@dataclass(frozen=True)
class Corollary34Row:
    """One row of the Corollary 3.4 table (w = k, k^2 hidden layers)."""

    k: int
    deep_depth: int
    deep_size: int
    pieces: int
    counted: str
    lemma_d6_min_size: int
    paper_bound: Fraction

    def to_dict(self) -> dict:
        return {"k": self.k, "deep_depth": self.deep_depth, "deep_size": self.deep_size,
                "pieces_on_[0,M]": self.pieces, "counted": self.counted,
                "lemma_D6_min_size": self.lemma_d6_min_size, "paper_bound": str(self.paper_bound)}


def _corollary_points(k: int) -> list[list[Fraction]]:
    """k^2 simplex points in Delta^{k-1}_1 (different ones per layer, to avoid special cases)."""
    return [[Fraction(i, k) - Fraction(layer % 3, 14 * k) for i in range(1, k)] for layer in range(k * k)]


def corollary_3_4_table(ks: Sequence[int] = (2, 3, 4), *, max_propagate: int = 1 << 16) -> list[Corollary34Row]:
    """Corollary 3.4 for each k: the deep net (depth k^2, size k^3), its exact piece count on [0, 1],
    Lemma D.6's minimum size at k hidden layers (:func:`exactrelu.bounds.arora_min_size`) and the
    paper's (1/2) k^{k+1} - 1.

    Counts up to ``max_propagate`` pieces are measured by propagating the network; larger ones
    (k = 4: 4^16) are derived exactly from the per-layer structure, verified exactly for every
    factor: each maps each of its w pieces on [0, 1] onto [0, 1] (:func:`maps_onto_pieces`).

    >>> [(r.k, r.deep_depth, r.deep_size, r.pieces, r.lemma_d6_min_size) for r in corollary_3_4_table((2, 3))]
    [(2, 4, 8, 16, 4), (3, 9, 27, 19683, 41)]
    """
    rows = []
    for k in ks:
        check_int("k", k, 2)
        points = _corollary_points(k)
        net = composition_network(points)
        if k ** (k * k) <= max_propagate:
            pieces, counted = propagate(net, (0, 1)).pieces, "propagated"
        else:
            factors = [hard_function(a) for a in points]
            if not all(maps_onto_pieces(h, Fraction(1)) and h.restrict(0, 1).pieces == k for h in factors):
                raise AssertionError("a factor does not map its pieces onto [0, 1]")  # pragma: no cover
            pieces, counted = k ** (k * k), "product of verified factors"
        rows.append(Corollary34Row(k, net.depth, net.size, pieces, counted,
                                   arora_min_size(pieces, k), Fraction(k ** (k + 1), 2) - 1))
    return rows


# --------------------------------------------------------------------- checks
def check_figure2(expected: tuple[int, int, int] = (3, 2, 6)) -> CheckResult:
    """Fig. 2: 3, 2 and 6 pieces on [0, 1]."""
    got = figure2()
    return CheckResult("Fig. 2: h_{a^1}, h_{a^2}, h_{a^2} o h_{a^1} pieces on [0,1]", SOURCE + ", Fig. 2",
                       got == expected, str(got), str(expected))


def check_theorem_3_1(a_list: Sequence[Sequence[RationalLike]], M: RationalLike = 1,
                      net: ReLUNetwork | None = None) -> CheckResult:
    """H has prod (p_i + 1) (= w^k) pieces on [0, M], each onto [0, M]; network depth k, size sum w_i.

    ``net`` (default: :func:`composition_network`) is the network checked.
    """
    m = to_rational(M, where="M")
    net = composition_network(a_list, m) if net is None else net
    out = propagate(net, (0, m)).output
    expected = 1
    for a in a_list:
        expected *= len(a) + 1
    size = sum(len(a) + 1 for a in a_list)
    ok = out.pieces == expected and maps_onto_pieces(out, m) and net.depth == len(a_list) and net.size == size
    return CheckResult(f"Thm 3.1: H of k={len(a_list)} hard functions has w^k pieces on [0,M]",
                       SOURCE + ", Theorem 3.1 and Lemma B.1", ok,
                       f"{out.pieces} pieces, depth {net.depth}, size {net.size}",
                       f"{expected} pieces (each onto [0,M]), depth {len(a_list)}, size {size}", witness=net)


def check_lemma_b1(a_list: Sequence[Sequence[RationalLike]], M: RationalLike = 1,
                   net: ReLUNetwork | None = None) -> CheckResult:
    """Pieces on R: <= (p+1)^k + 2 (Lemma B.1), equal to the exact formula, network == PWL composition."""
    m = to_rational(M, where="M")
    net = composition_network(a_list, m) if net is None else net
    out = propagate(net).output
    bound = 1
    for a in a_list:
        bound *= len(a) + 1
    formula = pieces_on_r_formula(a_list)
    ok = out == composition_pwl(a_list, m) and out.pieces <= bound + 2 and out.pieces == formula
    return CheckResult(f"Lemma B.1: H (k={len(a_list)}) has <= (p+1)^k + 2 pieces on R", SOURCE + ", Lemma B.1",
                       ok, f"{out.pieces} pieces", f"<= {bound + 2}, exactly {formula}", witness=net)


def check_corollary_3_4(rows: Sequence[Corollary34Row] | None = None) -> CheckResult:
    """Each row: depth k^2, size k^3, pieces k^{k^2}, Lemma D.6 minimum size >= (1/2) k^{k+1} - 1."""
    rows = corollary_3_4_table((2, 3, 4)) if rows is None else rows
    bad = [r.k for r in rows if not (r.deep_depth == r.k ** 2 and r.deep_size == r.k ** 3
                                     and r.pieces == r.k ** (r.k * r.k) and r.lemma_d6_min_size >= r.paper_bound
                                     and size_lower_bound_holds(r.lemma_d6_min_size, r.k, r.k, r.k * r.k))]
    return CheckResult("Cor. 3.4: depth k^2, size k^3, k^{k^2} pieces; >= k^{k+1}/2 - 1 units at k layers",
                       SOURCE + ", Corollary 3.4 and Lemma D.6", not bad,
                       "; ".join(f"k={r.k}: {r.pieces} pieces, min size {r.lemma_d6_min_size}" for r in rows),
                       "; ".join(f"k={r.k}: >= {r.paper_bound}" for r in rows),
                       detail=f"failing k: {bad}" if bad else "")


def check_theorem_3_2(a_list: Sequence[Sequence[RationalLike]], k_shallow: int, size: int | None = None) -> CheckResult:
    """Theorem 3.2: a network with k' <= k hidden layers computing H needs size >= (1/2) k' w^{k/k'} - 1.

    The exact piece count of H on [0, 1] (propagated) gives Lemma D.6's least size at k' layers;
    for k' = 1 the exact minimum one-hidden-layer size on R (Theorem 2.2, :func:`min_units`) is
    computed and realised by a network, so the bound is compared with a size that is attained.
    All a^i must have the same length w - 1 (M = 1).  ``size`` replaces the computed size by a
    claimed one (e.g. of a network someone says computes H at k' layers), which is then judged.

    Finding: at k' = 1 the exact minimum is w^k (+1 when H has a zero tail), twice the bound.
    """
    k = len(a_list)
    w = len(a_list[0]) + 1
    if any(len(a) + 1 != w for a in a_list):
        raise ShapeError("Theorem 3.2 uses one width w: every a^i needs w - 1 entries")
    check_int("k_shallow", k_shallow, 1)
    if k_shallow > k:
        raise ShapeError(f"k_shallow={k_shallow!r} must be at most k={k}")
    pieces = propagate(composition_network(a_list), (0, 1)).pieces
    if k_shallow == 1:
        h = composition_pwl(a_list)
        measured = min_units(h)
        net = minimal_network(h)
        attained = net.depth == 1 and propagate(net).output == h and net.size == measured
        how = f"exact minimum one-hidden-layer size {measured} (attained: {attained})"
    else:
        measured, attained = arora_min_size(pieces, k_shallow), True
        how = f"Lemma D.6 least size {measured} for {pieces} pieces"
    if size is not None:
        measured, how = size, f"claimed size {size}"
    ok = attained and pieces == w ** k and size_lower_bound_holds(measured, k_shallow, w, k)
    approx = (k_shallow / 2) * w ** (k / k_shallow) - 1
    bound = f"(1/2) {k_shallow} {w}^({k}/{k_shallow}) - 1"
    return CheckResult(f"Thm 3.2: H (k={k}, w={w}) at {k_shallow} hidden layer(s) needs >= {bound} units",
                       SOURCE + ", Theorem 3.2 and Lemma D.6", ok, how, f">= {bound} (~{approx:.4g}; decided exactly)")
