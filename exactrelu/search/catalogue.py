"""A catalogue of claims about piece counts, true and false, each with its source.

Every claim is a :class:`~exactrelu.search.claim.Claim` whose function measures it
exactly on one witness (a network on R, a PWL function on R, or a pair) and
returns the violation (``measured - bound``; positive means the claim fails).
``exactrelu search --list`` prints the catalogue; ``exactrelu search NAME``
searches for a counterexample.  The search finds witnesses for the false
claims and none for the true ones within the default budgets
(``tests/test_claims.py`` asserts both).

Counts are on R (``propagate(net, None)``), as the bounds B1 and B3 are.

>>> sorted(c.name for c in CATALOGUE.values() if c.expected is False)
['pieces-at-most-units-plus-one', 'pieces-at-most-width-product', 'regions-equal-pieces']
"""

from __future__ import annotations

from fractions import Fraction
from math import prod

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
def telgarsky_B1(net) -> Evaluation:
    """pieces on R <= 2^{L-1} (m_1 + 1) m_2 ... m_L."""
    from ..bounds import telgarsky_bound

    pieces, bound = _trace(net).pieces, telgarsky_bound(net.widths)
    return Evaluation(Fraction(pieces - bound), {"pieces": pieces, "bound": bound})


def serra_B3(net) -> Evaluation:
    """activation regions on R <= Serra et al.'s bound (prod(m_l + 1) without bottlenecks)."""
    from ..bounds import serra_bound

    t = _trace(net)
    bound = serra_bound(net.widths)
    return Evaluation(Fraction(t.activation_regions - bound),
                      {"regions": t.activation_regions, "pieces": t.pieces, "bound": bound})


def pieces_at_most_regions(net) -> Evaluation:
    """pieces on R <= activation regions on R."""
    t = _trace(net)
    return Evaluation(Fraction(t.pieces - t.activation_regions),
                      {"pieces": t.pieces, "regions": t.activation_regions})


def arora_B4(net) -> Evaluation:
    """pieces on R <= (2s/k)^k (k hidden layers, s units)."""
    from ..bounds import arora_depth_size_bound

    pieces = _trace(net).pieces
    bound = arora_depth_size_bound(net.depth, net.size)
    return Evaluation(pieces - bound, {"pieces": pieces, "bound": bound})


def units_plus_one(net) -> Evaluation:
    """pieces on R <= (hidden units) + 1, at any depth."""
    pieces, bound = _trace(net).pieces, net.size + 1
    return Evaluation(Fraction(pieces - bound), {"pieces": pieces, "bound": bound, "units": net.size})


def regions_equal_pieces(net) -> Evaluation:
    """activation regions on R == pieces on R (violation: regions - pieces; never negative)."""
    t = _trace(net)
    return Evaluation(Fraction(abs(t.activation_regions - t.pieces)),
                      {"regions": t.activation_regions, "pieces": t.pieces})


def width_product(net) -> Evaluation:
    """pieces on R <= prod(m_l) for one input."""
    pieces, bound = _trace(net).pieces, prod(net.widths)
    return Evaluation(Fraction(pieces - bound), {"pieces": pieces, "bound": bound})


_B2 = "Arora, Basu, Mianjy, Mukherjee 2018, Fig. 4 and proof of Lemma D.5 (B2); THEORY.md 1"

_CLAIMS = (
    Claim("relu-at-most-doubles", "pieces(relu f) <= 2 pieces(f)", relu_at_most_doubles,
          PiecewiseLinearSpace(), _B2, True),
    Claim("relu-sign-changes", "pieces(relu f) <= pieces(f) + sign changes of f",
          relu_pieces_plus_sign_changes, PiecewiseLinearSpace(), _B2, True),
    Claim("sum-pieces", "pieces(f + g) <= pieces(f) + pieces(g) - 1", sum_pieces, PairSpace(), _B2, True),
    Claim("telgarsky-B1", "pieces on R <= 2^(L-1) (m_1+1) m_2 ... m_L (B1)", telgarsky_B1, NetworkSpace((3, 3)),
          "Telgarsky, lecture 'Benefits of depth' (seed 004); Arora et al. 2018, Lemma D.5; THEORY.md 1", True),
    Claim("serra-B3", "activation regions on R <= prod(m_l + 1) (B3, bottlenecks included)", serra_B3,
          NetworkSpace((3, 3)), "Serra, Tjandraatmadja, Ramalingam 2018, Thm 1; THEORY.md 1", True),
    Claim("pieces-at-most-regions", "pieces on R <= activation regions on R", pieces_at_most_regions,
          NetworkSpace((2, 2, 2)), "THEORY.md 0 (each region is affine)", True),
    Claim("arora-B4", "pieces on R <= (2s/k)^k, k hidden layers of s units (B4)", arora_B4, NetworkSpace((2, 2)),
          "Arora et al. 2018, Lemma D.6; THEORY.md 1", True),
    Claim("pieces-at-most-units-plus-one", "pieces on R <= total hidden units + 1, at any depth", units_plus_one,
          NetworkSpace((2, 2)),
          "FALSE: true for one hidden layer (Arora et al. 2018, Thm 2.2) but not deeper (tent map, seed 004); "
          "Hanin & Rolnick 2019's linear growth is an average at random initialisation, not a bound (THEORY.md 6)",
          False),
    Claim("regions-equal-pieces", "activation regions on R = pieces on R", regions_equal_pieces,
          NetworkSpace((2, 2)), "FALSE: THEORY.md 0 (a dead unit or cancelling slopes merge pieces)", False),
    Claim("pieces-at-most-width-product", "pieces on R <= prod(m_l) for one input", width_product,
          NetworkSpace((2, 2)), "FALSE: a bound tighter than the truth (B3 is prod(m_l + 1), attained: "
          "Serra et al. 2018)", False),
)

#: The catalogue, by name.
CATALOGUE: dict[str, Claim] = {c.name: c for c in _CLAIMS}


def get_claim(name: str) -> Claim:
    """The catalogue's claim called ``name``; KeyError (listing the names) if there is none."""
    try:
        return CATALOGUE[name]
    except KeyError:
        raise KeyError(f"unknown claim {name!r}; known: {', '.join(CATALOGUE)}") from None
