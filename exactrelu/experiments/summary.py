"""Exact summaries of sweep records: one row per architecture, means as exact rationals.

Means of exact counts are exact rationals (``Fraction``); the decimals shown
in tables are roundings of those rationals for display only.  Quantities
along a segment between data points are per unit of the line parameter t;
:func:`euclidean` converts them with the exact squared length (a square root,
so that conversion is the one place a float appears, for display).
"""

from __future__ import annotations

from fractions import Fraction
from math import sqrt
from typing import Any, Iterable

__all__ = ["summarize", "format_table", "markdown_table", "euclidean", "to_json_rows", "SUMMARY_COLUMNS"]

#: Columns of :func:`format_table`: (header, key of the summary row).
SUMMARY_COLUMNS = (
    ("n0", "input_dim"), ("width", "width"), ("depth", "depth"), ("neurons", "neurons"), ("init", "init"),
    ("nets", "networks"), ("regions (mean)", "regions_mean"), ("regions/neurons", "regions_per_neuron_mean"),
    ("pieces (mean)", "pieces_mean"), ("min..max regions", "regions_range"),
    ("dist x neurons", "distance_x_neurons_mean"), ("data-point dist x neurons", "data_distance_x_neurons"),
    ("Serra bound", "serra_bound"), ("bounds hold", "bounds_hold"),
)


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def _stderr(values: list[Fraction], mean: Fraction | None) -> float | None:
    if mean is None or len(values) < 2:
        return None
    var = sum(((v - mean) ** 2 for v in values), Fraction(0)) / (len(values) - 1)
    return sqrt(var / len(values))


def euclidean(value_per_t: Fraction, direction_norm2: Fraction, *, power: int = -1) -> float:
    """A per-t quantity in Euclidean units: ``value * |d|^power`` (display only: |d| is a square root)."""
    return float(value_per_t) * sqrt(float(direction_norm2)) ** power


def summarize(records: Iterable[dict]) -> list[dict]:
    """One row per (input_dim, width, depth, init, slice) with exact means (Fractions).

    >>> rows = summarize([{"input_dim": 1, "width": 2, "depth": 1, "neurons": 2, "init": "x", "slice": "line",
    ...                    "status": "ok", "regions": r, "pieces": r, "density_per_neuron": "1", "mean_distance": None,
    ...                    "serra_layer_bounds": [3], "telgarsky_bound": 3, "bounds_hold": True} for r in (2, 3)])
    >>> rows[0]["regions_mean"], rows[0]["networks"]
    (Fraction(5, 2), 2)
    """
    groups: dict[tuple, list[dict]] = {}
    for r in records:
        key = (r["input_dim"], r["width"], r["depth"], r["init"], r.get("slice", "line"))
        groups.setdefault(key, []).append(r)
    rows = []
    for (n0, width, depth, init, slice_), group in sorted(groups.items()):
        ok = [r for r in group if r.get("status") == "ok"]
        neurons = width * depth
        row: dict[str, Any] = {"input_dim": n0, "width": width, "depth": depth, "neurons": neurons, "init": init,
                               "slice": slice_, "networks": len(group), "ok": len(ok)}
        if slice_ == "line":
            regions = [Fraction(r["regions"]) for r in ok]
            per_neuron = [v / neurons for v in regions]
            dists = [Fraction(r["mean_distance"]) for r in ok if r.get("mean_distance") is not None]
            anchor = [(Fraction(d), Fraction(r.get("direction_norm2", "1"))) for r in ok
                      for d in r.get("anchor_distances") or () if d is not None]
            row["data_distance_euclidean_mean"] = (sum(euclidean(d, n2, power=1) for d, n2 in anchor) / len(anchor)
                                                   if anchor else None)
            row["data_distance_x_neurons"] = (None if row["data_distance_euclidean_mean"] is None
                                              else row["data_distance_euclidean_mean"] * neurons)
            rand = [euclidean(Fraction(r["mean_distance"]), Fraction(r.get("direction_norm2", "1")), power=1)
                    for r in ok if r.get("mean_distance") is not None]
            row["random_distance_euclidean_mean"] = sum(rand) / len(rand) if rand else None
            row["random_distance_x_neurons"] = (None if row["random_distance_euclidean_mean"] is None
                                                else row["random_distance_euclidean_mean"] * neurons)
            density = [euclidean(Fraction(r["density_per_neuron"]), Fraction(r.get("direction_norm2", "1"))) for r in ok]
            row["density_per_neuron_euclidean"] = sum(density) / len(density) if density else None
            row["regions_mean"] = _mean(regions)
            row["regions_stderr"] = _stderr(regions, row["regions_mean"])
            row["regions_per_neuron_mean"] = _mean(per_neuron)
            row["regions_per_neuron_stderr"] = _stderr(per_neuron, row["regions_per_neuron_mean"])
            row["pieces_mean"] = _mean([Fraction(r["pieces"]) for r in ok])
            row["density_per_neuron_mean"] = _mean([Fraction(r["density_per_neuron"]) for r in ok])
            row["distance_mean"] = _mean(dists)
            row["distance_x_neurons_mean"] = None if row["distance_mean"] is None else row["distance_mean"] * neurons
            row["regions_range"] = (min(r["regions"] for r in ok), max(r["regions"] for r in ok)) if ok else None
            row["serra_bound"] = ok[0]["serra_layer_bounds"][-1] if ok else None
            row["telgarsky_bound"] = ok[0]["telgarsky_bound"] if ok else None
            row["bounds_hold"] = all(r["bounds_hold"] for r in ok)
            norms = {r.get("direction_norm2", "1") for r in ok}
            row["unit_direction"] = norms == {"1"}
        else:
            regions2 = [Fraction(r["regions_2d"]) for r in ok]
            row["regions_2d_mean"] = _mean(regions2)
            row["regions_per_neuron2_mean"] = _mean([v / neurons**2 for v in regions2])
            row["pieces_2d_mean"] = _mean([Fraction(r["pieces_2d"]) for r in ok])
            row["regions_range"] = (min(r["regions_2d"] for r in ok), max(r["regions_2d"] for r in ok)) if ok else None
        rows.append(row)
    return rows


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{float(value):.4g}"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, tuple):
        return f"{value[0]}..{value[1]}"
    return str(value)


def format_table(rows: list[dict], columns: tuple = SUMMARY_COLUMNS) -> list[list[str]]:
    """Rows of display strings (decimals are roundings of the exact means)."""
    return [[_show(row.get(key)) for _, key in columns] for row in rows]


def markdown_table(rows: list[dict], columns: tuple = SUMMARY_COLUMNS) -> str:
    """A GitHub-markdown table of :func:`summarize` rows."""
    header = "| " + " | ".join(h for h, _ in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(cells) + " |" for cells in format_table(rows, columns)]
    return "\n".join([header, rule, *body])


def to_json_rows(rows: list[dict]) -> list[dict]:
    """Summary rows with Fractions as strings and ranges as lists (JSON-ready)."""
    out = []
    for row in rows:
        out.append({k: (str(v) if isinstance(v, Fraction) else list(v) if isinstance(v, tuple) else v)
                    for k, v in row.items()})
    return out

