"""Slow, independent reference implementations used only by the test suite.

Nothing here imports ``exactrelu.polyhedral``: the references are written from the
definitions (activation pattern, affine map, pieces) so that differential tests
compare two independent computations.
"""

__all__: list[str] = []
