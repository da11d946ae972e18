"""Search for the network in Telgarsky's class closest to D^K in exact L1 (private).

Used by :func:`exactrelu.theorems.telgarsky.search_closest`.  Every candidate is scored
by the exact ``int_0^1 |D^K - g|`` (a Fraction); floats never decide anything.

Strategy
--------
1. *Architectures*: the maximal ones of the class, every depth d <= L with
   widths summing to 2^L (a smaller net is a maximal one with dead units).
2. *Structured starts* on the last hidden layer (earlier layers pass x
   through one unit, relu(x) = x on [0, 1]): g = c + sum_i a_i relu(t_i - x)
   + sum_j a_j relu(x - (1 - t_j)) follows f exactly over its first kl
   kinks from the left and its last kr kinks from the right and is flat at
   level c in between (every split kl + kr = width, c in {1/2,
   1/(2(1 - 2^{-K}))}, the optimum for one kink a side), plus the constant
   1/2 and seeded random dyadic starts; the level c of every teeth start is
   chosen by an exact 1-D search (dyadic grid, halving steps, then the
   vertex of the parabola through three exact values: the objective is
   piecewise quadratic in c, so this lands on the exact rational optimum).  Why: the constant 1/2 is optimal
   among constants (int |D^K - c| = c^2 - c + 1/2), and a g with few pieces
   can only gain where it follows whole teeth of f; the flat middle costs the
   least where f oscillates.
3. *Exact pattern search*: coordinate moves ``p -> p +- step * scale(p)``
   with dyadic ``scale(p) = 2^floor(log2 |p|)``, accepted only if the exact
   distance decreases, a successful move repeated while it keeps improving,
   a few random joint moves of 2-3 coordinates tried when no single one
   helps (they move a kink and the level together), step halved when
   nothing improves (down to ``min_step``).  Dyadic
   moves keep every weight dyadic, so the exact objective stays cheap.
4. The best starts (by exact distance) are refined; a fixed evaluation budget
   (not wall time) keeps runs reproducible for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from math import floor, log2

from ...constructions import random_network
from ...network import ReLUNetwork
from . import columns as C
from .teeth import tent_l1_distance

__all__ = ["BEST_KNOWN", "SearchResult", "architectures", "params_to_net", "teeth_start", "search"]

#: Best networks found by ``search(L)`` with the default seed and budget (layers (W, b) as strings);
#: also in benchmarks/telgarsky/best_L{1,2}.json with their exact distances.
BEST_KNOWN: dict[int, list] = {
    1: [([['1'], ['1']], ['-15/16', '-105/116']), ([['-32', '16']], ['14/29'])],
    2: [([['1'], ['1'], ['1'], ['1']], ['-1023/1024', '-511/512', '-1021/1024', '-260355/261248']), ([['-2048', '2048', '-2048', '1024']], ['1020/2041'])],
}

_ZERO, _ONE, _HALF = Fraction(0), Fraction(1), Fraction(1, 2)


def architectures(L: int) -> list[tuple[int, ...]]:
    """Widths with 1 <= depth <= L summing to 2^L (the maximal members of the class)."""
    total = 1 << L
    result: list[tuple[int, ...]] = []

    def grow(prefix: tuple[int, ...], left: int) -> None:
        if left == 0:
            result.append(prefix)
            return
        if len(prefix) == L:
            return
        for w in range(1, left + 1):
            grow(prefix + (w,), left - w)

    grow((), total)
    return sorted(result, key=lambda w: (len(w), w))


# ------------------------------------------------------------------ parameters
def _layers_to_params(layers) -> list[Fraction]:
    flat: list[Fraction] = []
    for W, b in layers:
        for row in W:
            flat.extend(Fraction(v) for v in row)
        flat.extend(Fraction(v) for v in b)
    return flat


def params_to_net(params: list[Fraction], widths: tuple[int, ...]) -> ReLUNetwork:
    sizes = [1, *widths, 1]
    layers = []
    k = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = [params[k + r * n_in : k + (r + 1) * n_in] for r in range(n_out)]
        k += n_in * n_out
        b = params[k : k + n_out]
        k += n_out
        layers.append((W, b))
    return ReLUNetwork.from_exact(tuple((tuple(map(tuple, W)), tuple(b)) for W, b in layers))


def _skeleton(widths: tuple[int, ...]):
    """Layers with unit 0 of every hidden layer but the last passing x through, everything else 0."""
    sizes = [1, *widths, 1]
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append(([[_ZERO] * n_in for _ in range(n_out)], [_ZERO] * n_out))
    for li in range(len(widths) - 1):
        layers[li][0][0][0] = _ONE
    return layers


def teeth_start(widths: tuple[int, ...], K: int, kl: int, kr: int, level: Fraction, *, fold: bool = False):
    """g = f on its first kl kinks and last kr kinks, flat at ``level`` between (see module doc).

    With ``fold`` (depth >= 2, m_1 >= 2) the first layer computes the tent
    D(x) = 2 relu(x) - 2 relu(2x - 1) and the last layer follows D^{K-1} in
    u = D(x), so each kink of the fit is used twice (D^K = D^{K-1} o D).
    """
    m = widths[-1]
    assert kl + kr <= m
    layers = _skeleton(widths)
    if fold:
        assert len(widths) >= 2 and widths[0] >= 2
        K -= 1
        layers[0][0][1][0], layers[0][1][1] = Fraction(2), -_ONE  # unit 1: relu(2x - 1)
    n = 1 << K
    W_last, b_last = layers[-2]
    W_out, b_out = layers[-1]
    # the last hidden layer reads u = x, or u = 2 h_0 - 2 h_1 = D(x) when folding (depth 2)
    u_weights = [_ONE] if not fold else [Fraction(2), Fraction(-2)]

    def kinks(count: int):
        """Kinks t_1 < ... < t_count and output coefficients for following f from x = 0."""
        if count == 0:
            return [], []
        ts = [Fraction(i, n) for i in range(1, count)]
        p = count - 1  # the piece where f meets the level
        ts.append(Fraction(p, n) + (level if p % 2 == 0 else 1 - level) / n)
        slopes = [n if q % 2 == 0 else -n for q in range(count)] + [0]
        coeffs = [-(slopes[i] - slopes[i + 1]) for i in range(count)]
        return ts, coeffs

    def wire(unit: int, sign: Fraction) -> None:
        for j, w in enumerate(u_weights):
            W_last[unit][j] = sign * w

    unit = 0
    for t, a in zip(*kinks(kl)):
        wire(unit, -_ONE)
        b_last[unit] = t  # relu(t - u)
        W_out[0][unit] = Fraction(a)
        unit += 1
    for t, a in zip(*kinks(kr)):
        wire(unit, _ONE)
        b_last[unit] = t - 1  # relu(u - (1 - t))
        W_out[0][unit] = Fraction(a)
        unit += 1
    b_out[0] = level
    return _layers_to_params(layers)


def _dyadic_entry(rng: random.Random, fan_in: int, is_bias: bool) -> Fraction:
    return Fraction(rng.randint(-16, 16), 16 if is_bias else 8)


def random_start(widths: tuple[int, ...], rng: random.Random) -> list[Fraction]:
    """A random network of the class (weights k/8, biases k/16, |k| <= 16), output bias 1/2."""
    params = _layers_to_params(random_network(widths, rng=rng, value=_dyadic_entry).layers)
    params[-1] = _HALF  # the output bias is the last parameter
    return params


# --------------------------------------------------------------------- search
@dataclass
class _Scorer:
    """The exact objective int_0^1 |D^K - g| by runs of teeth (O(pieces of g), any K)."""

    K: int
    evaluations: int = 0

    def __call__(self, params, widths) -> Fraction:
        self.evaluations += 1
        net = params_to_net(params, widths)
        return tent_l1_distance(self.K, C.to_pwl(C.network_columns(net, _ZERO, _ONE)))


def _scale(p: Fraction) -> Fraction:
    mag = max(abs(p), Fraction(1, 16))
    e = floor(log2(mag.numerator) - log2(mag.denominator))
    return Fraction(2) ** e


def pattern_search(params, widths, score, rng, *, step=Fraction(1, 2), min_step=Fraction(1, 1 << 12), max_evals=2000, pair_trials=24):
    """Exact-objective coordinate pattern search with shrinking dyadic steps (see module doc).

    Not :func:`exactrelu.search.engine.hill_climb` (issue 8, section 2 asked
    whether the two should be one climber; they should not): this is a
    deterministic-step *pattern search* that minimises a continuous objective
    (the exact L1 distance) -- every coordinate in turn moved by
    ``+-step * scale(p)``, only strict improvements accepted, a successful
    move repeated, joint moves tried before the step is halved, stopping at
    ``min_step``; its convergence comes from the shrinking mesh.  ``hill_climb``
    is a stochastic climber on a *discrete* score (piece counts, violations)
    with random grid mutations, sideways moves on plateaus, restarts after
    ``patience`` stale steps and no step size.  A shared skeleton would be
    only "keep the better candidate"; each algorithm's defining parts (the
    mesh and step schedule here, plateaus and restarts there) would stay
    separate, so both stay as they are, each the only one of its kind.
    """
    params = list(params)
    best = score(params, widths)
    start_evals = score.evaluations
    while step >= min_step and score.evaluations - start_evals < max_evals:
        improved = False
        order = list(range(len(params)))
        rng.shuffle(order)
        for idx in order:
            if score.evaluations - start_evals >= max_evals:
                break
            delta = step * _scale(params[idx])
            for sign in (1, -1):
                trial = list(params)
                trial[idx] = params[idx] + sign * delta
                value = score(trial, widths)
                if value < best:
                    params, best, improved = trial, value, True
                    while score.evaluations - start_evals < max_evals:  # keep going while it helps
                        trial = list(params)
                        trial[idx] = params[idx] + sign * delta
                        value = score(trial, widths)
                        if value >= best:
                            break
                        params, best = trial, value
                    break
        if not improved:  # joint moves on a few random coordinates before shrinking the step
            for _ in range(pair_trials):
                if score.evaluations - start_evals >= max_evals:
                    break
                trial = list(params)
                for idx in rng.sample(range(len(params)), min(len(params), rng.choice((2, 3)))):
                    trial[idx] = params[idx] + rng.choice((1, -1)) * step * _scale(params[idx])
                value = score(trial, widths)
                if value < best:
                    params, best, improved = trial, value, True
                    break
        if not improved:
            step /= 2
    return params, best


def best_level(widths, K, kl, kr, score, *, fold=False):
    """Exact 1-D search of the flat level c of a teeth start: halving dyadic steps, then a parabola vertex."""
    def value(c):
        return score(teeth_start(widths, K, kl, kr, c, fold=fold), widths)

    best_c = _HALF
    best_v = value(best_c)
    step = Fraction(1, 16)
    while step >= Fraction(1, 1 << 12):
        moved = False
        for c in (best_c + step, best_c - step):
            if 0 < c < 1:
                v = value(c)
                if v < best_v:
                    best_c, best_v, moved = c, v, True
                    break
        if not moved:
            step /= 2
    # the objective is piecewise quadratic in c: jump to the vertex of the parabola
    # through three exact values (exact optimum when they lie on one quadratic piece)
    step *= 2
    lo_v, hi_v = value(best_c - step), value(best_c + step)
    curvature = lo_v - 2 * best_v + hi_v
    if curvature > 0:
        vertex = best_c - step * (hi_v - lo_v) / (2 * curvature)
        if 0 < vertex < 1 and value(vertex) < best_v:
            best_c = vertex
    return best_c


@dataclass(frozen=True)
class SearchResult:
    """The best g found, its exact distance to D^K on [0, 1], and how it was found."""

    L: int
    K: int
    network: ReLUNetwork
    distance: Fraction
    start: str
    evaluations: int
    seed: int
    starts_tried: tuple[tuple[str, Fraction], ...]


def search(L: int, K: int, *, seed: int = 0, evals_per_start: int = 600, refine: int = 3,
           random_starts: int = 2) -> SearchResult:
    """Run the strategy of the module docstring for the class of L against D^K; the best network found."""
    rng = random.Random(seed)
    score = _Scorer(K)
    starts: list[tuple[str, tuple[int, ...], list[Fraction]]] = []
    for widths in architectures(L):
        m = widths[-1]
        starts.append((f"{widths} constant 1/2", widths, teeth_start(widths, K, 0, 0, _HALF)))
        folds = (False, True) if len(widths) == 2 and widths[0] >= 2 else (False,)
        for fold in folds:
            for kl in range(m + 1):
                level = best_level(widths, K, kl, m - kl, score, fold=fold)
                starts.append((f"{widths} {'folded ' if fold else ''}teeth kl={kl} kr={m - kl} c={level}",
                               widths, teeth_start(widths, K, kl, m - kl, level, fold=fold)))
        for r in range(random_starts):
            starts.append((f"{widths} random #{r}", widths, random_start(widths, rng)))
    scored = sorted(((score(p, w), i) for i, (_, w, p) in enumerate(starts)))
    tried = []
    best = None
    for value, i in scored[: max(refine, 1)] + [s for s in scored if "random" in starts[s[1]][0]][:1]:
        name, widths, params = starts[i]
        params, value = pattern_search(params, widths, score, rng, max_evals=evals_per_start)
        tried.append((name, value))
        if best is None or value < best[0]:
            best = (value, name, params_to_net(params, widths))
    assert best is not None
    return SearchResult(L, K, best[2], best[0], best[1], score.evaluations, seed, tuple(tried))
