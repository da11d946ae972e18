"""Arora, Basu, Mianjy, Mukherjee (ICLR 2018), "Understanding Deep Neural Networks with
Rectified Linear Units" (arXiv 1611.01491), made exact.

Modules: :mod:`.pwl_networks` (Theorem 2.2, Corollary A.1), :mod:`.depth`
(Theorem 2.1, constructive), :mod:`.hard` (section 3.1: h_a, Theorem 3.1, Lemma B.1,
Theorem 3.2, Corollary 3.4), :mod:`.zonotopes` (section 3.2: Lemma 3.7, Theorems 3.6
and 3.9, Fig. 1), :mod:`.erm` (Theorem 4.1, Algorithm 1, and the refuted claim that
gradient descent reaches the global optimum).

:func:`verify_checks` returns the report lines (``exactrelu verify``), grouped by
:data:`SECTIONS` (``exactrelu arora SECTION``).

Findings (witnesses in the module docstrings)
---------------------------------------------
* Theorem 2.2's "at most p units" needs p >= 2: f(x) = x (p = 1) needs 2 units on R.
  The exact minimum is p - 1 or p, decided by a subset-sum condition on the slope jumps
  (it can be p - 1 with no zero slope, e.g. slopes -1, 1, 2).
* Theorem 3.9 / Fig. 1: the exact piece counts of the three Fig. 1 functions on R^2 are
  17, 33, 65, against (sum_{i<n} C(m-1, i)) w^k = 8, 16, 32 as stated; the statement
  counts half of the V w^k positive pieces (V = 2 sum_{i<n} C(m-1, i)) and omits the
  zero piece: a valid lower bound, not the count.
* Corollary 3.4: with the exact count k^{k^2}, Lemma D.6 gives ceil(k^{k+1}/2) units,
  one more than the stated (1/2) k^{k+1} - 1 (for even k; 1.5 more for odd k).
  Theorem 3.2 at k' = 1 is far from tight: H with k = 3, w = 3 needs exactly 27
  one-hidden-layer units (Theorem 2.2's exact minimum, attained), the bound says 12.5.
* Gradient descent from PyTorch's default initialisation fails to reach the exact ERM
  optimum 0 on |x| at -1, 0, 1 (width 2) with probability >= 7/16 (a dead unit).
"""

from __future__ import annotations

from typing import Callable

from ...pwl import PiecewiseLinear
from ._common import CheckResult

__all__ = ["SECTIONS", "verify_checks", "section_checks"]


def _pwl_checks() -> list[CheckResult]:
    from .pwl_networks import check_lower_bound, check_round_trip, check_size_bounds, min_units, min_units_brute_force, minimal_network

    fs = [
        PiecewiseLinear([(0, 0), (1, 2), (3, 1)], left_slope=1, right_slope=5),  # on R, 4 pieces
        PiecewiseLinear([(0, 0), ("1/2", 1), (1, 0), (2, 3)]),                    # on [0, 2]
        PiecewiseLinear([(0, 1), (2, 0)], right_slope=-3),                       # half-line
        PiecewiseLinear([(0, 0), (1, 1)], left_slope=0, right_slope=0),          # zero end slopes
    ]
    out = [check_round_trip(f) for f in fs[:3]]
    out += [check_size_bounds(f) for f in fs]
    out.append(check_size_bounds(PiecewiseLinear.affine(1, 0)))   # f(x) = x: 2 units
    out.append(check_size_bounds(PiecewiseLinear.affine(0, 3)))   # constant: none
    g = PiecewiseLinear([(0, 1), (1, 2)], left_slope=-1, right_slope=2)
    exact, brute = min_units(g), min_units_brute_force(g)
    out.append(CheckResult("Thm 2.2: exact minimum units (subset-sum) == brute force, slopes -1, 1, 2",
                           "Arora et al. (2018), Theorem 2.2 (exact minimum: exactrelu)", exact == brute == 2,
                           f"{exact} (brute force {brute})", "2 = p - 1 (no zero slope)"))
    out.append(check_lower_bound(g, minimal_network(g)))
    return out


def _depth_checks() -> list[CheckResult]:
    from .depth import MaxRepresentation, check_representation

    rep2 = MaxRepresentation([(1, [((1, 0), 0), ((0, 1), 0), ((-1, -1), 1)]), (-1, [((1, 1), 0), ((0, 0), 1)])])
    rep3 = MaxRepresentation([(1, [((1, 0, 0), 0), ((0, 1, 0), 1), ((0, 0, 1), -1), ((1, 1, 1), "1/2")]),
                              (-1, [((2, -1, 0), 0), ((0, 0, 0), 3)])])
    return [check_representation(rep2, points=60, lines=6), check_representation(rep3, points=60, lines=6)]


def _hard_checks() -> list[CheckResult]:
    from .hard import check_corollary_3_4, check_figure2, check_lemma_b1, check_theorem_3_1, check_theorem_3_2

    a_list = [["1/3", "2/3"], ["1/2"], ["1/5", "1/2", "3/4"]]
    return [check_figure2(), check_theorem_3_1(a_list), check_theorem_3_1([["1/2"], ["1/4", "3/4"]], 2),
            check_lemma_b1(a_list), check_lemma_b1([["1/2"], ["1/3"]]),
            check_theorem_3_2([["1/3", "2/3"]] * 3, 1), check_theorem_3_2([["1/3", "2/3"]] * 4, 2),
            check_corollary_3_4()]


def _zonotope_checks() -> list[CheckResult]:
    from .zonotopes import FIGURE1, check_figure1_formula, check_lemma_3_7, check_theorem_3_6, check_theorem_3_9

    gens = FIGURE1[1][2]
    out = [check_lemma_3_7(gens), check_lemma_3_7([(1, 0, 2), (0, 1, -1), (1, 1, 1)])]
    out.append(check_theorem_3_6(gens, expect_equality=True))
    out.append(check_theorem_3_6([(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1), (1, 2, 5)], expect_equality=True))
    out.append(check_theorem_3_6([(1, 0), (2, 0), (0, 1)], expect_equality=False))  # degenerate: 4 < 6
    out.append(check_theorem_3_6([(1, 0, 0), (0, 1, 0), (1, 1, 0), (1, -1, 0), (0, 0, 1)], expect_equality=False))
    out += [check_theorem_3_9(a, g) for _, a, g in FIGURE1]
    out.append(check_figure1_formula())
    out += _region_checks()
    return out


def _region_checks() -> list[CheckResult]:
    """Fig. 1 and Theorem 2.1 on the exact 2-D region complex (exactrelu.polyhedral.regions)."""
    from .depth import MaxRepresentation, check_on_regions
    from .zonotopes import FIGURE1, pieces_on_regions, zonotope_function_network

    got = tuple(pieces_on_regions(zonotope_function_network(a, g), ((-4, 4), (-4, 4))) for _, a, g in FIGURE1)
    rep = MaxRepresentation([(1, [((1, 0), 0), ((0, 1), 0), ((-1, -1), 1)]), (-1, [((1, 1), 0), ((0, 0), 1)])])
    return [CheckResult("Fig. 1 on the region complex of [-4,4]^2: pieces of the three functions",
                        "Arora et al. (2018), Fig. 1 and Theorem 3.9; exactrelu.polyhedral.regions",
                        got == (17, 33, 65), str(got), "(17, 33, 65)"),
            check_on_regions(rep, ((-3, 3), (-3, 3)))]


def _erm_checks() -> list[CheckResult]:
    from fractions import Fraction

    from .erm import check_erm_known, check_gd_refuted

    return [check_erm_known([-1, 0, 1], [1, 0, 1], 2, 0),
            check_erm_known([-1, 0, 1], [1, 0, 1], 1, Fraction(2, 3)),
            check_erm_known([-1, 0, 1], [1, 0, 1], 1, Fraction(1, 2), output_bias=True),
            check_erm_known([0, 1, 2], [0, 1, 0], 1, 1, loss="l1"),
            check_gd_refuted()]


#: Report sections: name -> provider (``exactrelu arora SECTION``).
SECTIONS: dict[str, Callable[[], list[CheckResult]]] = {
    "pwl": _pwl_checks,
    "depth": _depth_checks,
    "hard": _hard_checks,
    "zonotopes": _zonotope_checks,
    "erm": _erm_checks,
}


def section_checks(section: str) -> list[CheckResult]:
    """The checks of one section (see :data:`SECTIONS`), or all of them for ``"all"``."""
    from ...errors import ShapeError

    if section == "all":
        return verify_checks()
    if section not in SECTIONS:
        raise ShapeError(f"section={section!r} must be one of {sorted(SECTIONS)} or 'all'")
    return SECTIONS[section]()


def verify_checks() -> list[CheckResult]:
    """Every exact check of Arora et al. (2018) in this package, in section order (< 2 s)."""
    results: list[CheckResult] = []
    for provider in SECTIONS.values():
        results.extend(provider())
    return results
