"""Exact measures of one network of a sweep, as one tidy record (a JSON-ready dict).

Along a line (Hanin and Rolnick (2019a), "Complexity of linear regions in
deep networks", ICML, Theorems 1 and 3 and Section 3):

``pieces``, ``regions``, ``breakpoints``
    Linear pieces of the output, activation regions (maximal intervals of one
    on/off pattern of every unit) and their boundaries inside the segment, counted
    exactly by :func:`exactrelu.propagate`.
``density_per_neuron``
    ``breakpoints / (length * neurons)``, an exact rational per unit of the line
    parameter t; along a segment between data points multiply by
    ``1 / sqrt(direction_norm2)`` for Euclidean length (``direction_norm2`` is exact).
``distances``
    For ``distance_points`` random rational points of the segment, the exact
    distance (in t) to the nearest region boundary *along the line*, an upper
    bound on the Euclidean distance to the nearest boundary in input space.
    ``anchor_distances``: the same at the two data points (n-D lines only).
``layer_regions`` with ``serra_layer_bounds`` and ``telgarsky_bound``
    Regions of layers 1..l against Serra, Tjandraatmadja, Ramalingam (2018),
    Theorem 1 (one input), and the pieces against Telgarsky's bound
    2^{L-1}(m_1+1)m_2...m_L; ``bounds_hold`` says whether all hold.

In a plane (``slice="plane"``; needs :func:`exactrelu.regions`): ``regions_2d``,
``pieces_2d`` and ``regions_per_neuron2 = regions_2d / neurons^2`` (Hanin and
Rolnick (2019b), "Deep ReLU networks have surprisingly few activation patterns",
NeurIPS, Theorem 1: at most C * neurons^2 per unit area in 2-D, up to constants).

Rationals are written as strings ``"p/q"``; counts are ints.
"""

from __future__ import annotations

import importlib
import random
from bisect import bisect_left
from fractions import Fraction
from typing import Any

from ..bounds import serra_layer_bounds, telgarsky_bound
from ..errors import BudgetExceededError, ShapeError
from ..network import ReLUNetwork
from .grid import NetSpec, SweepConfig, derive_seed
from .init import draw_layers
from .slices import PIXEL_DENOMINATOR, data_points, restrict_to_line, restrict_to_plane

__all__ = ["build_slice", "measure_line", "measure_plane", "measure_spec", "nearest_distances", "run_unit",
           "RECORD_FIELDS"]

#: Fields every line record has (plane records replace the line counts by their 2-D ones).
RECORD_FIELDS = ("key", "input_dim", "width", "depth", "neurons", "init", "index", "seed", "slice", "status",
                 "pieces", "regions", "breakpoints", "length", "direction_norm2", "density_per_neuron",
                 "distances", "mean_distance", "layer_regions", "serra_layer_bounds", "telgarsky_bound",
                 "bounds_hold")

#: Binary digits of the random points at which distances are measured.
_POINT_BITS = 24


def nearest_distances(breakpoints: list[Fraction], points: list[Fraction]) -> list[Fraction | None]:
    """Exact distance from each point to the nearest breakpoint (None if there is none).

    >>> nearest_distances([Fraction(0), Fraction(1)], [Fraction(1, 4), Fraction(3)])
    [Fraction(1, 4), Fraction(2, 1)]
    """
    result: list[Fraction | None] = []
    for x in points:
        if not breakpoints:
            result.append(None)
            continue
        i = bisect_left(breakpoints, x)
        best = None
        for j in (i - 1, i):
            if 0 <= j < len(breakpoints):
                d = abs(x - breakpoints[j])
                best = d if best is None or d < best else best
        result.append(best)
    return result


def _random_points(lo: Fraction, hi: Fraction, count: int, rng: random.Random) -> list[Fraction]:
    """Uniform dyadic points strictly inside (lo, hi): lo + (hi - lo)(2k + 1) / 2^(bits + 1)."""
    scale = 1 << (_POINT_BITS + 1)
    return [lo + (hi - lo) * Fraction(2 * rng.randrange(1 << _POINT_BITS) + 1, scale) for _ in range(count)]


def build_slice(spec: NetSpec, config: SweepConfig) -> tuple[ReLUNetwork, Any, Fraction]:
    """The network of ``spec`` restricted to its slice: ``(net, domain, metric)``.

    For a line, ``net`` has one input, ``domain = (lo, hi)`` and ``metric`` the
    exact squared Euclidean length of the direction (1 for input dimension 1).
    In n-D the line runs through data points p (t = 0) and q (t = 1) and the
    domain is ``t in [-1/2, 3/2]``, so both data points are interior.
    For a plane, ``net`` has two inputs, ``domain`` is a box and ``metric`` the
    Gram determinant of the two directions (area scale squared).
    """
    layers = draw_layers(spec.widths, spec.input_dim, spec.init, spec.seed,
                         bias_std=Fraction(config.bias_std), grid_denominator=config.grid_denominator)
    h = Fraction(config.half_width)
    points_rng = random.Random(derive_seed(spec.seed, "data-points"))
    den2 = PIXEL_DENOMINATOR**2
    if config.slice == "line":
        if spec.input_dim == 1:
            return ReLUNetwork(layers, allow_float=True), (-h, h), Fraction(1)
        p, q = data_points(spec.input_dim, 2, points_rng)
        norm2 = Fraction(sum((b - a) ** 2 for a, b in zip(p, q)), den2)
        return restrict_to_line(layers, p, q), (Fraction(-1, 2), Fraction(3, 2)), norm2
    if spec.input_dim == 1:
        raise ShapeError("slice='plane' needs input dimension >= 2")
    if spec.input_dim == 2:
        return ReLUNetwork(layers, allow_float=True), ((-h, h), (-h, h)), Fraction(1)
    p, q, r = data_points(spec.input_dim, 3, points_rng)
    d1 = [b - a for a, b in zip(p, q)]
    d2 = [c - a for a, c in zip(p, r)]
    g11, g22 = sum(a * a for a in d1), sum(b * b for b in d2)
    g12 = sum(a * b for a, b in zip(d1, d2))
    gram = Fraction(g11 * g22 - g12 * g12, den2 * den2)
    return restrict_to_plane(layers, p, q, r), ((Fraction(0), Fraction(1)),) * 2, gram


def measure_line(net: ReLUNetwork, domain: tuple[Fraction, Fraction], *, neurons: int, rng: random.Random,
                 distance_points: int = 8, max_pieces: int = 1 << 20,
                 anchors: tuple[Fraction, ...] = ()) -> dict:
    """The exact line measures of a one-input network on ``domain`` (see the module doc).

    ``anchors`` are points (the data points of an n-D line) whose distances to
    the nearest boundary are recorded as ``anchor_distances``.
    """
    from ..propagate import propagate

    lo, hi = domain
    trace = propagate(net, (lo, hi), max_pieces=max_pieces)
    breakpoints = sorted(trace.breakpoints)
    widths = net.widths
    layer_regions = [layer.activation_regions for layer in trace.layers]
    serra = list(serra_layer_bounds(widths, 1))
    pieces = trace.pieces
    telgarsky = telgarsky_bound(widths)
    length = hi - lo
    distances = nearest_distances(breakpoints, _random_points(lo, hi, distance_points, rng))
    known = [d for d in distances if d is not None]
    extra = {}
    if anchors:
        extra["anchor_distances"] = [None if d is None else str(d) for d in nearest_distances(breakpoints, list(anchors))]
    return {
        **extra,
        "pieces": pieces,
        "regions": trace.activation_regions,
        "breakpoints": len(breakpoints),
        "length": str(length),
        "density_per_neuron": str(Fraction(len(breakpoints)) / (length * neurons)),
        "distances": [None if d is None else str(d) for d in distances],
        "mean_distance": str(sum(known, Fraction(0)) / len(known)) if known else None,
        "layer_regions": layer_regions,
        "serra_layer_bounds": serra,
        "telgarsky_bound": telgarsky,
        "bounds_hold": all(r <= b for r, b in zip(layer_regions, serra))
        and pieces <= telgarsky and pieces <= trace.activation_regions,
    }


def measure_plane(net: ReLUNetwork, box: Any, *, neurons: int, max_regions: int | None = None) -> dict:
    """The exact 2-D measures (needs :func:`exactrelu.regions`, the n-D region complex)."""
    try:
        polyhedral = importlib.import_module("exactrelu.polyhedral")
        regions = polyhedral.regions
    except ImportError:
        raise ShapeError("slice='plane' needs exactrelu.regions (the polyhedral package), "
                         "which this installation does not have") from None
    kwargs = {} if max_regions is None else {"max_regions": max_regions}
    complex_ = regions(net, [tuple(side) for side in box], **kwargs)
    (alo, ahi), (blo, bhi) = box
    area = (ahi - alo) * (bhi - blo)
    count = int(complex_.activation_regions)
    return {
        "regions_2d": count,
        "pieces_2d": int(complex_.pieces),
        "area": str(area),
        "regions_per_neuron2": str(Fraction(count, neurons * neurons)),
    }


def measure_spec(spec: NetSpec, config: SweepConfig) -> dict:
    """The record of one network: its coordinates and its exact measures.

    A network whose propagation exceeds ``config.max_pieces`` gets
    ``status="budget"`` and no counts (the sweep goes on).
    """
    neurons = spec.width * spec.depth
    record: dict[str, Any] = {
        "key": spec.key, "input_dim": spec.input_dim, "width": spec.width, "depth": spec.depth,
        "neurons": neurons, "init": spec.init, "index": spec.index, "seed": spec.seed,
        "slice": config.slice, "status": "ok",
    }
    net, domain, metric = build_slice(spec, config)
    rng = random.Random(derive_seed(spec.seed, "distance-points"))
    try:
        if config.slice == "line":
            record["direction_norm2"] = str(metric)
            anchors = () if spec.input_dim == 1 else (Fraction(0), Fraction(1))
            record.update(measure_line(net, domain, neurons=neurons, rng=rng, anchors=anchors,
                                       distance_points=config.distance_points, max_pieces=config.max_pieces))
        else:
            record["gram"] = str(metric)
            record.update(measure_plane(net, domain, neurons=neurons, max_regions=config.max_pieces))
    except BudgetExceededError as exc:
        record["status"] = "budget"
        record["error"] = str(exc)
    return record


def run_unit(unit: Any) -> list[dict]:
    """Every record of one work unit (module level, so any executor can pickle it)."""
    return [measure_spec(spec, unit.config) for spec in unit.specs]
