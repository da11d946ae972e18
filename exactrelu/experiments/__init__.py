"""Sweeps over random networks, counted exactly: Hanin and Rolnick's experiments at scale.

Hanin and Rolnick (2019a, ICML, "Complexity of linear regions in deep
networks") prove that at initialisation the expected number of regions
along a line grows linearly in the number of neurons and that the distance
to the nearest region boundary scales like 1/#neurons; Hanin and Rolnick
(2019b, NeurIPS, "Deep ReLU networks have surprisingly few activation
patterns") bound the regions per unit volume by #neurons^{n} independently of
depth.  Their experiments count with floats; this package counts exactly.

* :class:`SweepConfig`, :func:`plan_units` (:mod:`.grid`): the grid and its work units.
* :mod:`.init`: PyTorch's float32 initialisations (and numpy's reproduction,
  and an exact rational grid distribution), converted exactly.
* :mod:`.slices`: exact restriction to lines and planes through data-like points.
* :func:`measure_spec` (:mod:`.measures`): one network's record.
* :func:`run_sweep` (:mod:`.runner`): in-process, processes or Dask; resumable
  JSON-lines records (:mod:`.records`).
* :mod:`.summary` and :mod:`.figures`: exact means per architecture, tables, plots.
* :mod:`.training`: exact counts at checkpoints of training (torch extra).
"""

from __future__ import annotations

from .grid import INITS, SLICES, NetSpec, SweepConfig, WorkUnit, derive_seed, network_specs, plan_units
from .measures import measure_spec, run_unit
from .records import RecordStore, load_records
from .runner import SweepResult, WorkersLostError, run_sweep

__all__ = [
    "INITS",
    "SLICES",
    "NetSpec",
    "SweepConfig",
    "WorkUnit",
    "derive_seed",
    "network_specs",
    "plan_units",
    "measure_spec",
    "run_unit",
    "RecordStore",
    "load_records",
    "SweepResult",
    "WorkersLostError",
    "run_sweep",
]
