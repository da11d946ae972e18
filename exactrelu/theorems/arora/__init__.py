"""Arora, Basu, Mianjy, Mukherjee (ICLR 2018), "Understanding Deep Neural Networks with
Rectified Linear Units" (arXiv 1611.01491), made exact.

Modules: :mod:`.pwl_networks` (Theorem 2.2, Corollary A.1), :mod:`.depth`
(Theorem 2.1, constructive), :mod:`.hard` (section 3.1), :mod:`.zonotopes`
(section 3.2), :mod:`.erm` (Theorem 4.1, Algorithm 1).
"""

from __future__ import annotations

__all__: list[str] = []
