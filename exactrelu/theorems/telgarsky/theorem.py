"""The lecture theorem as a check on one g, and the reference networks (docs/theory.md §3).

Risteski's lecture "Benefits of depth" (after Telgarsky 2015): with
K = 2L^2 + 2, every g with at most L hidden layers and 2^L hidden units has
``int_0^1 |D^K - g| >= 1/32``.  :func:`check_theorem` checks the hypotheses
and orders the exact numbers of :func:`~.counting.separation_report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..._validate import check_int
from ...errors import BudgetExceededError, ShapeError
from ...network import ReLUNetwork
from ...rationals import format_rational
from ...report import CheckResult
from .counting import SeparationReport, check_depth_budget, separation_report
from .crossings import HALF
from .search import BEST_KNOWN, params_to_net, teeth_start

__all__ = ["THEOREM_BOUND", "theorem_K", "TheoremCheck", "check_theorem", "best_known_network"]

THEOREM_BOUND = Fraction(1, 32)


# ------------------------------------------------------------------ the theorem
def theorem_K(L: int) -> int:
    """K = 2L^2 + 2 (Risteski's lecture: "the function f in the theorem will be Delta^{2L^2+2}")."""
    check_int("L", L, 1)
    return 2 * L * L + 2


@dataclass(frozen=True, init=False)
class TheoremCheck(CheckResult):
    """The lecture theorem checked on one g: hypotheses, the three numbers, the verdict.

    A :class:`~exactrelu.report.CheckResult`: ``holds`` is True when the
    hypotheses apply and the exact certificate holds; ``value`` is the exact
    distance, ``expected`` the theorem's bound.
    """

    L: int = 0
    K: int = 0
    network: Any = None
    hypotheses: tuple[tuple[str, bool, str], ...] = ()
    report: Any = None
    bound: Fraction = field(default=THEOREM_BOUND)

    def __init__(self, L: int, K: int, network: ReLUNetwork, hypotheses: tuple[tuple[str, bool, str], ...],
                 report: SeparationReport, bound: Fraction = THEOREM_BOUND) -> None:
        values = {"L": L, "K": K, "network": network, "hypotheses": hypotheses, "report": report, "bound": bound}
        for name, v in values.items():
            object.__setattr__(self, name, v)
        super().__init__(f"L={L}, K={K}: int_0^1 |D^K - g| >= {bound}", "Risteski, 'Benefits of depth' (after Telgarsky 2015); docs/theory.md §3",
                         self.applies and self.certificate_holds, format_rational(report.exact), f">= {bound}",
                         "" if self.applies else f"hypothesis fails: {self.failed_hypothesis}")

    @property
    def applies(self) -> bool:
        return all(ok for _, ok, _ in self.hypotheses)

    @property
    def failed_hypothesis(self) -> str | None:
        for name, ok, detail in self.hypotheses:
            if not ok:
                return f"{name} ({detail})"
        return None

    @property
    def pieces_bound(self) -> int:
        """2^{2L^2}: the slide's N_g <= (2n)^L <= 2^{2L^2} for n <= 2^L units."""
        return 1 << (2 * self.L * self.L)

    @property
    def certificate_holds(self) -> bool:
        """N_g <= 2^{2L^2}, closed_form >= 1/32 and exact >= certified >= closed_form, all exact."""
        r = self.report
        return r.n_g <= self.pieces_bound and r.closed_form >= self.bound and r.consistent

    def to_dict(self) -> dict:
        return {
            "L": self.L, "K": self.K, "widths": list(self.network.widths),
            "hypotheses": [{"name": n, "holds": ok, "detail": d} for n, ok, d in self.hypotheses],
            "applies": self.applies, "pieces_bound": self.pieces_bound, "bound": str(self.bound),
            "certificate_holds": self.certificate_holds, "report": self.report.to_dict(),
            "network": self.network.to_dict(),
        }


def check_theorem(L: int, g: ReLUNetwork, *, max_pieces: int | None = None,
                  bound: Fraction = THEOREM_BOUND) -> TheoremCheck:
    """Check g against the theorem for L: hypotheses, K = 2L^2 + 2, and the exact certificate.

    Hypotheses (Risteski's lecture): g: [0,1] -> R is a ReLU network with at most L
    hidden layers and at most 2^L hidden units.  A failing one is named in
    :attr:`TheoremCheck.failed_hypothesis`; the numbers are computed anyway.

    >>> from exactrelu.constructions import constant_network
    >>> c = check_theorem(1, constant_network(HALF))
    >>> c.applies, c.certificate_holds, c.report.exact
    (True, True, Fraction(1, 4))
    """
    K = theorem_K(L)
    check_depth_budget(K)
    if not isinstance(g, ReLUNetwork):
        raise TypeError(f"the theorem is about networks; got {type(g).__name__}")
    if g.input_dim != 1 or g.output_dim != 1:
        raise ShapeError(f"g must map R -> R; it maps R^{g.input_dim} -> R^{g.output_dim}")
    hyps = (
        ("at most L hidden layers", g.depth <= L, f"depth {g.depth}, L = {L}"),
        ("at most 2^L hidden units", g.size <= (1 << L), f"size {g.size}, 2^L = {1 << L}"),
    )
    return TheoremCheck(L, K, g, hyps, separation_report(K, g, max_pieces=max_pieces), bound)


# -------------------------------------------------------------- reference nets
def best_known_network(L: int, *, max_units: int = 1 << 16) -> ReLUNetwork:
    """The closest g to D^{2L^2+2} known here: the search's best for L = 1, 2, a structured net beyond.

    L = 1, 2: found by :func:`search_closest` (seed 0, default budget), stored
    in ``exactrelu.theorems.telgarsky.search.BEST_KNOWN`` and benchmarks/telgarsky/.
    L >= 3 (no search at K = 20 by default): one hidden layer of 2^L units
    following f exactly over its last 2^L kinks, flat at 1/2 elsewhere, which
    is within 2^L * 2^{-K-3}-ish of 1/4 (the L = 2 net, tuned for K = 10, is
    *worse* than the constant 1/2 against D^20).

    The network has 2^L hidden units, so ``max_units`` (default 2^16, L <= 16)
    is checked before anything is built.

    >>> best_known_network(1)
    ReLUNetwork([([[1], [1]], ['-15/16', '-105/116']), ([[-32, 16]], ['14/29'])])
    >>> best_known_network(1000)
    Traceback (most recent call last):
    ...
    exactrelu.errors.BudgetExceededError: best_known_network(L=1000) has 2^L hidden units, above max_units=65536 (the CLI's telgarsky --L); pass --g NET or a smaller L
    """
    K = theorem_K(L)
    if L in BEST_KNOWN:
        return ReLUNetwork(BEST_KNOWN[L])
    check_int("max_units", max_units, 1)
    if L >= 63 or (1 << L) > max_units:  # no 2^L for huge L
        # ``required`` is 2^L only while that is a sane number; the message states 2^L either way
        error = BudgetExceededError(budget=max_units, layer=1, required=1 << min(L, 64), name="max_units",
                                    unit="hidden units")
        shown = str(L) if L < 10 ** 12 else f"a {len(str(L))}-digit L"
        error.args = (f"best_known_network(L={shown}) has 2^L hidden units, above max_units={max_units} "
                      "(the CLI's telgarsky --L); pass --g NET or a smaller L",)
        raise error
    width = (1 << L,)
    return params_to_net(teeth_start(width, K, 0, width[0], HALF), width)
