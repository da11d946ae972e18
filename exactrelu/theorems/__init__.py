"""Theorem families, one subpackage or module per paper.

Each checks its statements exactly on concrete rational networks and reports
:class:`exactrelu.report.CheckResult` values citing the source.
"""

__all__: list[str] = []
