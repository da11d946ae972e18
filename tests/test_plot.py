"""exactrelu.plot: real matplotlib renders, and what was drawn checked against the exact counts.

Each test renders to PNG (Agg) and counts the artists: one segment per piece,
one marker per kink, one polygon per activation region, one red patch per
wrong-side triangle.  A picture that drew the wrong thing fails here.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from _extras import require
from exactrelu import PiecewiseLinear, ReLUNetwork, propagate, tent_map

matplotlib = require("matplotlib")
matplotlib.use("Agg")

from exactrelu import plot as P  # noqa: E402
from exactrelu.plot.notebook import function_png, function_svg, render  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _collection(ax, label):
    found = [c for c in ax.collections if c.get_label() == label]
    assert len(found) <= 1
    return found[0] if found else None


def _png(ax) -> bytes:
    data = render(ax, "png")
    assert data.startswith(PNG_MAGIC) and len(data) > 1000
    return data


@pytest.mark.parametrize("k", [1, 3, 6])
def test_function_pieces_and_kinks_drawn_exactly(k):
    f = propagate(tent_map(k), (0, 1)).output
    ax = P.plot_function(f)
    assert len(_collection(ax, "pieces").get_segments()) == f.pieces == 2 ** k
    kinks = _collection(ax, "kinks")
    assert len(kinks.get_offsets()) == len(f.kinks) == 2 ** k - 1
    _png(ax)


def test_function_on_R_shows_every_kink_and_both_rays():
    net = ReLUNetwork([([[1], [-1], [1]], [0, 0, -1]), ([[1, 1, -2]], [0])])   # |x| - 2 relu(x - 1)
    f = propagate(net).output
    ax = P.plot_function(net)
    segments = _collection(ax, "pieces").get_segments()
    assert len(segments) == f.pieces == 3
    xs = sorted(x for seg in segments for x, _ in seg)
    assert xs[0] < float(min(f.kinks)) and xs[-1] > float(max(f.kinks))  # the rays extend past the kinks


def test_collinear_neighbours_are_one_piece_in_the_picture():
    f = PiecewiseLinear([(0, 0), (1, 1), (2, 2), (3, 0)])  # canonical: the kink at 1 is not a kink
    ax = P.plot_function(f)
    assert len(_collection(ax, "pieces").get_segments()) == 2
    assert len(_collection(ax, "kinks").get_offsets()) == 1


def test_function_marker_budget():
    f = propagate(tent_map(8), (0, 1)).output
    ax = P.plot_function(f, max_markers=10)
    assert _collection(ax, "kinks") is None
    assert len(_collection(ax, "pieces").get_segments()) == 256


def test_layers_panel_one_line_per_unit():
    net = ReLUNetwork([([[1], [-1], [2]], [0, 1, -1]), ([[1, 1, 0], [0, 1, -1]], [0, 0]), ([[1, -1]], [0])])
    fig = P.plot_layers(net, (-2, 2))
    assert len(fig.axes) == 2 * net.depth + 1
    for l in range(net.depth):
        assert len(fig.axes[2 * l].lines) == len(fig.axes[2 * l + 1].lines) == net.widths[l]
    assert len(fig.axes[-1].lines) == 1
    out = fig.axes[-1].lines[0]
    trace = propagate(net, (-2, 2))
    assert len(out.get_xdata()) == len(trace.output.kinks) + 2  # ends + every kink
    _png(fig.axes[0])


def test_telgarsky_wrong_side_triangles_match_the_exact_count():
    from exactrelu.theorems.telgarsky import separation_report

    g = PiecewiseLinear([(0, Fraction(1, 2)), (Fraction(1, 3), 1), (1, 0)])
    K = 3
    ax = P.plot_telgarsky(K, g)
    red = [p for p in ax.patches if p.get_label() == "wrong-side triangle"]
    wrong = P.wrong_side_intervals(K, g)
    assert len(red) == len(wrong) > 0
    # the exact area of the drawn triangles is the report's certified bound
    area = sum((hi - lo) / 4 for lo, hi, _ in wrong)
    assert area == separation_report(K, g).certified
    _png(ax)


def test_wrong_side_intervals_constant_half_is_everything():
    g = PiecewiseLinear.affine(0, Fraction(1, 2), (0, 1))
    assert len(P.wrong_side_intervals(4, g)) == 2 ** 4 + 1  # weak sides: every interval, ends included


def test_milkert_panels():
    from exactrelu.theorems.milkert import eq5_coefficients

    peaks = ["1/2", "1/3", "2/5", "1/2", "3/5"]
    fig = P.plot_milkert(peaks)
    top, bottom = fig.axes
    assert len(eq5_coefficients(peaks)) == 4  # peaks a_0..a_4 give s_0..s_3
    assert len(top.lines) == 4  # one line per wave W_0..W_3
    assert [l.get_label() for l in bottom.lines] == ["y = x", "F_n"]
    _png(top)


def test_save_formats(tmp_path):
    ax = P.plot_function(PiecewiseLinear([(0, 0), (1, 1), (2, 0)]))
    for suffix, magic in (("png", PNG_MAGIC), ("svg", b"<?xml"), ("pdf", b"%PDF")):
        path = tmp_path / f"f.{suffix}"
        P.save(ax, str(path))
        assert path.read_bytes().startswith(magic)
    with pytest.raises(P.PlotFormatError):
        P.save(ax, str(tmp_path / "f.jpg"))


def test_notebook_renderings():
    f = PiecewiseLinear([(0, 0), (1, 1), (2, 0)])
    assert function_png(f).startswith(PNG_MAGIC)
    assert "<svg" in function_svg(f)


def test_cli_telgarsky_plot(tmp_path, capsys):
    from exactrelu.cli import main

    path = tmp_path / "telgarsky.png"
    assert main(["telgarsky", "--L", "1", "--plot", str(path)]) == 0
    assert path.read_bytes().startswith(PNG_MAGIC)
    assert main(["telgarsky", "--L", "3", "--plot", str(tmp_path / "big.png")]) == 2  # K = 20: every tooth drawn
    assert "too many" in capsys.readouterr().err
    assert main(["telgarsky", "--L", "1", "--plot", str(tmp_path / "t.jpg")]) == 2


def test_regions_picture_counts_match_the_complex():
    from exactrelu.polyhedral import regions
    from exactrelu.plot.notebook import regions_png, regions_svg

    # relu(x) + relu(-x) + relu(y) + relu(-y) + relu(x + y - 1/2) - 1 on [-1, 1]^2
    net = ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1]], [0, 0, 0, 0, "-1/2"]),
                       ([[1, 1, 1, 1, 1]], [-1])])
    c = regions(net, [(-1, 1), (-1, 1)])
    ax = P.plot_regions(c, decision_boundary=True)
    polys = _collection(ax, "regions")
    assert len(polys.get_paths()) == c.activation_regions
    drawn_edges = sum(len(col.get_segments()) for col in ax.collections if str(col.get_label()).startswith("layer"))
    assert drawn_edges == c.graph().number_of_edges()
    boundary = _collection(ax, "decision boundary")
    crossing = 0  # regions the zero set of the output meets in a segment (through the interior, or along an edge)
    for r in c:
        values = [sum(g * v for g, v in zip(r.gradient, p)) + r.offset for p in r.vertices]
        crossing += (min(values) < 0 < max(values)) or values.count(0) >= 2
    assert len(boundary.get_segments()) == crossing > 0
    assert regions_png(c).startswith(PNG_MAGIC) and "<svg" in regions_svg(c)


def test_cli_eq5_plot(tmp_path, capsys):
    from exactrelu.cli import main

    path = tmp_path / "waves.svg"
    assert main(["eq5", "--depth", "2", "--plot", str(path), "--peaks", "1/2,1/3,1/2,1/2"]) == 0
    assert b"<svg" in path.read_bytes()
    assert main(["eq5", "--depth", "2", "--plot", str(tmp_path / "w.png"), "--peaks", "1/2,x"]) == 2
    assert "--peaks[1]" in capsys.readouterr().err


def test_notebook_hooks_on_the_value_classes():
    from exactrelu.polyhedral import regions

    f = PiecewiseLinear([(0, 0), (1, 1), (2, 0)])
    assert f._repr_png_().startswith(PNG_MAGIC) and "<svg" in f._repr_svg_()
    assert f._repr_latex_().startswith("$")
    big = propagate(tent_map(18), (0, 1)).output  # 262144 pieces: a summary, not a picture
    assert big._repr_png_() is None and big._repr_latex_() is None and len(repr(big)) < 200
    square = regions(ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])]), [(-1, 1), (-1, 1)])
    assert square._repr_png_().startswith(PNG_MAGIC) and "<svg" in square._repr_svg_()
    cube = regions(ReLUNetwork([([[1, 0, 0]], [0]), ([[1]], [0])]), [(-1, 1)] * 3)
    assert cube._repr_png_() is None  # 3-D: no picture
