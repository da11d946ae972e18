"""Tightness search: the most pieces an architecture reaches on R (see :mod:`exactrelu.search`).

Strategy
--------
1. *Zigzag construction* (structured start):
   :func:`exactrelu.constructions.zigzag_network` reaches prod(m_l + 1)
   pieces on R, B3, when every m_l >= 3 (proof in
   :mod:`exactrelu.constructions.zigzag`).
2. *Exhaustive search* over the grid {-1, 0, 1} when the architecture has
   few parameters (3^params <= 20000, e.g. widths (1, 1)), scored in blocks
   of 4096 nets by :func:`exactrelu.batch.propagate_many` (integer arrays,
   no Fractions); the scan keeps the sequential order, so the result is that
   of scoring one net at a time.
3. *Local search* on the exact objective (pieces on R, then activation
   regions to break ties), from the zigzag start, from tent-like starts and
   from random networks, with seeded restarts.

Upper bound used to call a result optimal: :func:`refined_region_bound`, B3
with one sharper step at layer 2 (pieces <= activation regions).

Layer-2 refinement (proof).  A layer-2 pre-activation is a one-hidden-layer
function of x with m_1 units: at most m_1 + 1 pieces, one zero crossing per
piece at most, so m_1 + 1 crossings need strictly alternating slopes.  Its
slopes are s_0 = -sum_N c_i, s_i = s_{i-1} + c_i.  m_1 = 1: one of the two
slopes is 0, so at most 1 crossing.  m_1 = 2: N = {} gives s_0 = 0; N = {1}
gives s_1 = 0; N = {1, 2} gives s_2 = 0; N = {2} gives s_0 = -c_2, s_2 = c_1,
s_1 = c_1 - c_2, and s_0 > 0 > s_1, s_2 > 0 (or the reverse) is impossible;
so at most 2 crossings.  Each crossing adds at most one activation region,
hence regions(layers 1..2) <= (m_1 + 1) + m_2 * z(m_1) with z(1) = 1,
z(2) = 2, z(m) = m + 1 for m >= 3; later layers add at most one region per
unit inside each earlier region (Serra et al.'s argument).
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

from .. import formats
from .._validate import check_int, check_widths
from ..bounds import serra_layer_bounds, telgarsky_bound
from ..constructions import zigzag_network
from ..errors import ExactReluError, NetworkFormatError
from ..network import ReLUNetwork
from .engine import hill_climb
from .parallel import Unit, derive_seed, execute
from .spaces import NetworkSpace

__all__ = [
    "TightnessResult",
    "refined_region_bound",
    "tightness_search",
    "tightness_table",
    "zigzag_network",
    "load_tightness",
    "recheck_tightness",
]

_UNIT_BUDGET = 400
_EXHAUSTIVE_LIMIT = 20000
_MAX_PIECES = 1 << 16


def refined_region_bound(widths: Sequence[int]) -> int:
    """Upper bound on activation regions (hence pieces) on R for one input.

    B3 (Serra et al. 2018, Thm 1) with a sharper layer 2: a width-m_1 first
    layer lets a layer-2 unit cross zero at most z(m_1) times, z(1) = 1,
    z(2) = 2, z(m) = m + 1 for m >= 3 (proof in the module docstring).

    >>> refined_region_bound((2, 2)), refined_region_bound((2, 3)), refined_region_bound((3, 3))
    (7, 9, 16)
    """
    ws = check_widths(widths)
    serra = serra_layer_bounds(ws, 1)
    regions = min(ws[0] + 1, serra[0])
    for l, m in enumerate(ws[1:], start=1):
        if l == 1:
            crossings = ws[0] + 1 if ws[0] >= 3 else ws[0]
            step = regions + m * min(crossings, regions)
        else:
            step = regions * (m + 1)
        regions = min(step, serra[l])
    return regions


def _score(net: ReLUNetwork) -> tuple[int, int] | None:
    from ..propagate import propagate

    try:
        trace = propagate(net, None, max_pieces=_MAX_PIECES)
    except ExactReluError:
        return None
    return trace.pieces, trace.activation_regions


@dataclass(frozen=True)
class _TightResult:
    index: int
    strategy: str
    evaluations: int
    score: tuple[int, int] | None
    network: Any  # JSON dict
    found: Any = None  # set when the upper bound is reached


def _climb(space: NetworkSpace, start: ReLUNetwork, score: tuple[int, int], rng: random.Random, budget: int,
           bound: int, patience: int = 150) -> tuple[Any, tuple[int, int], int]:
    """:func:`~exactrelu.search.engine.hill_climb` on (pieces, regions), restarting near the best or afresh."""
    def restart(best: ReLUNetwork) -> ReLUNetwork:
        return space.mutate(best, rng) if rng.random() < 0.5 else space.draw(rng)

    best, best_score, used = hill_climb(
        start, score, mutate=lambda net: space.mutate(net, rng), score=_score, restart=restart,
        budget=budget, patience=patience, done=lambda s: s[0] >= bound)
    return best, best_score or (0, 0), used


def _grid_scores(ws: tuple[int, ...], values: Any) -> list[tuple[int, int] | None]:
    """:func:`_score` of the nets whose parameters are the rows of ``values`` (W row-major, then b, by layer).

    One :func:`exactrelu.batch.propagate_many` for the block (integer weights:
    no Fractions are built); if some net exceeds the propagation budget the
    block is scored one net at a time, as :func:`_score` does.
    """
    from ..batch import NetBatch, propagate_many

    dims = (1, *ws, 1)
    layers, k = [], 0
    for n_in, n_out in zip(dims[:-1], dims[1:]):
        W = values[:, k:k + n_in * n_out].reshape(-1, n_out, n_in)
        k += n_in * n_out
        layers.append((W, values[:, k:k + n_out], 1))
        k += n_out
    try:
        counts = propagate_many(NetBatch.from_integers(layers), None, max_pieces=_MAX_PIECES)
    except ExactReluError:
        return [_score(_grid_net(ws, row)) for row in values]
    return list(zip(counts.pieces.tolist(), counts.activation_regions.tolist()))


def _grid_net(ws: tuple[int, ...], row: Any) -> ReLUNetwork:
    dims = (1, *ws, 1)
    it = iter(int(v) for v in row)
    return ReLUNetwork([([[next(it) for _ in range(i)] for _ in range(o)], [next(it) for _ in range(o)])
                        for i, o in zip(dims[:-1], dims[1:])])


def _exhaustive(ws: tuple[int, ...], bound: int, block: int = 4096) -> tuple[Any, tuple[int, int], int]:
    """Every net with parameters in {0, 1, -1} (itertools.product order), scored in batches.

    The scan is the sequential one (first strictly better score kept, stop at
    ``bound``), so the result and the evaluations counted are those of scoring
    the nets one by one with :func:`_score` (``tests/test_search_batch.py``).
    """
    import numpy as np

    count = sum(o * i + o for i, o in zip((1, *ws), (*ws, 1)))
    grid = itertools.product((0, 1, -1), repeat=count)
    best_row = None
    best_score, used = (0, 0), 0
    while True:
        rows = np.array(list(itertools.islice(grid, block)), dtype=np.int64).reshape(-1, count)
        if not len(rows):
            break
        for row, s in zip(rows, _grid_scores(ws, rows)):
            used += 1
            if s is not None and s > best_score:
                best_row, best_score = row, s
                if s[0] >= bound:
                    return _grid_net(ws, best_row), best_score, used
    return (None if best_row is None else _grid_net(ws, best_row)), best_score, used


def run_tight_unit(ws: tuple[int, ...], bound: int, unit: Unit) -> _TightResult:
    """One unit of a tightness search (module level: picklable)."""
    space = NetworkSpace(ws, max_numerator=6, max_denominator=4)
    rng = random.Random(unit.seed)
    best: ReLUNetwork | None
    if unit.strategy == "zigzag":
        net = zigzag_network(ws)
        score = _score(net) or (0, 0)
        best, best_score, used = _climb(space, net, score, rng, unit.budget, bound)
        used += 1
    elif unit.strategy == "exhaustive":
        best, best_score, used = _exhaustive(ws, bound)
    else:
        start = space.draw(rng)
        best, best_score, used = _climb(space, start, _score(start) or (0, 0), rng, unit.budget, bound)
        used += 1
    found = best.to_dict() if best is not None and best_score[0] >= bound else None
    return _TightResult(unit.index, unit.strategy, used, best_score,
                        None if best is None else best.to_dict(), found)


@dataclass(frozen=True)
class TightnessResult:
    """Best piece count found for an architecture on R, with its witness and the bounds."""

    widths: tuple[int, ...]
    pieces: int
    regions: int
    network: ReLUNetwork
    telgarsky: int
    serra: int
    upper_bound: int
    evaluations: int
    strategy: str
    seconds: float

    @property
    def proven_optimal(self) -> bool:
        """True when the best found equals the (refined) upper bound: no architecture can do better."""
        return self.pieces == self.upper_bound

    def to_dict(self) -> dict:
        """The ``exactrelu.tightness`` envelope (docs/formats.md); ``exactrelu check`` re-checks it."""
        return formats.envelope("tightness", {
            "widths": list(self.widths), "pieces": self.pieces, "regions": self.regions,
            "B1_telgarsky": self.telgarsky, "B3_serra": self.serra, "upper_bound": self.upper_bound,
            "proven_optimal": self.proven_optimal, "evaluations": self.evaluations,
            "strategy": self.strategy, "seconds": round(self.seconds, 3), "network": self.network.to_dict(),
        }, with_version_of_library=True)

    def save(self, path: str) -> None:
        """Write the result as an ``exactrelu.tightness`` file."""
        formats.write_json(path, self.to_dict())


def _tight_plan(ws: tuple[int, ...], budget: int, seed: int, structured: bool) -> list[Unit]:
    units = []
    if structured:
        units.append(Unit(0, "zigzag", derive_seed(seed, "zigzag"), min(budget, _UNIT_BUDGET)))
        params = sum(o * i + o for i, o in zip((1, *ws), (*ws, 1)))
        if 3 ** params <= _EXHAUSTIVE_LIMIT:
            units.append(Unit(1, "exhaustive", 0, 3 ** params))
    remaining = budget - sum(u.budget for u in units if u.strategy == "zigzag")
    k = 0
    while remaining > 0:
        b = min(_UNIT_BUDGET, remaining)
        units.append(Unit(len(units), "local", derive_seed(seed, "local", k), b))
        remaining -= b
        k += 1
    return units


def tightness_search(widths: Sequence[int], *, budget: int = 4000, seed: int = 0, executor=None,
                     progress: Callable[[int, int], None] | None = None,
                     structured: bool = True) -> TightnessResult:
    """The largest number of pieces on R found for ``widths``, with the witness network.

    Stops as soon as a unit reaches :func:`refined_region_bound` (then the
    result is proven optimal); otherwise runs the whole budget (evaluations of
    the exact piece count) and reports the best, a lower bound on the optimum.
    Deterministic for a seed on any executor.  ``structured=False`` runs
    only the seeded local search from random starts (the naive baseline).

    >>> r = tightness_search((3, 3), budget=200)
    >>> r.pieces, r.serra, r.proven_optimal
    (16, 16, True)
    """
    ws = check_widths(widths)
    check_int("budget", budget, 1)
    bound = refined_region_bound(ws)
    units = _tight_plan(ws, budget, seed, structured)
    start = time.perf_counter()
    results = execute(run_tight_unit, (ws, bound), units, executor, progress)
    best = max((r for r in results if r.network is not None),
               key=lambda r: (r.score, -r.index))
    net = ReLUNetwork.from_dict(best.network)
    return TightnessResult(ws, best.score[0], best.score[1], net, telgarsky_bound(ws),
                           serra_layer_bounds(ws, 1)[-1], bound, sum(r.evaluations for r in results),
                           best.strategy, time.perf_counter() - start)


def tightness_table(architectures: Sequence[Sequence[int]], **kwargs) -> list[TightnessResult]:
    """:func:`tightness_search` for every architecture (same keyword arguments)."""
    return [tightness_search(ws, **kwargs) for ws in architectures]


@dataclass(frozen=True)
class TightnessCheck:
    """A stored tightness result re-checked from scratch: the network's pieces and regions on R again."""

    widths: tuple[int, ...]
    network: ReLUNetwork
    stored_pieces: int
    stored_regions: int
    pieces: int
    regions: int
    upper_bound: int

    @property
    def holds(self) -> bool:
        """The network has the widths and reaches the stored piece count (and region count) exactly."""
        return (self.network.widths == self.widths and self.pieces == self.stored_pieces
                and self.regions == self.stored_regions and self.pieces <= self.upper_bound)


def load_tightness(path_or_data: Any) -> tuple[tuple[int, ...], ReLUNetwork, int, int]:
    """``(widths, network, pieces, regions)`` stored in an ``exactrelu.tightness`` file (or its dict)."""
    data = path_or_data if isinstance(path_or_data, dict) else formats.read_json(path_or_data)
    formats.open_envelope(data, "tightness")
    try:
        widths = check_widths(data["widths"], name="widths", error=NetworkFormatError)
        pieces = check_int("pieces", data["pieces"], 1, error=NetworkFormatError)
        regions = check_int("regions", data["regions"], 1, error=NetworkFormatError)
        network = ReLUNetwork.from_dict(data["network"])
    except KeyError as exc:
        raise NetworkFormatError(f"tightness file lacks the key {exc.args[0]!r}") from None
    return widths, network, pieces, regions


def recheck_tightness(path_or_data: Any) -> TightnessCheck:
    """Re-propagate the network of a tightness file and compare with what it claims.

    >>> r = tightness_search((3, 3), budget=50)
    >>> recheck_tightness(r.to_dict()).holds
    True
    """
    widths, network, pieces, regions = load_tightness(path_or_data)
    score = _score(network)
    if score is None:
        raise NetworkFormatError("the stored network exceeds the propagation budget")
    return TightnessCheck(widths, network, pieces, regions, score[0], score[1], refined_region_bound(widths))
