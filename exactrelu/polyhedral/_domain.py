"""Domains of :func:`exactrelu.polyhedral.regions`: boxes, polytopes, planes, segments."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any, Sequence

from ..errors import DomainError, ShapeError
from ..network import ReLUNetwork
from ..rationals import to_rational
from ..linalg import kernel_vector, rank, solve

__all__ = ["Box", "Polytope", "Plane", "Segment", "parse_domain", "Prepared"]

Point = tuple[Fraction, ...]


@dataclass(frozen=True)
class Box:
    """The box ``prod [lo_i, hi_i]`` (every ``lo_i < hi_i``)."""

    bounds: tuple[tuple[Fraction, Fraction], ...]

    def __init__(self, bounds: Sequence[Sequence[Any]]):
        parsed = []
        for i, pair in enumerate(bounds):
            try:
                lo, hi = pair
            except (TypeError, ValueError):
                raise DomainError(f"box side {i} must be a pair (lo, hi), got {pair!r}") from None
            lo = to_rational(lo, where=f"box[{i}] lower end")
            hi = to_rational(hi, where=f"box[{i}] upper end")
            if not lo < hi:
                raise DomainError(f"box side {i} is empty or reversed: [{lo}, {hi}]")
            parsed.append((lo, hi))
        if not parsed:
            raise DomainError("a box needs at least one side")
        object.__setattr__(self, "bounds", tuple(parsed))

    @property
    def dim(self) -> int:
        return len(self.bounds)


@dataclass(frozen=True)
class Polytope:
    """The bounded, full-dimensional polytope ``{x : A x <= b}`` (rational A, b)."""

    A: tuple[tuple[Fraction, ...], ...]
    b: tuple[Fraction, ...]

    def __init__(self, A: Sequence[Sequence[Any]], b: Sequence[Any]):
        rows = [tuple(to_rational(v, where=f"A[{i}][{j}]") for j, v in enumerate(r)) for i, r in enumerate(A)]
        rhs = tuple(to_rational(v, where=f"b[{i}]") for i, v in enumerate(b))
        if not rows or len(rows) != len(rhs) or len({len(r) for r in rows}) != 1 or not rows[0]:
            raise DomainError("a polytope needs A (k x n, k >= 1) and b (k entries)")
        object.__setattr__(self, "A", tuple(rows))
        object.__setattr__(self, "b", rhs)

    @property
    def dim(self) -> int:
        return len(self.A[0])


def _point(p: Any, where: str) -> Point:
    if isinstance(p, (str, bytes, int, Fraction)):
        p = (p,)
    return tuple(to_rational(v, where=f"{where}[{i}]") for i, v in enumerate(p))


@dataclass(frozen=True)
class Plane:
    """The affine 2-D slice ``p0 + u (p1 - p0) + v (p2 - p0)``, ``(u, v)`` in ``bounds``.

    Regions, vertices, gradients and volumes are given in the slice
    coordinates ``(u, v)`` (default square ``[0, 1]^2``: the parallelogram
    spanned at p0).
    """

    p0: Point
    p1: Point
    p2: Point
    bounds: Box

    def __init__(self, p0: Any, p1: Any, p2: Any, bounds: Sequence[Sequence[Any]] = ((0, 1), (0, 1))):
        pts = [_point(p, f"p{i}") for i, p in enumerate((p0, p1, p2))]
        if len({len(p) for p in pts}) != 1:
            raise DomainError("plane points must have the same dimension")
        u = [a - b for a, b in zip(pts[1], pts[0])]
        v = [a - b for a, b in zip(pts[2], pts[0])]
        if rank([u, v]) != 2:
            raise DomainError("plane points are collinear: they span no 2-D slice")
        box = Box(bounds)
        if box.dim != 2:
            raise DomainError("plane bounds must be two (lo, hi) pairs")
        object.__setattr__(self, "p0", pts[0])
        object.__setattr__(self, "p1", pts[1])
        object.__setattr__(self, "p2", pts[2])
        object.__setattr__(self, "bounds", box)

    def embed(self, uv: Sequence[Fraction]) -> Point:
        """The input point of slice coordinates ``(u, v)``."""
        return tuple(a + uv[0] * (b - a) + uv[1] * (c - a) for a, b, c in zip(self.p0, self.p1, self.p2))


@dataclass(frozen=True)
class Segment:
    """The segment ``p0 + t (p1 - p0)``, t in [0, 1] (delegated to the 1-D propagator)."""

    p0: Point
    p1: Point

    def __init__(self, p0: Any, p1: Any):
        a, b = _point(p0, "p0"), _point(p1, "p1")
        if len(a) != len(b) or a == b:
            raise DomainError("a segment needs two distinct points of the same dimension")
        object.__setattr__(self, "p0", a)
        object.__setattr__(self, "p1", b)

    def embed(self, t: Sequence[Fraction]) -> Point:
        return tuple(x + t[0] * (y - x) for x, y in zip(self.p0, self.p1))


def parse_domain(domain: Any) -> Box | Polytope | Plane | Segment:
    """A domain object from a Box/Polytope/Plane/Segment, a sequence of (lo, hi) pairs or ``(A, b)``."""
    if isinstance(domain, (Box, Polytope, Plane, Segment)):
        return domain
    if domain is None or isinstance(domain, (str, bytes)):
        raise DomainError(f"domain must be a box, polytope, Plane or Segment, got {domain!r}")
    try:
        items = list(domain)
    except TypeError:
        raise DomainError(f"domain must be a box, polytope, Plane or Segment, got {domain!r}") from None
    if len(items) == 2 and _is_matrix(items[0]):
        return Polytope(items[0], items[1])
    return Box(items)


def _is_matrix(obj: Any) -> bool:
    try:
        first = list(obj)[0]
        list(first)
    except (TypeError, IndexError):
        return False
    return not isinstance(first, (str, bytes))


# ---------------------------------------------------------------------------------------------
@dataclass
class Prepared:
    """A working-coordinates problem: a d-input network on the polytope ``A t <= b``."""

    net: ReLUNetwork
    A: list[list[Fraction]]
    b: list[Fraction]
    vertices: list[Point]
    tight: list[list[bool]]  # constraints x vertices


def compose_affine(net: ReLUNetwork, origin: Point, directions: list[Point]) -> ReLUNetwork:
    """``t -> net(origin + sum t_k directions[k])`` as a network with len(directions) inputs."""
    if len(origin) != net.input_dim:
        raise ShapeError(f"domain points have dimension {len(origin)}, network takes {net.input_dim}")
    (W, b), *rest = net.layers
    W2 = [[sum((row[i] * d[i] for i in range(len(row))), Fraction(0)) for d in directions] for row in W]
    b2 = [bb + sum((row[i] * origin[i] for i in range(len(row))), Fraction(0)) for row, bb in zip(W, b)]
    return ReLUNetwork([(W2, b2), *rest])


def _box_constraints(box: Box) -> tuple[list[list[Fraction]], list[Fraction]]:
    n = box.dim
    A, b = [], []
    for i, (lo, hi) in enumerate(box.bounds):
        e = [Fraction(int(j == i)) for j in range(n)]
        A.append(e)
        b.append(hi)
        A.append([-v for v in e])
        b.append(-lo)
    return A, b


def enumerate_vertices(A: list[list[Fraction]], b: list[Fraction]) -> list[Point]:
    """Every vertex of the bounded full-dimensional polytope ``A x <= b`` (exact; DomainError otherwise)."""
    n = len(A[0])
    k = len(A)
    found: dict[Point, None] = {}
    for idx in combinations(range(k), n):
        x = solve([A[i] for i in idx], [b[i] for i in idx])
        if x is None:
            continue
        if all(sum((a * v for a, v in zip(A[r], x)), Fraction(0)) <= b[r] for r in range(k)):
            found[tuple(x)] = None
    verts = list(found)
    if not verts:
        raise DomainError("the polytope is empty or unbounded (it has no vertex)")
    if rank([[v[i] - verts[0][i] for i in range(n)] for v in verts[1:]]) != n:
        raise DomainError("the polytope is not full-dimensional")
    for idx in combinations(range(k), n - 1):
        d = kernel_vector([A[i] for i in idx], n) if n > 1 else [Fraction(1)]
        if d is None:
            continue
        for sgn in (1, -1):
            if all(sgn * sum((a * v for a, v in zip(A[r], d)), Fraction(0)) <= 0 for r in range(k)):
                raise DomainError("the polytope is unbounded")
    return verts


def prepare(net: ReLUNetwork, dom: Box | Polytope | Plane) -> Prepared:
    """The working network and polytope for a box, polytope or plane domain."""
    if isinstance(dom, Plane):
        work = compose_affine(net, dom.p0, [tuple(a - b for a, b in zip(dom.p1, dom.p0)),
                                            tuple(a - b for a, b in zip(dom.p2, dom.p0))])
        A, b = _box_constraints(dom.bounds)
    elif isinstance(dom, Box):
        if dom.dim != net.input_dim:
            raise ShapeError(f"the box has {dom.dim} sides, the network takes {net.input_dim} inputs")
        work = net
        A, b = _box_constraints(dom)
    else:
        if dom.dim != net.input_dim:
            raise ShapeError(f"the polytope lives in R^{dom.dim}, the network takes {net.input_dim} inputs")
        work = net
        A, b = [list(r) for r in dom.A], list(dom.b)
    if isinstance(dom, (Box, Plane)):
        bounds = dom.bounds.bounds if isinstance(dom, Plane) else dom.bounds
        verts = [tuple(bounds[i][(mask >> i) & 1] for i in range(len(bounds))) for mask in range(1 << len(bounds))]
    else:
        verts = enumerate_vertices(A, b)
    tight = [[sum((a * v for a, v in zip(A[r], x)), Fraction(0)) == b[r] for x in verts] for r in range(len(A))]
    return Prepared(work, A, b, verts, tight)
