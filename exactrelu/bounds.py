"""Closed-form piece and region bounds of an architecture, and their check on a Trace.

* (B1) Telgarsky / lecture bound: at most 2^{L-1}(m_1+1)m_2...m_L pieces on R
  (Risteski, lecture "Benefits of depth", CMU 10-707 (2020); Arora et al. 2018, Lemma D.5; docs/theory.md §1), with
  the per-layer values of its inductive proof.
* (B2) pieces(relu f) <= pieces(f) + sign changes(f) <= 2 pieces(f) and
  pieces(f + g) <= pieces(f) + pieces(g) - 1 (Arora et al. 2018, Fig. 4).
* (B3) Serra, Tjandraatmadja, Ramalingam (2018), Theorem 1: activation regions
  of a net with input dimension n0 are at most
  sum over j in J of prod_l C(m_l, j_l), J = {0 <= j_l <= min(n0, m_1 - j_1,
  ..., m_{l-1} - j_{l-1}, m_l)}; for n0 = 1 and no width-1 bottleneck this is
  prod_l (m_l + 1).
* (B4) Arora et al. (2018), Lemma D.6: k hidden layers of total size s give at
  most (2s/k)^k pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import comb, prod
from typing import TYPE_CHECKING, Sequence

from ._validate import check_int, check_widths
from .report import CheckResult

if TYPE_CHECKING:  # pragma: no cover
    from .propagate import Trace

__all__ = [
    "telgarsky_bound",
    "telgarsky_layer_bounds",
    "LayerBound",
    "serra_bound",
    "serra_layer_bounds",
    "arora_depth_size_bound",
    "arora_min_size",
    "BoundCheck",
    "BoundReport",
    "check_bounds",
]


def _widths(widths: Sequence[int], *, allow_empty: bool = True) -> tuple[int, ...]:
    return check_widths(widths, allow_empty=allow_empty)


@dataclass(frozen=True)
class LayerBound:
    """B1's per-layer values: pieces of a pre-activation, a post-activation, and a weighted sum of the layer."""

    layer: int
    pre: int
    post: int
    combined: int


def telgarsky_layer_bounds(widths: Sequence[int]) -> tuple[LayerBound, ...]:
    """The induction of B1, layer by layer (Risteski, lecture "Benefits of depth", CMU 10-707 (2020); docs/theory.md §1).

    A layer-1 pre-activation is affine (1 piece), after ReLU 2 pieces, and a
    weighted sum of the m_1 units has at most m_1 + 1 pieces (each unit adds
    one kink).  For l >= 2 a pre-activation is such a sum of layer l-1, ReLU at
    most doubles, and a sum of m_l functions has at most m_l times as many.

    >>> [b.combined for b in telgarsky_layer_bounds((3, 3, 3))]
    [4, 24, 144]
    """
    ws = _widths(widths)
    result = []
    pre = 1
    for index, m in enumerate(ws, start=1):
        post = 2 * pre
        combined = m + 1 if index == 1 else m * post
        result.append(LayerBound(index, pre, post, combined))
        pre = combined
    return tuple(result)


def telgarsky_bound(widths: Sequence[int]) -> int:
    """B1: 2^{L-1}(m_1+1)m_2...m_L pieces on R (1 for no hidden layer).

    >>> telgarsky_bound((3, 3, 3)), telgarsky_bound((2,) * 4)
    (144, 192)
    """
    ws = _widths(widths)
    if not ws:
        return 1
    return 2 ** (len(ws) - 1) * (ws[0] + 1) * prod(ws[1:])


def serra_layer_bounds(widths: Sequence[int], input_dim: int = 1) -> tuple[int, ...]:
    """B3 truncated after each layer: the region bound of layers 1..l, for every l."""
    ws = _widths(widths)
    check_int("input_dim", input_dim, 1)
    # state: running minimum d = min(n0, m_1 - j_1, ..., m_{l-1} - j_{l-1}) -> weighted count
    states = {input_dim: 1}
    result = []
    for m in ws:
        nxt: dict[int, int] = {}
        for d, count in states.items():
            for j in range(0, min(d, m) + 1):
                key = min(d, m - j)
                nxt[key] = nxt.get(key, 0) + count * comb(m, j)
        states = nxt
        result.append(sum(states.values()))
    return tuple(result)


def serra_bound(widths: Sequence[int], input_dim: int = 1) -> int:
    """B3: Serra et al. (2018), Theorem 1, the bound on activation regions.

    For one input this is prod(m_l + 1) unless a width-1 layer is a bottleneck.

    >>> serra_bound((3, 3, 3)), serra_bound((1, 5)), serra_bound((4,), input_dim=2)
    (64, 7, 11)
    """
    bounds = serra_layer_bounds(widths, input_dim)
    return bounds[-1] if bounds else 1


def arora_depth_size_bound(depth: int, size: int) -> Fraction:
    """B4: Arora et al. (2018), Lemma D.6: at most (2s/k)^k pieces with k hidden layers of total size s.

    >>> arora_depth_size_bound(2, 6)
    Fraction(36, 1)
    """
    check_int("depth", depth, 1)
    check_int("size", size, depth)
    return Fraction(2 * size, depth) ** depth


def arora_min_size(pieces: int, depth: int) -> int:
    """Smallest size s with (2s/k)^k >= pieces: B4's lower bound on the size of a
    k-hidden-layer net with that many pieces (the exact integer form of
    s >= (1/2) k p^{1/k}).

    >>> arora_min_size(2 ** 10, 2)
    32
    """
    check_int("pieces", pieces, 1)
    check_int("depth", depth, 1)
    # (2s/k)^k >= p  <=>  (2s)^k >= p k^k: t = smallest int with t^k >= p k^k, s = ceil(t/2)
    t = _ceil_root(pieces * depth**depth, depth)
    return max(depth, (t + 1) // 2)


def _ceil_root(n: int, k: int) -> int:
    """Smallest integer r >= 0 with r**k >= n (exact, by bisection on integers)."""
    lo, hi = 0, 1 << (n.bit_length() // k + 1)
    while lo < hi:
        mid = (lo + hi) // 2
        if mid**k >= n:
            hi = mid
        else:
            lo = mid + 1
    return lo


@dataclass(frozen=True, init=False)
class BoundCheck(CheckResult):
    """One comparison of a measured count with a bound (a :class:`~exactrelu.report.CheckResult`).

    ``holds`` is ``measured <= bound``; ``value`` and ``expected`` are the
    count and ``"<= bound"`` as text; ``layer`` is None for the network output.

    >>> BoundCheck("B1 output pieces", None, 4, 5, "Telgarsky").holds
    False
    """

    layer: int | None = None
    bound: int = 0
    measured: int = 0

    def __init__(self, name: str, layer: int | None, bound: int, measured: int, source: str) -> None:
        super().__init__(name, source, measured <= bound, str(measured), f"<= {bound}")
        object.__setattr__(self, "layer", layer)
        object.__setattr__(self, "bound", bound)
        object.__setattr__(self, "measured", measured)

    @property
    def tight(self) -> bool:
        return self.measured == self.bound


@dataclass(frozen=True)
class BoundReport:
    """All bound checks of one trace; ``holds`` is False if any check is violated."""

    widths: tuple[int, ...]
    domain: tuple
    checks: tuple[BoundCheck, ...] = field(default_factory=tuple)

    @property
    def holds(self) -> bool:
        return all(c.holds for c in self.checks)

    @property
    def violations(self) -> tuple[BoundCheck, ...]:
        return tuple(c for c in self.checks if not c.holds)


def check_bounds(trace: "Trace") -> BoundReport:
    """Check B1 (per layer), B2 (per unit) and B3 (per layer) on a propagated trace.

    Counts are measured on the trace's domain; the bounds are for R, so they
    hold on every sub-domain (tightness is judged on the domain given).
    """
    net = trace.network
    widths = net.widths
    checks: list[BoundCheck] = []
    b1 = telgarsky_layer_bounds(widths)
    b3 = serra_layer_bounds(widths, 1)
    layers = trace.layers
    for i, layer in enumerate(layers):
        lb = b1[i]
        checks.append(BoundCheck("B1 pre-activation pieces (max over units)", layer.index, lb.pre, max(layer.pre_pieces), "Telgarsky/lecture induction (Risteski, lecture 'Benefits of depth', CMU 10-707 (2020)); docs/theory.md §1"))
        checks.append(BoundCheck("B1 post-activation pieces (max over units)", layer.index, lb.post, max(layer.post_pieces), "Telgarsky/lecture induction (Risteski, lecture 'Benefits of depth', CMU 10-707 (2020)); docs/theory.md §1"))
        for j in range(layer.width):
            pre, post, changes = layer.pre_pieces[j], layer.post_pieces[j], layer.sign_changes[j]
            checks.append(BoundCheck(f"B2 relu: pieces(relu f) <= pieces(f) + sign changes (unit {j})", layer.index, pre + changes, post, "Arora et al. 2018, Fig. 4"))
            checks.append(BoundCheck(f"B2 relu: pieces(f) + sign changes <= 2 pieces(f) (unit {j})", layer.index, 2 * pre, pre + changes, "Arora et al. 2018, Fig. 4"))
        if i > 0:
            weight = net.layers[i][0]
            prev = layers[i - 1].post_pieces
            for j in range(layer.width):
                used = [prev[k] for k, v in enumerate(weight[j]) if v != 0]
                bound = sum(used) - (len(used) - 1) if used else 1
                checks.append(BoundCheck(f"B2 sum: pieces(sum) <= sum of pieces - (terms - 1) (unit {j})", layer.index, bound, layer.pre_pieces[j], "Arora et al. 2018, Lemma D.5 proof"))
        checks.append(BoundCheck("B3 activation regions of layers 1..l", layer.index, b3[i], layer.activation_regions, "Serra, Tjandraatmadja, Ramalingam 2018, Thm 1"))
    pieces = max(trace.output_pieces)
    checks.append(BoundCheck("B1 output pieces", None, telgarsky_bound(widths), pieces, "Telgarsky/lecture bound (Risteski, lecture 'Benefits of depth', CMU 10-707 (2020)); Arora et al. 2018, Lemma D.5"))
    checks.append(BoundCheck("B3 output pieces <= activation regions", None, trace.activation_regions, pieces, "docs/theory.md §0"))
    checks.append(BoundCheck("B3 activation regions", None, serra_bound(widths, 1) if widths else 1, trace.activation_regions, "Serra, Tjandraatmadja, Ramalingam 2018, Thm 1"))
    if widths:
        checks.append(BoundCheck("B4 output pieces <= (2s/k)^k (floor)", None, int(arora_depth_size_bound(len(widths), sum(widths))), pieces, "Arora et al. 2018, Lemma D.6"))
    return BoundReport(widths, trace.domain, tuple(checks))
