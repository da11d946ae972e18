"""Slow, independent reference implementations used only by the test suite.

``regions_ref`` and ``_geometry`` import nothing from ``exactrelu.polyhedral``: the
references are written from the definitions (activation pattern, affine map, pieces) so
that differential tests compare two independent computations.  ``region_families``
builds the random and degenerate networks (and the library's domain objects).
"""

__all__: list[str] = []
