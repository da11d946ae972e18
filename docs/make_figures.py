"""Regenerate the pictures in README.md and docs/ (needs the plot extra: pip install '.[plot]').

    python docs/make_figures.py            # writes docs/img/*.png

Every picture is drawn from exact objects; the script prints the exact counts
it drew so they can be compared with the captions.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from exactrelu import ReLUNetwork, propagate, tent_map
from exactrelu.plot import plot_layers, plot_milkert, plot_regions, plot_telgarsky, save
from exactrelu.polyhedral import regions
from exactrelu.theorems.telgarsky import best_known_network

OUT = Path(__file__).resolve().parent / "img"


def he_normal_net(widths: tuple[int, ...], seed: int) -> ReLUNetwork:
    """float32 He-normal weights (biases N(0, 0.1^2)), converted exactly to dyadic rationals."""
    rng = np.random.default_rng(seed)
    layers = []
    sizes = (2, *widths, 1)
    for n_in, n_out in zip(sizes, sizes[1:]):
        W = (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)).astype(np.float32)
        b = (rng.standard_normal(n_out) * 0.1).astype(np.float32)
        layers.append((W, b))
    return ReLUNetwork.from_numpy(layers)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    save(plot_layers(tent_map(3), (0, 1)), str(OUT / "tent_layers.png"))
    print("tent_layers.png: D^3 layer by layer,", propagate(tent_map(3), (0, 1)).pieces, "pieces on [0, 1]")

    net = he_normal_net((16, 16), seed=0)
    complex_ = regions(net, [(-2, 2), (-2, 2)])
    ax = plot_regions(complex_, decision_boundary=True)
    save(ax, str(OUT / "regions_2d.png"))
    print(f"regions_2d.png: 2-16-16-1 He-normal (float32, exact), {complex_.activation_regions} regions, "
          f"{complex_.pieces} pieces, {complex_.num_vertices} vertices on [-2, 2]^2")

    save(plot_telgarsky(4, best_known_network(1)), str(OUT / "telgarsky_L1.png"))
    print("telgarsky_L1.png: D^4 against the best one-hidden-layer g with 2 units")

    peaks = [Fraction(1, 2), Fraction(1, 3), Fraction(2, 5), Fraction(3, 5), Fraction(1, 2), Fraction(1, 2)]
    save(plot_milkert(peaks), str(OUT / "milkert_waves.png"))
    print("milkert_waves.png: waves W_0..W_3 and F_n with Eq. (5) coefficients, s_0 = 1/4")


if __name__ == "__main__":
    main()
