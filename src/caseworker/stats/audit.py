"""Exact ranges of the hidden values of a table with totals: what a reader can work out.

A reader of a published table knows every shown value, that each row and each column adds up
to its total, that the totals add up to the grand total, and that every value is a whole
number. For each hidden value this module finds the smallest and the largest value consistent
with all of that. ``protect`` in ``disclosure`` uses it to decide which further values to hide,
and tests use it to check the result.

Positions are ``(row, column)`` in the table *with its margins*: ``row == n_rows`` is the row of
column totals, ``column == n_cols`` the column of row totals, ``(n_rows, n_cols)`` the grand
total.

Method: max-flow, not linear programming. The table with its margins is a circulation in a
network of ``n_rows + n_cols + 2`` nodes::

    T --row total r--> row r --cell (r, c)--> column c --column total c--> U --grand total--> T

Each additivity rule is flow conservation at one node, so the constraint matrix is a network
matrix (totally unimodular): the LP bounds are whole numbers and flow algorithms give them
exactly, in integers. Shown values are fixed flows and move into the nodes' balances; hidden
values are arcs with a lower bound and no upper bound. Given one feasible flow ``f``, the largest
value of arc ``u -> v`` is ``f + maxflow(v -> u)`` in the residual network without that arc, the
smallest ``f - maxflow(u -> v)`` (down to the lower bound); a residual path made only of
uncapacitated arcs means the value has no upper bound. Max-flow is Edmonds-Karp on a network of
at most ~50 nodes, a few milliseconds per hidden value for a 35 x 15 table.

``scipy.optimize.linprog`` (HiGHS) would solve the same LPs, but it brings ~40 MB of wheels plus
numpy for a handful of max-flows on fifty nodes, and works in floating point, so its answers
would need rounding; the flow method is exact and small.

Lower bounds: zeros are always shown, never hidden (see ``disclosure``), so a reader who knows
the rules knows that every hidden value is at least 1; the audit assumes exactly that. Totals
that are simply not part of the layout (say the column totals of a one-row table) are unknown,
with lower bound 0.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterable, Mapping

from caseworker.errors import InvalidInput
from caseworker.i18n import t

Position = tuple[int, int]
INF = math.inf
HIDDEN_AT_LEAST = 1

_T, _U = 0, 1


def arc_of(position: Position, n_rows: int, n_cols: int) -> tuple[int, int]:
    """The (tail, head) nodes of the network arc that carries the value at ``position``."""
    row, col = position
    row_node, col_node = 2 + row, 2 + n_rows + col
    if row < n_rows and col < n_cols:
        return row_node, col_node
    if row < n_rows:
        return _T, row_node
    if col < n_cols:
        return col_node, _U
    return _U, _T


class FlowGraph:
    """A residual network: Edmonds-Karp max-flow and a cheapest-path search on the same edges."""

    def __init__(self, n_nodes: int) -> None:
        self.n_nodes = n_nodes
        self.edges_from: list[list[int]] = [[] for _ in range(n_nodes)]
        self.head: list[int] = []
        self.cap: list[float] = []
        self.cost: list[float] = []
        self.label: list[Position | None] = []

    def add(self, tail: int, head: int, cap: float, back_cap: float, cost: float = 0, label: Position | None = None) -> None:
        """An edge and its reverse (index ``i`` and ``i ^ 1``), each with its own capacity."""
        for a, b, c in ((tail, head, cap), (head, tail, back_cap)):
            self.edges_from[a].append(len(self.head))
            self.head.append(b)
            self.cap.append(c)
            self.cost.append(cost)
            self.label.append(label)

    def max_flow(self, source: int, sink: int, limit: float = INF) -> float:
        """Push up to ``limit`` from source to sink; ``INF`` when an uncapacitated path exists."""
        total: float = 0
        while total < limit:
            via = self._shortest_augmenting_path(source, sink)
            if via is None:
                break
            path = self._path(via, source, sink)
            push = min(min(self.cap[e] for e in path), limit - total)
            if push == INF:
                return INF
            for e in path:
                self.cap[e] -= push
                self.cap[e ^ 1] += push
            total += push
        return total

    def cheapest_path(self, source: int, sink: int, min_cap: float) -> list[int] | None:
        """Edges of the cheapest path using only edges with capacity ≥ ``min_cap`` (fewest edges on ties)."""
        best: dict[int, tuple[float, int]] = {source: (0, 0)}
        via: dict[int, int] = {}
        heap: list[tuple[float, int, int]] = [(0, 0, source)]
        done: set[int] = set()
        while heap:
            cost, hops, node = heapq.heappop(heap)
            if node in done:
                continue
            done.add(node)
            if node == sink:
                return self._path(via, source, sink)
            for e in self.edges_from[node]:
                nxt = self.head[e]
                if self.cap[e] < min_cap or nxt in done:
                    continue
                key = (cost + self.cost[e], hops + 1)
                if nxt not in best or key < best[nxt]:
                    best[nxt] = key
                    via[nxt] = e
                    heapq.heappush(heap, (key[0], key[1], nxt))
        return None

    def _shortest_augmenting_path(self, source: int, sink: int) -> dict[int, int] | None:
        via: dict[int, int] = {}
        seen = {source}
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for e in self.edges_from[node]:
                nxt = self.head[e]
                if self.cap[e] > 0 and nxt not in seen:
                    seen.add(nxt)
                    via[nxt] = e
                    if nxt == sink:
                        return via
                    queue.append(nxt)
        return None

    def _path(self, via: Mapping[int, int], source: int, sink: int) -> list[int]:
        path, node = [], sink
        while node != source:
            e = via[node]
            path.append(e)
            node = self.head[e ^ 1]
        return path


class HiddenValues:
    """The unknowns of a table: hidden positions with a lower bound and one feasible value each.

    ``flow`` maps every hidden position to a value consistent with everything shown (the true
    values when the caller has them, otherwise one found by ``from_published``).
    """

    def __init__(self, n_rows: int, n_cols: int, lower: Mapping[Position, int], flow: Mapping[Position, int]) -> None:
        self.n_rows, self.n_cols = n_rows, n_cols
        self.lower = dict(lower)
        self.flow = dict(flow)

    @classmethod
    def from_published(cls, n_rows: int, n_cols: int, shown: Mapping[Position, int], lower: Mapping[Position, int]) -> HiddenValues:
        """Find one feasible set of hidden values; ``InvalidInput`` if the shown values contradict each other."""
        balance = [0] * (n_rows + n_cols + 2)
        known = list(shown.items()) + list(lower.items())
        for position, value in known:
            tail, head = arc_of(position, n_rows, n_cols)
            balance[head] += value
            balance[tail] -= value
        source, sink = len(balance), len(balance) + 1
        graph = FlowGraph(len(balance) + 2)
        for position in sorted(lower):
            tail, head = arc_of(position, n_rows, n_cols)
            graph.add(tail, head, INF, 0, label=position)
        supply = 0
        for node, excess in enumerate(balance):
            if excess > 0:
                graph.add(source, node, excess, 0)
                supply += excess
            elif excess < 0:
                graph.add(node, sink, -excess, 0)
        if graph.max_flow(source, sink) != supply:
            raise InvalidInput(t("The published table does not add up: no values fit its totals. Check the table before auditing it."))
        flow = {position: lower[position] for position in lower}
        for e, position in enumerate(graph.label):
            if position is not None and e % 2 == 0:
                flow[position] += int(graph.cap[e + 1])
        return cls(n_rows, n_cols, lower, flow)

    def residual(self, without: Position) -> FlowGraph:
        """The residual network of every hidden value except ``without``."""
        graph = FlowGraph(self.n_rows + self.n_cols + 2)
        for position in sorted(self.flow):
            if position != without:
                tail, head = arc_of(position, self.n_rows, self.n_cols)
                graph.add(tail, head, INF, self.flow[position] - self.lower[position], label=position)
        return graph

    def room_up(self, position: Position, limit: float = INF) -> float:
        """How far the value at ``position`` can rise (at most ``limit`` is looked for)."""
        tail, head = arc_of(position, self.n_rows, self.n_cols)
        return self.residual(position).max_flow(head, tail, limit)

    def room_down(self, position: Position, limit: float = INF) -> float:
        """How far the value at ``position`` can fall (at most ``limit`` is looked for)."""
        slack = self.flow[position] - self.lower[position]
        if slack <= 0:
            return 0
        tail, head = arc_of(position, self.n_rows, self.n_cols)
        return self.residual(position).max_flow(tail, head, min(slack, limit))

    def range_of(self, position: Position) -> tuple[int, float]:
        """The exact (smallest, largest) value; the largest is ``INF`` when nothing bounds it."""
        value = self.flow[position]
        return int(value - self.room_down(position)), value + self.room_up(position)

    def ranges(self, positions: Iterable[Position]) -> dict[Position, tuple[int, float]]:
        return {position: self.range_of(position) for position in positions}
