"""Exact networks from the sources, and the one random-network generator.

* :mod:`~exactrelu.constructions.basic`: identity, |x|, max, constants.
* :mod:`~exactrelu.constructions.waves`: the tent map D^k, the lecture
  sawtooth, the asymmetric triangle maps T_a and their compositions W_i.
* :mod:`~exactrelu.constructions.zigzag`: the zigzag networks reaching Serra
  et al.'s bound prod(m_l + 1) on R.
* :mod:`~exactrelu.constructions.random`: :func:`random_network`, used by the
  theorem report, the search spaces, the Telgarsky search and the benchmarks.
"""

from .basic import abs_network, constant_network, identity_network, max_network
from .random import grid_value, random_layers, random_network
from .waves import check_peaks, sawtooth, tent_map, triangle, triangle_pwl, triangle_wave
from .zigzag import zigzag_block, zigzag_network

__all__ = [
    "tent_map",
    "sawtooth",
    "triangle",
    "triangle_pwl",
    "triangle_wave",
    "check_peaks",
    "identity_network",
    "abs_network",
    "max_network",
    "constant_network",
    "zigzag_network",
    "zigzag_block",
    "random_network",
    "random_layers",
    "grid_value",
]
