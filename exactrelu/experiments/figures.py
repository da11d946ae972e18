"""Figures of a sweep (matplotlib, imported inside each function; the plot extra).

* :func:`plot_line_regions`: regions along a line / #neurons against depth, one
  curve per width (flat if Hanin and Rolnick (2019a), Theorem 1, is right).
* :func:`plot_distances`: mean distance to the nearest boundary x #neurons
  against depth (constant if the distance scales like 1/#neurons, ibid., Section 3).
* :func:`plot_plane_regions`: 2-D regions / #neurons^2 against depth (Hanin and
  Rolnick (2019b), Theorem 1).
* :func:`plot_training`: exact counts at training checkpoints.

Every plotted value is an exact mean rounded to a float for drawing.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

__all__ = ["plot_line_regions", "plot_distances", "plot_plane_regions", "plot_training", "plot_summary"]


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        from ..errors import ShapeError

        raise ShapeError("plots need matplotlib: pip install 'exactrelu[plot]'") from None
    return plt


def _curves(rows: list[dict], value: str, error: str | None = None) -> dict[tuple, list[tuple]]:
    curves: dict[tuple, list[tuple]] = {}
    for row in rows:
        if row.get(value) is None:
            continue
        label = (row["input_dim"], row["init"], row["width"])
        err = row.get(error) if error else None
        curves.setdefault(label, []).append((row["depth"], float(row[value]), err))
    return curves


def _line_plot(rows: list[dict], value: str, error: str | None, ylabel: str, title: str, path: str,
               reference: float | None = None) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    curves = _curves(rows, value, error)
    several = len({(n0, init) for n0, init, _ in curves}) > 1
    for (n0, init, width), points in sorted(curves.items()):
        points.sort()
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        errs = [0.0 if p[2] is None else 2 * p[2] for p in points]
        label = f"width {width}" + (f" (n0={n0}, {init})" if several else "")
        ax.errorbar(xs, ys, yerr=errs, marker="o", capsize=3, label=label)
    if reference is not None:
        ax.axhline(reference, color="grey", linestyle=":", linewidth=1)
    ax.set_xticks(sorted({p[0] for points in curves.values() for p in points}))
    ax.set_xlabel("depth (hidden layers)")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_line_regions(rows: list[dict], path: str, *, title: str | None = None) -> str:
    """Regions along a line / #neurons against depth, one curve per width (error bars: 2 standard errors)."""
    n = min((r["ok"] for r in rows if r.get("regions_per_neuron_mean") is not None), default=0)
    return _line_plot(rows, "regions_per_neuron_mean", "regions_per_neuron_stderr",
                      "activation regions along the line / #neurons",
                      title or f"Exact regions along a line per neuron (>= {n} networks per point)", path,
                      reference=1.0)


def plot_distances(rows: list[dict], path: str, *, title: str | None = None) -> str:
    """Mean distance (along the line) to the nearest boundary x #neurons against depth.

    Uses the distances at the data points (n-D lines) when the rows have them,
    else those at random points of the line.
    """
    data = any(r.get("data_distance_x_neurons") is not None for r in rows)
    key = "data_distance_x_neurons" if data else "distance_x_neurons_mean"
    where = "data points" if data else "random points"
    return _line_plot(rows, key, None, f"distance to nearest boundary x #neurons ({where})",
                      title or "Exact distance to the nearest region boundary, scaled by #neurons", path)


def plot_plane_regions(rows: list[dict], path: str, *, title: str | None = None) -> str:
    """2-D regions / #neurons^2 against depth."""
    return _line_plot(rows, "regions_per_neuron2_mean", None, "regions in the 2-D slice / #neurons^2",
                      title or "Exact regions in a 2-D slice per neuron^2", path)


def plot_summary(rows: list[dict], path: str) -> str:
    """The figure that fits the rows: plane regions if any, else line regions."""
    if any(r.get("regions_per_neuron2_mean") is not None for r in rows):
        return plot_plane_regions(rows, path)
    return plot_line_regions(rows, path)


def plot_training(rows: list[dict], path: str, *, title: str | None = None) -> str:
    """Exact regions / #neurons (and train loss) at every checkpoint, one curve per run."""
    plt = _pyplot()
    plane = any(r.get("regions_2d") is not None for r in rows)
    fig, axes = plt.subplots(1, 3 if plane else 2, figsize=(14.4 if plane else 9.6, 3.8), dpi=120)
    ax, ax2 = axes[0], axes[-1]
    runs: dict[str, list[dict]] = {}
    for r in rows:
        runs.setdefault(r["run"], []).append(r)
    for name, points in sorted(runs.items()):
        points.sort(key=lambda p: p["step"])
        steps = [p["step"] for p in points]
        ax.plot(steps, [float(Fraction(p["regions_per_neuron"])) for p in points], marker=".", label=name)
        ax2.plot(steps, [p["loss"] for p in points], label=name)
        if plane and points[0].get("regions_2d") is not None:
            axes[1].plot(steps, [p["regions_2d"] / p["neurons"] ** 2 for p in points], marker=".", label=name)
    if plane:
        axes[1].set_xlabel("training step")
        axes[1].set_ylabel("exact 2-D regions in the square / #neurons^2")
        axes[1].set_ylim(bottom=0)
        axes[1].grid(alpha=0.3)
        axes[1].legend(fontsize=7)
    ax.set_xlabel("training step")
    ax.set_ylabel("exact regions along line / #neurons")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    ax2.set_xlabel("training step")
    ax2.set_ylabel("training loss (float32)")
    ax2.set_yscale("log")
    ax2.grid(alpha=0.3)
    fig.suptitle(title or "Exact region counts during training", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
