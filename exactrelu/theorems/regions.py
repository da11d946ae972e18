"""Region theorems in n dimensions, checked exactly on the region complex (docs/theory.md §6).

Every check takes its input as parameters, so that it can be run on a
deliberately wrong input and fail (tests/test_regions_theorems.py does).

* Zaslavsky (1975), *Facing up to arrangements*, Theorem A: n hyperplanes in
  general position in R^d cut it into ``sum_{s<=d} C(n, s)`` regions (on a box
  holding every vertex of the arrangement).
* Serra, Tjandraatmadja, Ramalingam (2018), *Bounding and counting linear
  regions of deep neural networks*, Theorem 1: the bound on activation regions
  of layers 1..l for n0-dimensional input, checked layer by layer.
* Montufar, Pascanu, Cho, Bengio (2014), *On the number of linear regions of
  deep neural networks*: the construction reaching
  ``prod_{l<L} floor(n_l / n0)^{n0} * sum_{j<=n0} C(n_L, j)``, built here
  (:func:`montufar_network`) and counted exactly.
* Euler's relation V - E + F = 1 for a subdivided polygon, the Euler-Poincare
  relation ``sum_k (-1)^k f_k = 1`` for a subdivided 3-ball.
* Volumes of the regions sum to the volume of the domain.
* Continuity: adjacent regions' affine maps agree on the shared facet.
* The 1-D propagator and the n-D complex agree on lines.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Any, Sequence

from ..bounds import serra_layer_bounds
from ..network import ReLUNetwork
from ..polyhedral import RegionComplex, Segment, regions
from ..linalg import clip_segment, solve
from ..report import CheckResult, compare

__all__ = [
    "verify_checks", "check_zaslavsky", "check_serra", "check_montufar", "montufar_network",
    "montufar_bound", "check_euler", "check_volumes", "check_continuity", "check_lines",
    "zaslavsky_count",
]

ZASLAVSKY = "Zaslavsky (1975), Facing up to arrangements, Theorem A"
SERRA = "Serra, Tjandraatmadja, Ramalingam (2018), Theorem 1"
MONTUFAR = "Montufar, Pascanu, Cho, Bengio (2014), lower bound by construction (Theorem 4 and its proof)"
EULER = "Euler's relation V - E + F = 1 (Euler-Poincare: sum (-1)^k f_k = 1 for a subdivided ball)"
F = Fraction


def zaslavsky_count(n: int, d: int) -> int:
    """Regions of n hyperplanes in general position in R^d: ``sum_{s=0}^{d} C(n, s)``."""
    return sum(comb(n, s) for s in range(d + 1))


def _one_layer(rows: Sequence[Sequence[Any]], biases: Sequence[Any]) -> ReLUNetwork:
    return ReLUNetwork([(rows, biases), ([[1] * len(rows)], [0])])


def check_zaslavsky(rows: Sequence[Sequence[Any]], biases: Sequence[Any],
                    box: Sequence[tuple[Any, Any]]) -> CheckResult:
    """Regions of one hidden layer (hyperplanes ``rows . x + biases = 0``) on ``box`` vs Zaslavsky's count."""
    d, n = len(box), len(rows)
    cx = regions(_one_layer(rows, biases), box)
    return compare(f"one layer of {n} units in general position, R^{d}", ZASLAVSKY,
                   cx.activation_regions, "==", zaslavsky_count(n, d),
                   detail="exact region complex on a box holding every vertex")


def check_serra(net: ReLUNetwork, box: Sequence[tuple[Any, Any]], input_dim: int | None = None,
                cx: RegionComplex | None = None) -> CheckResult:
    """Activation regions of layers 1..l on ``box`` against Serra et al.'s bound, for every l."""
    cx = cx if cx is not None else regions(net, box)
    n0 = net.input_dim if input_dim is None else input_dim
    bounds = serra_layer_bounds(net.widths, n0)
    measured = cx.layer_regions
    holds = all(m <= b for m, b in zip(measured, bounds))
    return CheckResult(f"regions per layer of widths {net.widths}, n0 = {n0}", SERRA, holds,
                       str(list(measured)), "<= " + str(list(bounds)), detail="layer by layer")


def montufar_network(n0: int, widths: Sequence[int], last: tuple[list[list[F]], list[F]] | None = None,
                     ) -> ReLUNetwork:
    """The construction of Montufar et al. (2014) on [0, 1]^{n0}.

    Each layer l < L folds every coordinate p_l = floor(n_l / n0) times with
    the units ``relu(p y_i - k)``, k = 0..p-1 (their alternating sum
    ``relu(p y) - 2 relu(p y - 1) + 2 relu(p y - 2) - ...`` maps [0, 1] onto
    itself in p linear pieces); spare units are dead.  The last layer has n_L
    units in general position inside the folded cube (tangent hyperplanes of
    the paraboloid ``y_n0 = 1/4 + sum_{i<n0} (y_i - 1/2)^2`` at rational points,
    all of whose vertices lie in (0, 1)^{n0}); ``last`` replaces them (tests).
    """
    if n0 != 2:
        raise ValueError("montufar_network is built for n0 = 2")
    layers: list[tuple[list[list[F]], list[F]]] = []
    prev_w: list[list[F]] | None = None  # rows giving y_i from the previous layer's units
    prev_b: list[F] = []
    in_dim = n0
    for m in widths[:-1]:
        p = m // n0
        rows, bias = [], []
        for i in range(n0):
            for k in range(p):
                if prev_w is None:
                    rows.append([F(p) if j == i else F(0) for j in range(in_dim)])
                    bias.append(F(-k))
                else:
                    rows.append([F(p) * v for v in prev_w[i]])
                    bias.append(F(p) * prev_b[i] - k)
        for _ in range(m - n0 * p):
            rows.append([F(0)] * in_dim)
            bias.append(F(-1))
        layers.append((rows, bias))
        coeff = [F(1) if k == 0 else F(2 * (-1) ** k) for k in range(p)]
        prev_w = [[F(0)] * m for _ in range(n0)]
        for i in range(n0):
            for k in range(p):
                prev_w[i][i * p + k] = coeff[k]
        prev_b = [F(0)] * n0
        in_dim = m
    n_last = widths[-1]
    if last is None:
        ts = [F(1, 5) + F(3, 5) * F(j + 1, n_last + 1) for j in range(n_last)]
        # tangent at x = t of y = (x - 1/2)^2 + 1/4:  z = 2 (t - 1/2) x - y + (1/4 - t^2 + t) ... exact
        lrows = [[2 * (t - F(1, 2)), F(-1)] for t in ts]
        lb = [F(1, 4) + (t - F(1, 2)) ** 2 - 2 * (t - F(1, 2)) * t for t in ts]
    else:
        lrows, lb = last
    if prev_w is None:
        layers.append((lrows, lb))
    else:
        rows = [[sum((r[i] * prev_w[i][u] for i in range(n0)), F(0)) for u in range(in_dim)] for r in lrows]
        bias = [b + sum((r[i] * prev_b[i] for i in range(n0)), F(0)) for r, b in zip(lrows, lb)]
        layers.append((rows, bias))
    layers.append(([[F(1)] * n_last], [F(0)]))
    return ReLUNetwork(layers)


def montufar_bound(n0: int, widths: Sequence[int]) -> int:
    """``prod_{l<L} floor(n_l / n0)^{n0} * sum_{j<=n0} C(n_L, j)``."""
    value = 1
    for m in widths[:-1]:
        value *= (m // n0) ** n0
    return value * zaslavsky_count(widths[-1], n0)


def check_montufar(widths: Sequence[int], net: ReLUNetwork | None = None) -> CheckResult:
    """The construction's exact region count on [0, 1]^2 reaches the lower bound."""
    net = net if net is not None else montufar_network(2, widths)
    cx = regions(net, [(0, 1), (0, 1)])
    return compare(f"Montufar construction, n0 = 2, widths {tuple(widths)}", MONTUFAR,
                   cx.activation_regions, ">=", montufar_bound(2, widths),
                   detail="exact count of the construction on [0, 1]^2 (equality expected)")


def check_euler(cx: Any, label: str) -> CheckResult:
    """``sum_k (-1)^k f_k`` of the complex of a box (1 for a subdivided ball)."""
    counts = cx.face_counts()
    chi = sum((-1) ** k * c for k, c in enumerate(counts))
    return compare(f"Euler characteristic, {label}", EULER, chi, "==", 1,
                   detail="f = " + str(tuple(counts)))


def check_volumes(cx: Any, volume: Fraction, label: str) -> CheckResult:
    """The regions' exact volumes sum to the domain's volume."""
    total = sum((r.volume for r in cx), Fraction(0))
    return compare(f"region volumes sum to the domain's, {label}", "measure additivity (exact)",
                   total, "==", volume)


def check_continuity(cx: Any, label: str) -> CheckResult:
    """Adjacent regions' affine maps agree at every vertex of their shared facet."""
    bad = 0
    total = 0
    for a, b, data in cx.graph().edges(data=True):
        ra, rb = cx[a], cx[b]
        for v in data["facet"]:
            x = cx.vertices[v]
            fa = sum((g * c for g, c in zip(ra.gradient, x)), ra.offset)
            fb = sum((g * c for g, c in zip(rb.gradient, x)), rb.offset)
            total += 1
            bad += fa != fb
    return compare(f"continuity across shared facets, {label}", "a ReLU network is continuous",
                   bad, "==", 0, detail=f"{total} facet vertices compared")


def check_lines(net: ReLUNetwork, cx: Any, lines: Sequence[tuple[tuple[F, F], tuple[F, F]]],
                label: str) -> CheckResult:
    """Regions a segment crosses in the 2-D complex equal the 1-D propagator's regions on it."""
    measured, expected = [], []
    for p, q in lines:
        hits = sum(1 for r in cx if clip_segment(r.vertices, p, q) is not None)
        measured.append(hits)
        expected.append(regions(net, Segment(p, q)).activation_regions)
    return compare(f"1-D propagator vs n-D complex on {len(lines)} segments, {label}",
                   "restriction of the complex to a line (docs/theory.md §6)", measured, "==", expected)


def _general_planes(d: int, n: int) -> tuple[list[list[F]], list[F], list[tuple[F, F]]]:
    rows = [[F((7 * i + 3 * j * j + 1) % 11 - 5, 1 + (i + j) % 3) for j in range(d)] for i in range(n)]
    biases = [F((5 * i) % 7 - 3, 2) for i in range(n)]
    r = F(1)
    for idx in combinations(range(n), d):
        x = solve([rows[i] for i in idx], [-biases[i] for i in idx])
        if x is None:  # pragma: no cover - the fixed instance is in general position
            raise ValueError("not in general position")
        r = max(r, *(abs(c) + 1 for c in x))
    return rows, biases, [(-r, r)] * d


def verify_checks() -> list[CheckResult]:
    """The region report lines for ``exactrelu verify`` (about a second)."""
    out: list[CheckResult] = []
    for d, n in ((2, 6), (3, 5)):
        rows, biases, box = _general_planes(d, n)
        out.append(check_zaslavsky(rows, biases, box))
    net2 = ReLUNetwork([([[1, 2], [-1, 1], [2, -1], [1, F(-1, 3)]], [0, F(1, 3), F(-1, 2), F(1, 4)]),
                        ([[1, -1, 1, 2], [1, 1, -1, 0], [F(1, 2), 0, 1, -1]], [F(1, 5), 0, F(-1, 3)]),
                        ([[1, -2, 1]], [0])])
    box2 = [(-1, 1), (-1, 1)]
    cx2 = regions(net2, box2)
    net3 = ReLUNetwork([([[1, 2, 0], [-1, 1, 1], [2, -1, 1], [0, 1, -1]], [0, F(1, 3), F(-1, 2), F(1, 5)]),
                        ([[1, -1, 1, 1], [1, 1, -1, 0]], [F(1, 5), 0]), ([[1, -2]], [0])])
    box3 = [(-1, 1)] * 3
    cx3 = regions(net3, box3)
    out.append(check_serra(net2, box2, cx=cx2))
    out.append(check_serra(net3, box3, cx=cx3))
    for widths in ((4, 3), (4, 4, 3)):
        out.append(check_montufar(widths))
    out.append(check_euler(cx2, "2-D box"))
    out.append(check_euler(cx3, "3-D box"))
    out.append(check_volumes(cx2, F(4), "2-D box"))
    out.append(check_volumes(cx3, F(8), "3-D box"))
    out.append(check_continuity(cx2, "2-D"))
    out.append(check_continuity(cx3, "3-D"))
    lines = [((F(k, 7) - F(1, 2), F(-1)), (F(1, 2) - F(k, 11), F(1))) for k in range(4)]
    out.append(check_lines(net2, cx2, lines, "2-D"))
    return out
