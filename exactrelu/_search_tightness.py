"""Tightness search: the most pieces an architecture reaches on R (private; see :mod:`exactrelu.search`).

Strategy
--------
1. *Zigzag construction* (structured start).  For width m >= 3 there is a
   one-hidden-layer function z_m of m units whose restriction to [0, 1] goes
   0 -> 1 -> 0 -> ... through m + 1 monotone pieces, each onto [0, 1], and
   whose two unbounded pieces continue to -inf.  Composing z_{m_L} o ... o
   z_{m_1} repeats every later breakpoint once in every piece of the earlier
   layers, giving prod(m_l + 1) pieces on R, which is Serra et al.'s bound
   B3, so the count is optimal.  Why m >= 3: z(y) = c + sum_{i in P} c_i
   relu(y - t_i) + sum_{i in N} c_i relu(t_i - y) has slope changes c_i at
   t_i and left slope s_0 = -sum_{i in N} c_i (units switched on to the left
   carry the slope there).  With alternating slopes s_i = (-1)^i r_i K this
   needs a subset N with sum_N c_i = -s_0: for odd m take N = {m},
   r = (2, 1, ..., 1); for even m take N = {m-1, m}, r_{m-2} = 2 and the other
   r_i = 1.  For m = 2 no subset works (checked case by case below), which is
   why widths 2 fall short of B3.
2. *Exhaustive search* over the grid {-1, 0, 1} when the architecture has
   few parameters (3^params <= 20000, e.g. widths (1, 1)).
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

from . import _search_engine as E
from ._search_spaces import NetworkSpace
from .bounds import serra_layer_bounds, telgarsky_bound
from .errors import ExactReluError, ShapeError
from .network import ReLUNetwork, compose

__all__: list[str] = []

_UNIT_BUDGET = 400
_EXHAUSTIVE_LIMIT = 20000


def _check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    ws = tuple(widths) if not isinstance(widths, (str, bytes)) else ()
    if not ws or any(isinstance(m, bool) or not isinstance(m, int) or m < 1 for m in ws):
        raise ShapeError(f"widths={widths!r} must be a non-empty sequence of positive ints")
    return ws


def refined_region_bound(widths: Sequence[int]) -> int:
    """Upper bound on activation regions (hence pieces) on R for one input.

    B3 (Serra et al. 2018, Thm 1) with a sharper layer 2: a width-m_1 first
    layer lets a layer-2 unit cross zero at most z(m_1) times, z(1) = 1,
    z(2) = 2, z(m) = m + 1 for m >= 3 (proof in the module docstring).

    >>> refined_region_bound((2, 2)), refined_region_bound((2, 3)), refined_region_bound((3, 3))
    (7, 9, 16)
    """
    ws = _check_widths(widths)
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


def _zigzag_block(m: int, last: bool = False) -> ReLUNetwork:
    """One hidden layer of m units, R -> R, mapping each of its pieces onto [0, 1] (see module docstring).

    m >= 3: m + 1 pieces on [0, 1], values alternating 0, 1, ...; m = 2: the tent
    D(y) = 2 relu(y) - 2 relu(2y - 1), or in the last layer the flat-bottomed V
    relu(y - 1/3) + relu(2/3 - y) (3 pieces over [0, 1], no slope 0 at 0 or 1,
    so a kink at every fold of the layers below); m = 1: relu(y).
    """
    if m == 1:
        return ReLUNetwork([([[1]], [0]), ([[1]], [0])])
    if m == 2 and last:
        return ReLUNetwork([([[1], [-1]], ["-1/3", "2/3"]), ([[1, 1]], [0])])
    if m == 2:
        return ReLUNetwork([([[1], [2]], [0, -1]), ([[2, -2]], [0])])
    r = [Fraction(1)] * (m + 1)
    if m % 2:
        r[0] = Fraction(2)
        negative = {m}
    else:
        r[m - 2] = Fraction(2)
        negative = {m - 1, m}
    lengths = [1 / v for v in r]
    K = sum(lengths)  # piece i has length lengths[i] / K and slope (-1)^i r_i K
    slopes = [(-1) ** i * r[i] * K for i in range(m + 1)]
    t, acc = [], Fraction(0)
    for i in range(m):
        acc += lengths[i] / K
        t.append(acc)
    changes = [slopes[i + 1] - slopes[i] for i in range(m)]  # at t[i], unit i + 1 (1-based)
    W, b, out = [], [], []
    const = Fraction(0)
    for i in range(m):
        if (i + 1) in negative:  # c relu(t - y): on to the left
            W.append([-1])
            b.append(t[i])
            const -= changes[i] * t[i]  # z(0) = 0
        else:
            W.append([1])
            b.append(-t[i])
        out.append(changes[i])
    return ReLUNetwork([(W, b), ([out], [const])])


def zigzag_network(widths: Sequence[int]) -> ReLUNetwork:
    """The structured start: z_{m_L} o ... o z_{m_1} (module docstring of :mod:`exactrelu._search_tightness`).

    With every m_l >= 3 it has exactly prod(m_l + 1) pieces on R, B3; with a
    tent first layer (m_1 = 2) and m_2 >= 2 it has 3 + 2 m_2 pieces, the
    refined bound.

    >>> from exactrelu import propagate
    >>> propagate(zigzag_network((3, 3))).pieces, propagate(zigzag_network((4, 3, 3))).pieces
    (16, 80)
    >>> propagate(zigzag_network((2, 2))).pieces, propagate(zigzag_network((3, 2))).pieces
    (7, 12)
    """
    ws = _check_widths(widths)
    net = _zigzag_block(ws[0], last=len(ws) == 1)
    for l, m in enumerate(ws[1:], start=2):
        net = compose(_zigzag_block(m, last=l == len(ws)), net)
    return net


def _score(net: ReLUNetwork) -> tuple[int, int] | None:
    from .propagate import propagate

    try:
        trace = propagate(net, None, max_pieces=1 << 16)
    except ExactReluError:
        return None
    return trace.pieces, trace.activation_regions


@dataclass(frozen=True)
class _TightUnit:
    index: int
    strategy: str
    seed: int
    budget: int


@dataclass(frozen=True)
class _TightResult:
    index: int
    strategy: str
    evaluations: int
    score: tuple[int, int] | None
    network: Any  # JSON dict
    found: Any = None  # set when the upper bound is reached


def _starts(ws: tuple[int, ...]) -> list[ReLUNetwork]:
    starts = [zigzag_network(ws)]
    # tent-like: D composed, units beyond 2 copies of the fold (the 2-unit tent padded)
    return starts


def _climb(space: NetworkSpace, start: ReLUNetwork, score, rng: random.Random, budget: int, bound: int,
           patience: int = 150):
    best, best_score = start, score
    current, current_score, stale, used = start, score, 0, 0
    while used < budget and best_score[0] < bound:
        if stale >= patience:
            current = space.mutate(best, rng) if rng.random() < 0.5 else space.draw(rng)
            current_score, stale = _score(current) or (0, 0), 0
            used += 1
            continue
        candidate = space.mutate(current, rng)
        s = _score(candidate)
        used += 1
        if s is not None and s >= current_score:
            stale = 0 if s > current_score else stale + 1
            current, current_score = candidate, s
            if s > best_score:
                best, best_score = candidate, s
        else:
            stale += 1
    return best, best_score, used


def run_tight_unit(ws: tuple[int, ...], bound: int, unit: _TightUnit) -> _TightResult:
    """One unit of a tightness search (module level: picklable)."""
    space = NetworkSpace(ws, max_numerator=6, max_denominator=4)
    rng = random.Random(unit.seed)
    if unit.strategy == "zigzag":
        net = zigzag_network(ws)
        score = _score(net) or (0, 0)
        best, best_score, used = _climb(space, net, score, rng, unit.budget, bound)
        used += 1
    elif unit.strategy == "exhaustive":
        dims = (1, *ws, 1)
        shapes = [(o, i) for i, o in zip(dims[:-1], dims[1:])]
        count = sum(o * i + o for o, i in shapes)
        best, best_score, used = None, (0, 0), 0
        for values in itertools.product((0, 1, -1), repeat=count):
            it = iter(values)
            layers = [([[next(it) for _ in range(i)] for _ in range(o)], [next(it) for _ in range(o)])
                      for o, i in shapes]
            net = ReLUNetwork(layers)
            s = _score(net)
            used += 1
            if s is not None and s > best_score:
                best, best_score = net, s
                if s[0] >= bound:
                    break
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
        return {"widths": list(self.widths), "pieces": self.pieces, "regions": self.regions,
                "B1_telgarsky": self.telgarsky, "B3_serra": self.serra, "upper_bound": self.upper_bound,
                "proven_optimal": self.proven_optimal, "evaluations": self.evaluations,
                "strategy": self.strategy, "seconds": round(self.seconds, 3), "network": self.network.to_dict()}


def _tight_plan(ws: tuple[int, ...], budget: int, seed: int, structured: bool) -> list[_TightUnit]:
    units = []
    if structured:
        units.append(_TightUnit(0, "zigzag", E.derive_seed(seed, "zigzag"), min(budget, _UNIT_BUDGET)))
        params = sum(o * i + o for i, o in zip((1, *ws), (*ws, 1)))
        if 3 ** params <= _EXHAUSTIVE_LIMIT:
            units.append(_TightUnit(1, "exhaustive", 0, 3 ** params))
    remaining = budget - sum(u.budget for u in units if u.strategy == "zigzag")
    k = 0
    while remaining > 0:
        b = min(_UNIT_BUDGET, remaining)
        units.append(_TightUnit(len(units), "local", E.derive_seed(seed, "local", k), b))
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
    ws = _check_widths(widths)
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ShapeError(f"budget={budget!r} must be a positive int")
    bound = refined_region_bound(ws)
    units = _tight_plan(ws, budget, seed, structured)
    start = time.perf_counter()
    results = E.execute(run_tight_unit, (ws, bound), units, executor, progress)
    best = max((r for r in results if r.network is not None),
               key=lambda r: (r.score, -r.index))
    net = ReLUNetwork.from_dict(best.network)
    return TightnessResult(ws, best.score[0], best.score[1], net, telgarsky_bound(ws),
                           serra_layer_bounds(ws, 1)[-1], bound, sum(r.evaluations for r in results),
                           best.strategy, time.perf_counter() - start)


def tightness_table(architectures: Sequence[Sequence[int]], **kwargs) -> list[TightnessResult]:
    """:func:`tightness_search` for every architecture (same keyword arguments)."""
    return [tightness_search(ws, **kwargs) for ws in architectures]
