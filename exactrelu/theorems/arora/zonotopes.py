"""Zonotopes and the family ZONOTOPE^n_{k,w,m} of Arora, Basu, Mianjy, Mukherjee (2018), section 3.2.

The zonotope with generators b_1..b_m in R^n is Z = {sum_i lambda_i b_i : -1 <= lambda_i <= 1}.

* Lemma 3.7: its support function gamma_Z(r) = max_{x in Z} <r, x> = sum_i |<r, b_i>|
  is a 2-layer network (one hidden layer) of size 2m (:func:`support_function_network`).
* Theorem 3.6: Z has at most 2 sum_{i=0}^{n-1} C(m-1, i) vertices, with equality for
  generators off a measure-zero set.  The vertices of Z are the sign vectors
  (sign <r, b_i>)_i of generic r, i.e. the regions of the central arrangement of the
  hyperplanes b_i^perp.  :func:`vertex_count` counts them exactly by
  deletion-restriction, :func:`vertex_count_whitney` independently by Whitney's
  formula r = sum_{S subset of A} (-1)^{|S| - rank S} (Zaslavsky), and
  :func:`vertex_count_hull_2d` by an exact convex hull of the 2^m signed sums.
* Theorem 3.9: ZONOTOPE^n_{k,w,m}[a^1..a^k, b^1..b^m] = H_{a^1..a^k} o gamma_Z is a
  network of depth k + 2 (k + 1 hidden layers) and size 2m + wk; its piece count is
  compared here with the exact one.

Exact piece count (derived here, confirmed on the 2-D region complex)
-------------------------------------------------------------------------
If the generators span R^n (n >= 2), gamma_Z is linear, <r, v>, on the normal cone
C_v of each of the V vertices v of Z, with gamma_Z > 0 off the origin.  On C_v,
H(gamma_Z(r)) has one piece per piece of H on [0, inf) (each a convex slab of the
cone); slabs of different cones carry different affine maps unless H is constant
there, and the constant slabs of all cones form one connected piece.  So::

    pieces = V * (nonconstant pieces of H on [0, inf)) + (constant pieces of H on [0, inf))

For the hard functions of section 3.1 (a^i in Delta^{w-1}_M): H has w^k nonconstant pieces
on [0, M], and beyond M either continues its last piece (w odd) or is 0 (w even, k >= 2).

FINDING (Fig. 1, with M = 1, a^1 = a^2 = (1/2), so w = 2):

============================  ======  ===================================  ==========================
function                      V       exact pieces on R^2                  (sum_{i<n} C(m-1,i)) w^k
============================  ======  ===================================  ==========================
ZONOTOPE^2_{2,2,2} (l1 norm)  4       4 * 4 + 1 = 17                       2 * 4 = 8
ZONOTOPE^2_{2,2,4}, c^1..c^4  8       8 * 4 + 1 = 33                       4 * 4 = 16
ZONOTOPE^2_{3,2,4}, c^1..c^4  8       8 * 8 + 1 = 65                       4 * 8 = 32
============================  ======  ===================================  ==========================

The count of Theorem 3.9 as stated, (sum_{i=0}^{n-1} C(m-1, i)) w^k, is half of the
V w^k pieces on which the function is positive (V = 2 sum_{i<n} C(m-1, i) for generic
generators, Theorem 3.6), and the zero region beyond gamma_Z = M adds one more piece.
It remains a valid *lower* bound (which is how the gap theorem uses it), but it is
not the count.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, product
from math import comb
from typing import Any, Sequence

from ...errors import ShapeError
from ...network import ReLUNetwork, compose
from ...propagate import propagate
from ...pwl import PiecewiseLinear
from ...rationals import RationalLike, to_rational
from ._common import SOURCE, CheckResult, budget_error
from .depth import line_network
from .hard import composition_network, composition_pwl

__all__ = [
    "FIGURE1",
    "generators",
    "support_function",
    "support_function_network",
    "vertex_bound",
    "vertex_count",
    "vertex_count_whitney",
    "vertex_count_hull_2d",
    "zonotope_function_network",
    "zonotope_pieces_formula",
    "paper_piece_count",
    "pieces_on_regions",
    "check_lemma_3_7",
    "check_theorem_3_6",
    "check_theorem_3_9",
    "check_figure1_formula",
]

_ZERO = Fraction(0)
Vector = tuple[Fraction, ...]


def generators(gens: Sequence[Sequence[RationalLike]]) -> tuple[Vector, ...]:
    """Validate generators: a non-empty list of equal-length rational vectors."""
    if isinstance(gens, (str, bytes)) or not hasattr(gens, "__len__") or len(gens) == 0:
        raise ShapeError("a zonotope needs at least one generator")
    out = []
    for i, g in enumerate(gens):
        if isinstance(g, (str, bytes)) or not hasattr(g, "__len__"):
            raise ShapeError(f"generators[{i}] must be a vector")
        out.append(tuple(to_rational(v, where=f"generators[{i}][{j}]") for j, v in enumerate(g)))
    n = len(out[0])
    if n == 0 or any(len(g) != n for g in out):
        raise ShapeError("generators must be non-empty vectors of one dimension")
    return tuple(out)


def _dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), _ZERO)


def support_function(gens: Sequence[Sequence[RationalLike]], r: Sequence[RationalLike]) -> Fraction:
    """gamma_Z(r) = sum_i |<r, b_i>| exactly."""
    bs = generators(gens)
    rv = tuple(to_rational(v) for v in r)
    return sum((abs(_dot(rv, b)) for b in bs), _ZERO)


def support_function_network(gens: Sequence[Sequence[RationalLike]]) -> ReLUNetwork:
    """Lemma 3.7: gamma_Z(r) = sum_i relu(<b_i, r>) + relu(-<b_i, r>), one hidden layer of 2m units.

    >>> support_function_network([(0, 1), (1, 0)])(("-1/2", 2))
    Fraction(5, 2)
    """
    bs = generators(gens)
    rows = [row for b in bs for row in (list(b), [-v for v in b])]
    return ReLUNetwork([(rows, [0] * len(rows)), ([[1] * len(rows)], [0])])


def vertex_bound(m: int, n: int) -> int:
    """Theorem 3.6: 2 sum_{i=0}^{n-1} C(m-1, i)."""
    return 2 * sum(comb(m - 1, i) for i in range(n))


def _canonical(v: Vector) -> Vector | None:
    """The line through v, as v divided by its first nonzero entry (None for v = 0)."""
    for x in v:
        if x != 0:
            return tuple(y / x for y in v)
    return None


def vertex_count(gens: Sequence[Sequence[RationalLike]], *, max_calls: int = 200_000) -> int:
    """Exact number of vertices of Z: regions of the central arrangement {b_i^perp}, by
    deletion-restriction r(A) = r(A - H) + r(A^H).  Zero generators are ignored (a point: 1).

    >>> vertex_count([(1, 0), (0, 1)]), vertex_count([(1, 0), (2, 0), (0, 1)]), vertex_count([(1, 0, 0)])
    (4, 4, 2)
    """
    bs = generators(gens)
    memo: dict[frozenset, int] = {}
    calls = [0]

    def regions(lines: frozenset) -> int:
        if not lines:
            return 1
        if lines in memo:
            return memo[lines]
        calls[0] += 1
        if calls[0] > max_calls:
            raise budget_error("max_calls", max_calls, calls[0], "deletion-restriction calls")
        ordered = sorted(lines)
        h = ordered[-1]
        rest = ordered[:-1]
        hh = _dot(h, h)
        restricted = set()
        for v in rest:
            proj = _canonical(tuple(x - _dot(v, h) / hh * y for x, y in zip(v, h)))
            if proj is not None:
                restricted.add(proj)
        value = regions(frozenset(rest)) + regions(frozenset(restricted))
        memo[lines] = value
        return value

    return regions(frozenset(c for c in (_canonical(b) for b in bs) if c is not None))


def _rank(vectors: Sequence[Vector]) -> int:
    rows = [list(v) for v in vectors]
    rank, col = 0, 0
    n = len(rows[0]) if rows else 0
    while rank < len(rows) and col < n:
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(rank + 1, len(rows)):
            f = rows[i][col] / rows[rank][col]
            if f:
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
        col += 1
    return rank


def vertex_count_whitney(gens: Sequence[Sequence[RationalLike]]) -> int:
    """The same count by Whitney/Zaslavsky, sum over all subsets S of (-1)^{|S| - rank S} (2^m terms)."""
    bs = [b for b in generators(gens) if any(b)]
    if len(bs) > 18:
        raise budget_error("m", 18, len(bs), "generators (2^m subsets)")
    total = 0
    for size in range(len(bs) + 1):
        for subset in combinations(bs, size):
            total += (-1) ** ((size - _rank(subset)) % 2)
    return total


def vertex_count_hull_2d(gens: Sequence[Sequence[RationalLike]]) -> int:
    """Vertices of the exact convex hull of the 2^m points sum +-b_i in R^2 (independent, m <= 14)."""
    bs = generators(gens)
    if len(bs[0]) != 2:
        raise ShapeError("vertex_count_hull_2d needs generators in R^2")
    if len(bs) > 14:
        raise budget_error("m", 14, len(bs), "generators (2^m points)")
    pts = sorted({(sum((s * b[0] for s, b in zip(signs, bs)), _ZERO), sum((s * b[1] for s, b in zip(signs, bs)), _ZERO))
                  for signs in product((1, -1), repeat=len(bs))})
    if len(pts) <= 2:
        return len(pts)

    def cross(o: tuple, a: tuple, b: tuple) -> Fraction:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    hull: list[tuple] = []
    for seq in (pts, list(reversed(pts))):
        part: list[tuple] = []
        for p in seq:
            while len(part) >= 2 and cross(part[-2], part[-1], p) <= 0:
                part.pop()
            part.append(p)
        hull.extend(part[:-1])
    return len(hull)


def zonotope_function_network(a_list: Sequence[Sequence[RationalLike]], gens: Sequence[Sequence[RationalLike]],
                              M: RationalLike = 1) -> ReLUNetwork:
    """ZONOTOPE^n_{k,w,m}[a^1..a^k, b^1..b^m] = H_{a^1..a^k} o gamma_Z (Theorem 3.9); k + 1 hidden layers."""
    return compose(composition_network(a_list, M), support_function_network(gens))


def _h_on_half_line(a_list: Sequence[Sequence[RationalLike]], M: RationalLike) -> PiecewiseLinear:
    return composition_pwl(a_list, M).restrict(0, None)


def zonotope_pieces_formula(a_list: Sequence[Sequence[RationalLike]], gens: Sequence[Sequence[RationalLike]],
                            M: RationalLike = 1) -> int:
    """V * (nonconstant pieces of H on [0, inf)) + (constant ones): the exact count of the module docstring.

    Needs n >= 2 and generators spanning R^n.
    """
    bs = generators(gens)
    n = len(bs[0])
    if n < 2 or _rank(bs) < n:
        raise ShapeError("the piece formula needs n >= 2 and generators spanning R^n")
    h = _h_on_half_line(a_list, M)
    constant = sum(1 for s in h.slopes if s == 0)
    return vertex_count(bs) * (h.pieces - constant) + constant


def paper_piece_count(a_list: Sequence[Sequence[RationalLike]], gens: Sequence[Sequence[RationalLike]]) -> int:
    """The count stated in Theorem 3.9 (as we read it): (sum_{i=0}^{n-1} C(m-1, i)) * w^k."""
    bs = generators(gens)
    w_k = 1
    for a in a_list:
        w_k *= len(a) + 1
    return vertex_bound(len(bs), len(bs[0])) // 2 * w_k


#: The three functions of Fig. 1: (label, a_list, generators), M = 1.
FIGURE1: tuple[tuple[str, tuple, tuple], ...] = (
    ("ZONOTOPE^2_{2,2,2} (l1 norm)", (("1/2",), ("1/2",)), ((0, 1), (1, 0))),
    ("ZONOTOPE^2_{2,2,4}", (("1/2",), ("1/2",)),
     (("1/4", "1/2"), ("-1/2", 0), (0, "-1/4"), ("-1/4", "-1/4"))),
    ("ZONOTOPE^2_{3,2,4}", (("1/2",), ("1/2",), ("1/2",)),
     (("1/4", "1/2"), ("-1/2", 0), (0, "-1/4"), ("-1/4", "-1/4"))),
)


def pieces_on_regions(net: ReLUNetwork, box: Any, *, max_regions: int | None = None) -> int:
    """Pieces of net on box: connected unions of adjacent regions of :func:`exactrelu.polyhedral.regions`
    with one affine map (union-find over the region graph; independent of ``RegionComplex.pieces``)."""
    from ...polyhedral import regions

    complex_ = regions(net, box) if max_regions is None else regions(net, box, max_regions=max_regions)
    graph = complex_.graph()
    key = {node: (tuple(data["region"].gradient), data["region"].offset) for node, data in graph.nodes(data=True)}
    parent = {node: node for node in graph.nodes}

    def find(x: Any) -> Any:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in graph.edges:
        if key[u] == key[v]:
            parent[find(u)] = find(v)
    return len({find(node) for node in graph.nodes})


# --------------------------------------------------------------------- checks
def check_lemma_3_7(gens: Sequence[Sequence[RationalLike]], net: ReLUNetwork | None = None, *, lines: int = 6) -> CheckResult:
    """The support network has one hidden layer of 2m units and equals sum |<r, b_i>| on lines."""
    bs = generators(gens)
    net = support_function_network(bs) if net is None else net
    n = len(bs[0])
    bad = ""
    for t in range(lines):
        p = tuple(Fraction((3 * t + i) % 7 - 3, 2) for i in range(n))
        d = tuple(Fraction((5 * t + 2 * i) % 9 - 4) for i in range(n))
        expected = PiecewiseLinear.affine(0, 0)
        for b in bs:
            expected = expected + PiecewiseLinear.affine(_dot(b, d), _dot(b, p)).abs()
        if propagate(compose(net, line_network(p, d))).output != expected:
            bad = f"differs on the line {p} + t {d}"
            break
    ok = not bad and net.depth == 1 and net.size == 2 * len(bs)
    return CheckResult(f"Lemma 3.7: support function of Z ({len(bs)} generators in R^{n}) as a net of size 2m",
                       SOURCE + ", Lemma 3.7", ok, f"depth {net.depth}, size {net.size}",
                       f"depth 1, size {2 * len(bs)}, equal on {lines} lines", detail=bad, witness=net)


def check_theorem_3_6(gens: Sequence[Sequence[RationalLike]], *, expect_equality: bool | None = None) -> CheckResult:
    """Exact vertex count (two independent methods agree) <= 2 sum_{i<n} C(m-1, i)."""
    bs = generators(gens)
    m, n = len(bs), len(bs[0])
    count = vertex_count(bs)
    other = vertex_count_whitney(bs) if m <= 18 else count
    bound = vertex_bound(m, n)
    ok = count == other and count <= bound and (expect_equality is None or (count == bound) == expect_equality)
    return CheckResult(f"Thm 3.6: vertices of a zonotope with m={m} generators in R^{n}", SOURCE + ", Theorem 3.6",
                       ok, f"{count} (Whitney: {other})",
                       f"<= {bound}" + ("" if expect_equality is None else f", equality expected: {expect_equality}"),
                       witness=bs)


def check_theorem_3_9(a_list: Sequence[Sequence[RationalLike]], gens: Sequence[Sequence[RationalLike]],
                      M: RationalLike = 1, net: ReLUNetwork | None = None, *, lines: int = 4) -> CheckResult:
    """Depth k + 1 hidden layers, size 2m + sum w_i, network == H o gamma_Z on lines,
    exact pieces (formula) >= the stated count."""
    bs = generators(gens)
    m_value = to_rational(M, where="M")
    net = zonotope_function_network(a_list, bs, m_value) if net is None else net
    h = composition_pwl(a_list, m_value)
    n = len(bs[0])
    bad = ""
    for t in range(lines):
        p = tuple(Fraction((2 * t + i) % 5 - 2, 3) for i in range(n))
        d = tuple(Fraction((3 * t + i) % 7 - 3, 2) for i in range(n))
        gamma = PiecewiseLinear.affine(0, 0)
        for b in bs:
            gamma = gamma + PiecewiseLinear.affine(_dot(b, d), _dot(b, p)).abs()
        if propagate(compose(net, line_network(p, d))).output != h.compose(gamma):
            bad = f"differs from H o gamma_Z on the line {p} + t {d}"
            break
    size = 2 * len(bs) + sum(len(a) + 1 for a in a_list)
    exact = zonotope_pieces_formula(a_list, bs, m_value)
    stated = paper_piece_count(a_list, bs)
    ok = not bad and net.depth == len(a_list) + 1 and net.size == size and exact >= stated
    return CheckResult(f"Thm 3.9: ZONOTOPE^{n}_{{{len(a_list)},w,{len(bs)}}} depth, size, pieces", SOURCE + ", Theorem 3.9",
                       ok, f"{net.depth} hidden layers, size {net.size}, {exact} pieces (exact)",
                       f"{len(a_list) + 1} hidden layers, size {size}, stated count {stated} (not tight)",
                       detail=bad, witness=net)


def check_figure1_formula(expected: Sequence[int] = (17, 33, 65)) -> CheckResult:
    """The exact piece counts of the three Fig. 1 functions on R^2 (formula of the module docstring)."""
    got = tuple(zonotope_pieces_formula(a, g) for _, a, g in FIGURE1)
    stated = tuple(paper_piece_count(a, g) for _, a, g in FIGURE1)
    return CheckResult("Fig. 1: exact pieces of the three ZONOTOPE^2 functions on R^2 (FINDING: 2x stated + 1)",
                       SOURCE + ", Fig. 1 and Theorem 3.9", got == tuple(expected), str(got),
                       f"{tuple(expected)}; stated count {stated}")
