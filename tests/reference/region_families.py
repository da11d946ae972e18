"""Random and degenerate ReLU networks for the region differential tests (issue 10).

Each family maps ``(rng, n)`` to ``(network, box)`` with n the input dimension; the
``*_case`` builders add the library's other domains (a Polytope, a 2-D Plane slice, a
Segment) together with what the reference needs to compute the same complex.  Only the
domain classes are taken from ``exactrelu.polyhedral`` (imported where used).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Any, Callable

from exactrelu.network import ReLUNetwork

__all__ = [
    "Box",
    "FAMILIES",
    "WIDTHS",
    "entry_rational",
    "entry_small",
    "random_layers",
    "corner_or_face_point",
    "polytope_case",
    "plane_case",
    "segment_case",
    "family_small_int",
]

F = Fraction
Box = list[tuple[Fraction, Fraction]]


# ------------------------------------------------------------------ network families
def entry_rational(rng: random.Random) -> Fraction:
    return F(rng.randint(-9, 9), rng.randint(1, 4))


def entry_small(rng: random.Random) -> Fraction:
    return F(rng.randint(-2, 2))


def random_layers(rng: random.Random, n: int, widths: tuple[int, ...],
            entry: Callable[[random.Random], Fraction]) -> list[tuple[list[list[Fraction]], list[Fraction]]]:
    layers = []
    fan_in = n
    for width in [*widths, 1]:
        layers.append(([[entry(rng) for _ in range(fan_in)] for _ in range(width)],
                       [entry(rng) for _ in range(width)]))
        fan_in = width
    return layers


def _box(rng: random.Random, n: int) -> Box:
    choice = rng.randrange(4)
    if choice == 0:
        return [(F(-1), F(1))] * n
    if choice == 1:
        return [(F(0), F(1))] * n
    if choice == 2:
        return [(F(-2), F(2))] * n
    return [(F(rng.randint(-5, 0), 2), F(rng.randint(1, 5), 3)) for _ in range(n)]


WIDTHS = {
    2: [(3,), (4,), (6,), (4, 3), (3, 3, 2), (2, 2, 2), (5, 2), (6, 4)],
    3: [(3,), (4,), (5,), (3, 2), (3, 3), (4, 3), (2, 2, 2)],
}


def corner_or_face_point(rng: random.Random, box: Box) -> list[Fraction]:
    """A box corner, a point on a face, an edge midpoint, or the centre."""
    kind = rng.randrange(4)
    point = []
    for lo, hi in box:
        if kind == 0:
            point.append(rng.choice((lo, hi)))
        elif kind == 1:
            point.append(rng.choice((lo, hi, (lo + hi) / 2)))
        elif kind == 2:
            point.append(lo + (hi - lo) * F(rng.randint(0, 4), 4))
        else:
            point.append((lo + hi) / 2)
    return point


def family_rational(rng, n):
    box = _box(rng, n)
    return ReLUNetwork(random_layers(rng, n, rng.choice(WIDTHS[n]), entry_rational)), box


def family_small_int(rng, n):
    box = rng.choice([[(F(-1), F(1))] * n, [(F(-2), F(2))] * n, [(F(0), F(1))] * n])
    return ReLUNetwork(random_layers(rng, n, rng.choice(WIDTHS[n]), entry_small)), box


def family_concurrent(rng, n):
    """First-layer hyperplanes through one or two common points (corners, faces, inside)."""
    box = _box(rng, n)
    layers = random_layers(rng, n, rng.choice(WIDTHS[n]), entry_small)
    points = [corner_or_face_point(rng, box) for _ in range(rng.choice((1, 1, 2)))]
    weight, bias = layers[0]
    for j, row in enumerate(weight):
        if all(w == 0 for w in row):
            row[rng.randrange(n)] = F(1)
        p = points[j % len(points)]
        bias[j] = -sum((w * x for w, x in zip(row, p)), F(0))
    return ReLUNetwork(layers), box


def family_corner_face(rng, n):
    """Hyperplanes through box corners, along faces, through edge midpoints."""
    box = _box(rng, n)
    layers = random_layers(rng, n, rng.choice(WIDTHS[n]), entry_rational)
    weight, bias = layers[0]
    for j, row in enumerate(weight):
        kind = rng.randrange(3)
        if kind == 0:  # along a face (on or off)
            i = rng.randrange(n)
            row[:] = [F(0)] * n
            row[i] = F(rng.choice((1, -1, 2)))
            bias[j] = -row[i] * rng.choice(box[i])
        else:  # through a corner or an edge midpoint
            p = corner_or_face_point(rng, box)
            bias[j] = -sum((w * x for w, x in zip(row, p)), F(0))
    return ReLUNetwork(layers), box


def family_duplicated(rng, n):
    """Duplicated, scaled and opposite units in every hidden layer."""
    box = _box(rng, n)
    layers = random_layers(rng, n, rng.choice(WIDTHS[n]), rng.choice((entry_small, entry_rational)))
    for weight, bias in layers[:-1]:
        if len(weight) < 2:
            continue
        for _ in range(rng.randint(1, 2)):
            src, dst = rng.sample(range(len(weight)), 2)
            scale = F(rng.choice((1, 1, 2, -1)), rng.choice((1, 2)))
            weight[dst] = [scale * w for w in weight[src]]
            bias[dst] = scale * bias[src]
    return ReLUNetwork(layers), box


def family_dead(rng, n):
    """Zero rows, dead and always-on units, zero columns, cancelling and zero outputs."""
    box = _box(rng, n)
    layers = random_layers(rng, n, rng.choice(WIDTHS[n]), rng.choice((entry_small, entry_rational)))
    for index, (weight, bias) in enumerate(layers[:-1]):
        for j in range(len(weight)):
            kind = rng.randrange(6)
            if kind == 0:
                weight[j] = [F(0)] * len(weight[j])
                bias[j] = F(rng.choice((-1, 0, 1)))
            elif kind == 1:
                bias[j] = F(rng.choice((-50, 50)))  # dead or always on on the box
            elif kind == 2:  # the next layer ignores unit j
                for row in layers[index + 1][0]:
                    row[j] = F(0)
    out_w, out_b = layers[-1]
    kind = rng.randrange(4)
    if kind == 0:
        out_w[0] = [F(0)] * len(out_w[0])
    elif kind == 1 and len(layers) == 2 and len(out_w[0]) >= 2:
        # unit 1 duplicates unit 0 with opposite output weight: their kinks cancel
        weight, bias = layers[0]
        weight[1], bias[1] = list(weight[0]), bias[0]
        out_w[0][1] = -out_w[0][0]
    return ReLUNetwork(layers), box


def family_deep(rng, n):
    """Deeper nets of small integers: bent hyperplanes meeting at existing vertices."""
    box = rng.choice([[(F(-1), F(1))] * n, [(F(-2), F(2))] * n, [(F(0), F(1))] * n])
    widths = rng.choice([(3, 3, 3), (2, 2, 2, 2), (4, 3, 2), (2, 2, 2, 2, 2)] if n == 2
                        else [(3, 3, 2), (2, 2, 2, 2), (3, 2, 2)])
    return ReLUNetwork(random_layers(rng, n, widths, entry_small)), box


def family_big(rng, n):
    """Large numerators and denominators (exercise any machine-integer fast path)."""
    k = rng.choice((3, 6, 9, 12, 18, 30))

    def entry(r: random.Random) -> Fraction:
        return F(r.randint(-10 ** k, 10 ** k), r.randint(1, 10 ** k))

    box = rng.choice([[(F(-1), F(1))] * n, [(F(-10 ** k, 7), F(10 ** k, 3))] * n,
                      [(F(-1, 10 ** k), F(1, 10 ** k))] * n])
    return ReLUNetwork(random_layers(rng, n, rng.choice(WIDTHS[n]), entry)), box


def family_float32(rng, n):
    """float32 He-normal weights converted exactly (dyadic rationals, 24-bit mantissas)."""
    import struct

    def f32(x: float) -> Fraction:
        return F(struct.unpack("f", struct.pack("f", x))[0])

    widths = rng.choice(WIDTHS[n])
    layers = []
    fan_in = n
    for width in [*widths, 1]:
        sd = (2 / fan_in) ** 0.5
        layers.append(([[f32(rng.gauss(0, sd)) for _ in range(fan_in)] for _ in range(width)],
                       [f32(rng.gauss(0, 0.1)) for _ in range(width)]))
        fan_in = width
    return ReLUNetwork(layers), rng.choice([[(F(-1), F(1))] * n, [(F(-3), F(3))] * n])


def family_near_concurrent(rng, n):
    """Hyperplanes through a common point, then some biases moved by 10^-9: exact code
    must separate what float code merges."""
    net, box = family_concurrent(rng, n)
    (weight, bias), *rest = [([list(r) for r in w], list(b)) for w, b in net.layers]
    for j in range(len(bias)):
        if rng.random() < 0.5:
            bias[j] += F(rng.choice((-1, 1)), 10 ** rng.choice((6, 9, 15)))
    return ReLUNetwork([(weight, bias), *rest]), box


def family_layer2_coincident(rng, n):
    """Second-layer units whose zero sets coincide with first-layer hyperplanes
    (relu(l) - relu(-l) = l), are identically zero on half the box (relu(l)), or run
    through first-layer crossings."""
    box = rng.choice([[(F(-1), F(1))] * n, [(F(-2), F(2))] * n])
    m = rng.randint(2, 3)
    rows = [[entry_small(rng) for _ in range(n)] for _ in range(m)]
    biases = [entry_small(rng) for _ in range(m)]
    weight1 = [r for row in rows for r in (row, [-v for v in row])]
    bias1 = [c for b in biases for c in (b, -b)]
    width2 = rng.randint(2, 4)
    weight2, bias2 = [], []
    for _ in range(width2):
        kind = rng.randrange(4)
        row2 = [F(0)] * (2 * m)
        i = rng.randrange(m)
        if kind == 0:  # relu(l) - relu(-l) = l: the first-layer hyperplane again
            row2[2 * i], row2[2 * i + 1] = F(1), F(-1)
            bias2.append(F(0))
        elif kind == 1:  # relu(l): zero on one side
            row2[2 * i] = F(rng.choice((1, 2)))
            bias2.append(F(0))
        elif kind == 2:  # l_i - l_j: through the crossing of two first-layer hyperplanes
            j = (i + 1) % m
            row2[2 * i], row2[2 * i + 1], row2[2 * j], row2[2 * j + 1] = F(1), F(-1), F(-1), F(1)
            bias2.append(F(0))
        else:
            row2 = [entry_small(rng) for _ in range(2 * m)]
            bias2.append(entry_small(rng))
        weight2.append(row2)
    out = [[entry_small(rng) for _ in range(width2)]]
    return ReLUNetwork([(weight1, bias1), (weight2, bias2), (out, [F(0)])]), box


def family_symmetric(rng, n):
    """First layer: pairs l, -l along directions in {-1, 0, 1}^n (|x|-style units); deeper
    layers with weights in {-1, 0, 1}: zero sets along, through and across each other."""
    dirs = [v for v in itertools.product((-1, 0, 1), repeat=n) if any(v)]
    base = rng.sample(dirs, rng.randint(2, 4))
    w1 = [[F(x) for x in v] for b in base for v in (b, tuple(-x for x in b))]
    b1 = [F(0)] * len(w1) if rng.random() < 0.5 else [F(rng.choice((0, 0, 1, -1))) for _ in w1]
    m2 = rng.randint(2, 4)
    layers = [(w1, b1), ([[F(rng.choice((-1, 0, 0, 1))) for _ in w1] for _ in range(m2)],
                         [F(rng.choice((-1, 0, 0, 1))) for _ in range(m2)])]
    if rng.random() < 0.5:
        m3 = rng.randint(1, 3)
        layers.append(([[F(rng.choice((-1, 0, 1))) for _ in range(m2)] for _ in range(m3)],
                       [F(rng.choice((-1, 0, 1))) for _ in range(m3)]))
    last = len(layers[-1][0])
    layers.append(([[F(rng.choice((-1, 1, 2))) for _ in range(last)]], [F(0)]))
    box = rng.choice([[(F(-1), F(1))] * n, [(F(-2), F(2))] * n, [(F(0), F(1))] * n])
    return ReLUNetwork(layers), box


def family_wide(rng, n):
    """Wider nets (hundreds of regions in 2-D), small integers or rationals."""
    widths = rng.choice([(8,), (10,), (8, 6), (6, 6, 4)] if n == 2 else [(6,), (7,), (5, 4)])
    entry = rng.choice((entry_small, entry_rational))
    box = rng.choice([[(F(-1), F(1))] * n, [(F(-2), F(2))] * n])
    return ReLUNetwork(random_layers(rng, n, widths, entry)), box


FAMILIES = {
    "rational": family_rational,
    "small_int": family_small_int,
    "concurrent": family_concurrent,
    "corner_face": family_corner_face,
    "duplicated": family_duplicated,
    "dead": family_dead,
    "deep": family_deep,
    "big": family_big,
    "float32": family_float32,
    "near_concurrent": family_near_concurrent,
    "layer2_coincident": family_layer2_coincident,
    "wide": family_wide,
    "symmetric": family_symmetric,
}


# ------------------------------------------------------------------ other domains
def polytope_case(rng: random.Random, n: int):
    """A net on a box cut by 1-3 half-spaces: the reference gets (box, constraints), the
    library the Polytope {x : A x <= b} with the box rows included."""
    from exactrelu.polyhedral import Polytope

    net, box = FAMILIES[rng.choice(["rational", "small_int", "concurrent", "corner_face"])](rng, n)
    centre = [(lo + hi) / 2 for lo, hi in box]
    constraints = []
    for _ in range(rng.randint(1, 3)):
        a = [F(rng.randint(-2, 2)) for _ in range(n)]
        if not any(a):
            continue
        # through a corner, along a face, or somewhere keeping the centre
        kind = rng.randrange(3)
        if kind == 0:
            p = corner_or_face_point(rng, box)
            c = -sum((ai * pi for ai, pi in zip(a, p)), F(0))
            if sum((ai * ci for ai, ci in zip(a, centre)), c) <= 0:
                a, c = [-v for v in a], -c
        else:
            c = -sum((ai * ci for ai, ci in zip(a, centre)), F(0)) + F(rng.randint(1, 6), 4)
        constraints.append((a, c))
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for i, (lo, hi) in enumerate(box):
        e = [F(int(k == i)) for k in range(n)]
        rows += [e, [-v for v in e]]
        rhs += [hi, -lo]
    for a, c in constraints:  # a.x + c >= 0  <=>  -a.x <= c
        rows.append([-v for v in a])
        rhs.append(c)
    return net, box, constraints, Polytope(rows, rhs)


def plane_case(rng: random.Random):
    """A 3- to 5-input net on a 2-D slice p0 + u (p1 - p0) + v (p2 - p0); the reference runs
    on the composed 2-input network (x = p0 + u d1 + v d2 folded into the first layer)."""
    from exactrelu.polyhedral import Plane

    m = rng.choice((3, 4, 5))
    entry = rng.choice((entry_small, entry_rational))
    inner = ReLUNetwork(random_layers(rng, m, rng.choice(WIDTHS[2]), entry))
    while True:
        p0 = [F(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(m)]
        d1 = [F(rng.randint(-2, 2)) for _ in range(m)]
        d2 = [F(rng.randint(-2, 2)) for _ in range(m)]
        if any(d1[i] * d2[j] != d1[j] * d2[i] for i in range(m) for j in range(m)):
            break
    bounds = rng.choice([[(F(0), F(1))] * 2, [(F(-1), F(1))] * 2, [(F(-1), F(2)), (F(0), F(1, 2))]])
    (weight, bias), *rest = inner.layers
    first = ([[sum((w * d[k] for k, w in enumerate(row)), F(0)) for d in (d1, d2)] for row in weight],
             [b + sum((w * p0[k] for k, w in enumerate(row)), F(0)) for row, b in zip(weight, bias)])
    composed = ReLUNetwork([first, *rest])
    p1 = [a + b for a, b in zip(p0, d1)]
    p2 = [a + b for a, b in zip(p0, d2)]
    return inner, composed, bounds, Plane(p0, p1, p2, bounds=bounds)


def segment_case(rng: random.Random):
    """A 2- or 3-input net on the segment p0 + t (p1 - p0), t in [0, 1] (the library delegates
    to the 1-D propagator); the reference runs on the composed 1-input network."""
    from exactrelu.polyhedral import Segment

    m = rng.choice((2, 3))
    inner = ReLUNetwork(random_layers(rng, m, rng.choice(WIDTHS[2]), rng.choice((entry_small, entry_rational))))
    p0 = [F(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(m)]
    d = [F(rng.randint(-2, 2)) for _ in range(m)]
    if not any(d):
        d[0] = F(1)
    (weight, bias), *rest = inner.layers
    first = ([[sum((w * dk for w, dk in zip(row, d)), F(0))] for row in weight],
             [b + sum((w * pk for w, pk in zip(row, p0)), F(0)) for row, b in zip(weight, bias)])
    p1 = [a + b for a, b in zip(p0, d)]
    return inner, ReLUNetwork([first, *rest]), Segment(p0, p1)
