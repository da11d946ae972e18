"""Networks as networkx graphs of units: structure, exact attributes, round trip."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactrelu import ReLUNetwork
from exactrelu.errors import NetworkFormatError
from exactrelu.netgraph import network_from_networkx, network_to_networkx
from exactrelu.strategies import networks


def test_structure_and_exact_attributes():
    net = ReLUNetwork([([[1, 0], ["-2/3", 5]], ["1/4", 0]), ([[0, 2]], ["-7/2"])])
    g = network_to_networkx(net)
    assert isinstance(g, nx.DiGraph)
    assert sorted(g.nodes) == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)]
    assert [g.nodes[n]["kind"] for n in sorted(g.nodes)] == ["input", "input", "hidden", "hidden", "output"]
    assert g.nodes[(1, 0)]["activation"] == "relu" and g.nodes[(2, 0)]["activation"] == "identity"
    assert g.nodes[(0, 1)]["bias"] is None and g.nodes[(2, 0)]["bias"] == Fraction(-7, 2)
    assert g.edges[(0, 0), (1, 1)]["weight"] == Fraction(-2, 3)
    assert all(type(d["weight"]) is Fraction for _, _, d in g.edges(data=True))
    assert all(type(g.nodes[n]["bias"]) is Fraction for n in g.nodes if n[0] > 0)
    # zero weights are absent unless asked for
    assert not g.has_edge((0, 1), (1, 0)) and not g.has_edge((1, 0), (2, 0))
    full = network_to_networkx(net, include_zero=True)
    assert full.number_of_edges() == 2 * 2 + 2 * 1 and full.edges[(0, 1), (1, 0)]["weight"] == 0
    assert g.graph == {"input_dim": 2, "widths": (2,), "output_dim": 1}
    assert nx.is_directed_acyclic_graph(g)


def test_paths_compute_the_linear_part():
    """Sum over input->output paths of the weight products = W3 W2 W1 (the slope if every unit were on)."""
    net = ReLUNetwork([([[2], [3]], [1, 1]), ([[1, -1], [1, 1]], [0, 0]), ([[5, 1]], [0])])
    g = network_to_networkx(net)
    total = Fraction(0)
    for path in nx.all_simple_paths(g, (0, 0), (3, 0)):
        prod = Fraction(1)
        for u, v in zip(path, path[1:]):
            prod *= g.edges[u, v]["weight"]
        total += prod
    assert total == 5 * (2 - 3) + 1 * (2 + 3)  # W3 (W2 W1) = [5, 1] . [2 - 3, 2 + 3]


@settings(max_examples=30)
@given(net=networks(input_dim=2, output_dim=2), include_zero=st.booleans())
def test_round_trip(net, include_zero):
    g = network_to_networkx(net, include_zero=include_zero)
    assert network_from_networkx(g) == net
    assert g.number_of_nodes() == net.input_dim + net.size + net.output_dim


def test_bad_graphs():
    g = nx.DiGraph()
    g.add_node("a")
    with pytest.raises(NetworkFormatError):
        network_from_networkx(g)
    net = ReLUNetwork([([[1]], [0]), ([[1]], [0])])
    g = network_to_networkx(net)
    g.add_edge((0, 0), (2, 0), weight=Fraction(1))
    with pytest.raises(NetworkFormatError, match="consecutive"):
        network_from_networkx(g)
    g = network_to_networkx(net)
    g.nodes[(1, 0)]["bias"] = 0.5
    with pytest.raises(NetworkFormatError):
        network_from_networkx(g)
