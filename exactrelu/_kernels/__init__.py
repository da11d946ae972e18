"""Integer-column kernels: plain numpy arrays in, plain numpy arrays out, no classes.

``lines``: breakpoint columns on a line (the 1-D propagator's representation).
"""

__all__: list[str] = []
