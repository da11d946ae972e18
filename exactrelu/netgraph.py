"""A ReLU network as a networkx graph of its units, with exact weights.

Nodes are ``(layer, index)``: layer 0 holds the inputs, layers ``1 .. L`` the
hidden units, layer ``L + 1`` the outputs.  Every edge ``(l-1, i) -> (l, j)``
carries ``weight = W_l[j][i]`` as an exact :class:`~fractions.Fraction`;
every non-input node carries its ``bias``.  networkx is imported inside the
functions.  (The region adjacency graph of a network's activation regions is a
different graph: ``exactrelu.regions(net, domain).graph()``.)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .errors import NetworkFormatError, ShapeError
from .network import ReLUNetwork

__all__ = ["network_to_networkx", "network_from_networkx"]


def network_to_networkx(net: ReLUNetwork, *, include_zero: bool = False) -> Any:
    """The units of ``net`` as a ``networkx.DiGraph`` with exact weights and biases.

    Parameters
    ----------
    net : ReLUNetwork
    include_zero : bool
        Also draw edges of zero weight (the complete layered graph); by default
        a missing edge means weight 0.

    Returns
    -------
    networkx.DiGraph
        Node ``(layer, index)`` with attributes ``layer``, ``index``, ``kind``
        (``"input"``, ``"hidden"``, ``"output"``), ``bias`` (Fraction; None
        for inputs) and ``activation`` (``"relu"`` for hidden units,
        ``"identity"`` for outputs, None for inputs).  Edge attribute
        ``weight`` (Fraction).  Graph attributes ``input_dim``, ``widths``,
        ``output_dim``.

    Examples
    --------
    >>> net = ReLUNetwork([([[1], [-1]], [0, "1/2"]), ([[1, 1]], [0])])   # |x| shifted
    >>> g = network_to_networkx(net)
    >>> sorted(g.nodes)
    [(0, 0), (1, 0), (1, 1), (2, 0)]
    >>> g.edges[(0, 0), (1, 1)]["weight"], g.nodes[(1, 1)]["bias"]
    (Fraction(-1, 1), Fraction(1, 2))
    """
    import networkx as nx

    graph = nx.DiGraph(input_dim=net.input_dim, widths=net.widths, output_dim=net.output_dim)
    last = len(net.layers)
    for i in range(net.input_dim):
        graph.add_node((0, i), layer=0, index=i, kind="input", bias=None, activation=None)
    for layer, (weight, bias) in enumerate(net.layers, start=1):
        kind, activation = ("output", "identity") if layer == last else ("hidden", "relu")
        for j, (row, b) in enumerate(zip(weight, bias)):
            graph.add_node((layer, j), layer=layer, index=j, kind=kind, bias=b, activation=activation)
            for i, w in enumerate(row):
                if w != 0 or include_zero:
                    graph.add_edge((layer - 1, i), (layer, j), weight=w)
    return graph


def network_from_networkx(graph: Any) -> ReLUNetwork:
    """Inverse of :func:`network_to_networkx` (missing edges are zero weights).

    Raises
    ------
    NetworkFormatError
        Nodes that are not ``(layer, index)`` with consecutive layers and
        indices, edges that skip a layer, weights or biases that are not exact.

    >>> net = ReLUNetwork([([[1], [-1]], [0, "1/2"]), ([[1, 1]], [0])])
    >>> network_from_networkx(network_to_networkx(net)) == net
    True
    """
    sizes: dict[int, int] = {}
    for node in graph.nodes:
        if not (isinstance(node, tuple) and len(node) == 2 and all(isinstance(v, int) for v in node)):
            raise NetworkFormatError(f"node {node!r} is not a (layer, index) pair")
        sizes[node[0]] = max(sizes.get(node[0], 0), node[1] + 1)
    layers = sorted(sizes)
    if layers != list(range(len(layers))) or len(layers) < 2:
        raise NetworkFormatError(f"layers {layers} must be 0, 1, ..., L+1 with L >= 0")
    for layer, size in sizes.items():
        if sum(1 for n in graph.nodes if n[0] == layer) != size:
            raise NetworkFormatError(f"layer {layer} does not have indices 0 .. {size - 1}")
    weights = [[[Fraction(0)] * sizes[l - 1] for _ in range(sizes[l])] for l in layers[1:]]
    biases = [[graph.nodes[(l, j)].get("bias") for j in range(sizes[l])] for l in layers[1:]]
    for (src, dst), data in graph.edges.items():
        if dst[0] != src[0] + 1:
            raise NetworkFormatError(f"edge {src} -> {dst} does not join consecutive layers")
        weights[dst[0] - 1][dst[1]][src[1]] = data.get("weight", Fraction(0))
    try:
        return ReLUNetwork(list(zip(weights, biases)))
    except (ShapeError, ValueError, TypeError) as exc:
        raise NetworkFormatError(f"the graph does not describe a network: {exc}") from exc
