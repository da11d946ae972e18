"""A catalogue of claims about piece counts, true and false, each with its source.

Every claim is a :class:`~exactrelu.search.claim.Claim` whose function measures it
exactly on one witness (a network on R, a PWL function on R, or a pair) and
returns the violation (``measured - bound``; positive means the claim fails).
``exactrelu search --list`` prints the catalogue; ``exactrelu search NAME``
searches for a counterexample.  The search finds witnesses for the false
claims and none for the true ones within the default budgets
(``tests/test_claims.py`` asserts both).

Counts are on R (``propagate(net, None)``), as the bounds B1 and B3 are.
The network claims also measure blocks of networks at once
(``Claim.measure_many``, counted by :func:`exactrelu.batch.propagate_mixed`),
which the random search uses; ``gd-global-optimum`` (Arora et al. (2018),
Theorem 4.1: the exact ERM optimum, against float gradient descent) is
measured one network at a time.

>>> sorted(c.name for c in CATALOGUE.values() if c.expected is False)  # doctest: +NORMALIZE_WHITESPACE
['gd-global-optimum', 'pieces-at-most-units-plus-one', 'pieces-at-most-width-product',
 'regions-equal-pieces']
"""

from __future__ import annotations

from fractions import Fraction
from math import prod
from typing import Any, Callable, Sequence

from .claim import Claim, Evaluation
from .spaces import NetworkSpace, PairSpace, PiecewiseLinearSpace

__all__ = ["CATALOGUE", "get_claim"]


def _trace(net):
    from ..propagate import propagate

    return propagate(net, None)


# ---------------------------------------------------------------- PWL claims
def relu_at_most_doubles(f) -> Evaluation:
    """pieces(relu f) <= 2 pieces(f)."""
    p, r = f.pieces, f.relu().pieces
    return Evaluation(Fraction(r - 2 * p), {"pieces_f": p, "pieces_relu_f": r, "bound": 2 * p})


def relu_pieces_plus_sign_changes(f) -> Evaluation:
    """pieces(relu f) <= pieces(f) + (strict sign changes of f)."""
    p, r, s = f.pieces, f.relu().pieces, len(f.level_crossings(0))
    return Evaluation(Fraction(r - p - s), {"pieces_f": p, "sign_changes": s, "pieces_relu_f": r, "bound": p + s})


def sum_pieces(pair) -> Evaluation:
    """pieces(f + g) <= pieces(f) + pieces(g) - 1."""
    f, g = pair
    pf, pg, ps = f.pieces, g.pieces, (f + g).pieces
    return Evaluation(Fraction(ps - (pf + pg - 1)),
                      {"pieces_f": pf, "pieces_g": pg, "pieces_sum": ps, "bound": pf + pg - 1})


# ------------------------------------------------------------ network claims
# Each network claim is one function ``_x(net, pieces, regions) -> Evaluation`` of the exact counts
# on R; ``x(net)`` counts with :func:`exactrelu.propagate`, ``x_many(nets)`` counts a block of
# networks in one call of :func:`exactrelu.batch.propagate_mixed` (the claim's ``measure_many``).
Counts = tuple[int, int]


def _counts(net) -> Counts:
    t = _trace(net)
    return t.pieces, t.activation_regions


def _counts_many(nets: Sequence[Any]) -> list[Counts | None]:
    """(pieces, activation regions) on R of every net, batched; None where :func:`propagate` refuses."""
    from ..batch import propagate_mixed
    from ..errors import ExactReluError

    nets = list(nets)
    try:
        c = propagate_mixed(nets, None)
    except ExactReluError:  # some net exceeds the propagation budget: count one by one
        out: list[Counts | None] = []
        for net in nets:
            try:
                out.append(_counts(net))
            except ExactReluError:
                out.append(None)
        return out
    return list(zip(c.pieces.tolist(), c.activation_regions.tolist()))


def _many(nets: Sequence[Any], measure: Callable[[Any, int, int], Evaluation]) -> list[Fraction | None]:
    return [None if c is None else measure(net, c[0], c[1]).violation for net, c in zip(nets, _counts_many(nets))]


def _telgarsky_B1(net, pieces: int, regions: int) -> Evaluation:
    from ..bounds import telgarsky_bound

    bound = telgarsky_bound(net.widths)
    return Evaluation(Fraction(pieces - bound), {"pieces": pieces, "bound": bound})


def telgarsky_B1(net) -> Evaluation:
    """pieces on R <= 2^{L-1} (m_1 + 1) m_2 ... m_L."""
    return _telgarsky_B1(net, *_counts(net))


def telgarsky_B1_many(nets: Sequence[Any]) -> list[Fraction | None]:
    """:func:`telgarsky_B1`'s violation for a block of networks (batched counts)."""
    return _many(nets, _telgarsky_B1)


def _serra_B3(net, pieces: int, regions: int) -> Evaluation:
    from ..bounds import serra_bound

    bound = serra_bound(net.widths)
    return Evaluation(Fraction(regions - bound), {"regions": regions, "pieces": pieces, "bound": bound})


def serra_B3(net) -> Evaluation:
    """activation regions on R <= Serra et al.'s bound (prod(m_l + 1) without bottlenecks)."""
    return _serra_B3(net, *_counts(net))


def serra_B3_many(nets: Sequence[Any]) -> list[Fraction | None]:
    """:func:`serra_B3`'s violation for a block of networks (batched counts)."""
    return _many(nets, _serra_B3)


def _pieces_at_most_regions(net, pieces: int, regions: int) -> Evaluation:
    return Evaluation(Fraction(pieces - regions), {"pieces": pieces, "regions": regions})


def pieces_at_most_regions(net) -> Evaluation:
    """pieces on R <= activation regions on R."""
    return _pieces_at_most_regions(net, *_counts(net))


def pieces_at_most_regions_many(nets: Sequence[Any]) -> list[Fraction | None]:
    """:func:`pieces_at_most_regions`'s violation for a block of networks (batched counts)."""
    return _many(nets, _pieces_at_most_regions)


def _arora_B4(net, pieces: int, regions: int) -> Evaluation:
    from ..bounds import arora_depth_size_bound

    bound = arora_depth_size_bound(net.depth, net.size)
    return Evaluation(pieces - bound, {"pieces": pieces, "bound": bound})


def arora_B4(net) -> Evaluation:
    """pieces on R <= (2s/k)^k (k hidden layers, s units)."""
    return _arora_B4(net, *_counts(net))


def arora_B4_many(nets: Sequence[Any]) -> list[Fraction | None]:
    """:func:`arora_B4`'s violation for a block of networks (batched counts)."""
    return _many(nets, _arora_B4)


def _units_plus_one(net, pieces: int, regions: int) -> Evaluation:
    bound = net.size + 1
    return Evaluation(Fraction(pieces - bound), {"pieces": pieces, "bound": bound, "units": net.size})


def units_plus_one(net) -> Evaluation:
    """pieces on R <= (hidden units) + 1, at any depth."""
    return _units_plus_one(net, *_counts(net))


def units_plus_one_many(nets: Sequence[Any]) -> list[Fraction | None]:
    """:func:`units_plus_one`'s violation for a block of networks (batched counts)."""
    return _many(nets, _units_plus_one)


def _regions_equal_pieces(net, pieces: int, regions: int) -> Evaluation:
    return Evaluation(Fraction(abs(regions - pieces)), {"regions": regions, "pieces": pieces})


def regions_equal_pieces(net) -> Evaluation:
    """activation regions on R == pieces on R (violation: regions - pieces; never negative)."""
    return _regions_equal_pieces(net, *_counts(net))


def regions_equal_pieces_many(nets: Sequence[Any]) -> list[Fraction | None]:
    """:func:`regions_equal_pieces`'s violation for a block of networks (batched counts)."""
    return _many(nets, _regions_equal_pieces)


def _width_product(net, pieces: int, regions: int) -> Evaluation:
    bound = prod(net.widths)
    return Evaluation(Fraction(pieces - bound), {"pieces": pieces, "bound": bound})


def width_product(net) -> Evaluation:
    """pieces on R <= prod(m_l) for one input."""
    return _width_product(net, *_counts(net))


def width_product_many(nets: Sequence[Any]) -> list[Fraction | None]:
    """:func:`width_product`'s violation for a block of networks (batched counts)."""
    return _many(nets, _width_product)


def gd_global_optimum(net) -> Fraction:
    """GD's exact final loss - exact ERM optimum - 1/1000 on |x| at -1, 0, 1 (positive: GD missed it).

    :func:`exactrelu.theorems.arora.erm.gd_reaches_global_optimum`, imported
    when first measured (the catalogue stays cheap to import).
    """
    from ..theorems.arora.erm import gd_reaches_global_optimum

    return gd_reaches_global_optimum(net)


_B2 = "Arora, Basu, Mianjy, Mukherjee (2018), Fig. 4 and proof of Lemma D.5 (B2); docs/theory.md §1"

_CLAIMS = (
    Claim("relu-at-most-doubles", "pieces(relu f) <= 2 pieces(f)", relu_at_most_doubles,
          PiecewiseLinearSpace(), _B2, True),
    Claim("relu-sign-changes", "pieces(relu f) <= pieces(f) + sign changes of f",
          relu_pieces_plus_sign_changes, PiecewiseLinearSpace(), _B2, True),
    Claim("sum-pieces", "pieces(f + g) <= pieces(f) + pieces(g) - 1", sum_pieces, PairSpace(), _B2, True),
    Claim("telgarsky-B1", "pieces on R <= 2^(L-1) (m_1+1) m_2 ... m_L (B1)", telgarsky_B1, NetworkSpace((3, 3)),
          "Telgarsky (2016); Risteski, lecture 'Benefits of depth', CMU 10-707 (2020); Arora et al. (2018), "
          "Lemma D.5; docs/theory.md §1", True, measure_many=telgarsky_B1_many),
    Claim("serra-B3", "activation regions on R <= prod(m_l + 1) (B3, bottlenecks included)", serra_B3,
          NetworkSpace((3, 3)), "Serra, Tjandraatmadja, Ramalingam (2018), Theorem 1; docs/theory.md §1", True,
          measure_many=serra_B3_many),
    Claim("pieces-at-most-regions", "pieces on R <= activation regions on R", pieces_at_most_regions,
          NetworkSpace((2, 2, 2)), "docs/theory.md §0 (the network is affine on each activation region)", True,
          measure_many=pieces_at_most_regions_many),
    Claim("arora-B4", "pieces on R <= (2s/k)^k, k hidden layers of s units (B4)", arora_B4, NetworkSpace((2, 2)),
          "Arora et al. (2018), Lemma D.6; docs/theory.md §1", True, measure_many=arora_B4_many),
    Claim("pieces-at-most-units-plus-one", "pieces on R <= total hidden units + 1, at any depth", units_plus_one,
          NetworkSpace((2, 2)),
          "FALSE: true for one hidden layer (Arora et al. (2018), Theorem 2.2) but not deeper (the tent map; "
          "Risteski, lecture 'Benefits of depth', CMU 10-707 (2020)); Hanin & Rolnick (2019)'s linear growth "
          "is an average at random initialisation, not a bound (docs/theory.md §7)",
          False, measure_many=units_plus_one_many),
    Claim("regions-equal-pieces", "activation regions on R = pieces on R", regions_equal_pieces,
          NetworkSpace((2, 2)), "FALSE: docs/theory.md §0 (a dead unit or cancelling slopes merge pieces)", False,
          measure_many=regions_equal_pieces_many),
    Claim("pieces-at-most-width-product", "pieces on R <= prod(m_l) for one input", width_product,
          NetworkSpace((2, 2)), "FALSE: a bound tighter than the truth (B3 is prod(m_l + 1), attained: "
          "Serra et al. (2018); docs/theory.md §1)", False, measure_many=width_product_many),
    Claim("gd-global-optimum",
          "GD (lr 0.05, 4000 steps, MSE) from a random initialisation ends within 1/1000 of the exact global "
          "ERM optimum on |x| at -1,0,1 (width 2, output bias)", gd_global_optimum, NetworkSpace((2,)),
          "Arora et al. (2018), Theorem 4.1 (exact optimum); docs/theory.md §5; FALSE: a dead unit at init "
          "(probability 7/16 under PyTorch's default) freezes it", False, budget=60),
)

#: The catalogue, by name.
CATALOGUE: dict[str, Claim] = {c.name: c for c in _CLAIMS}


def get_claim(name: str) -> Claim:
    """The catalogue's claim called ``name``; KeyError (listing the names) if there is none."""
    try:
        return CATALOGUE[name]
    except KeyError:
        raise KeyError(f"unknown claim {name!r}; known: {', '.join(CATALOGUE)}") from None
