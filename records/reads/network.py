"""The network: regions (any place) and organizations as nodes, joined by an edge when they are parties
to the same agreement or take part in the same event; an edge's weight is the number of such records.

Bounded: the `limit` nodes of most records (NETWORK_LIMIT by default, NETWORK_MAX at most) and the
edges among them; `nodes_total` says how many there were in all. The layout (networkx's
ForceAtlas2, seeded, so the same data always gets the same drawing) is computed on the
server once per publication, filters and limit, and kept with the graph until the next publication:
browsers only draw it. Names are read per request, in the reader's language (one query).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from records.models import Record
from records.models.base import pick_label, record_url
from records.reads.scope import ANALYTIC_WORK_MEM, Scope, publication_memo

NETWORK_LIMIT = 300
NETWORK_MAX = 1000
EDGE_LIMIT = 20000
SIZE = 1000  # the layout's square, in drawing units
LAYOUT_SEED = 1991
NODE_TYPES = ("place", "organization")

ENDS_SQL = """
WITH ends AS (
    SELECT l.agreement_id AS rec, 'agreement' AS t, l.party_id AS node
    FROM records_agreement_party l WHERE l.agreement_id IN ({agreements})
    UNION
    SELECT l.event_id, 'event', l.participant_id
    FROM records_event_participant l WHERE l.event_id IN ({events})
), nodes AS (
    SELECT e.rec, e.t, e.node FROM ends e JOIN records_record r ON r.id = e.node
    WHERE r.record_type IN ('place', 'organization') AND r.status = 'published'
), top AS (
    SELECT node, count(*) AS weight, count(*) OVER () AS total
    FROM nodes GROUP BY node ORDER BY count(*) DESC, node LIMIT %s
)
"""
NODES_SQL = ENDS_SQL + "SELECT node, weight, total FROM top"
EDGES_SQL = (
    ENDS_SQL
    + """
SELECT a.node, b.node, count(*) FILTER (WHERE a.t = 'agreement'), count(*) FILTER (WHERE a.t = 'event')
FROM nodes a JOIN nodes b ON a.rec = b.rec AND a.node < b.node
WHERE a.node IN (SELECT node FROM top) AND b.node IN (SELECT node FROM top)
GROUP BY a.node, b.node ORDER BY count(*) DESC, a.node, b.node LIMIT %s
"""
)


@dataclass
class Node:
    id: int
    weight: int
    x: float
    y: float
    type: str = ""
    name: str = ""

    @property
    def web_url(self) -> str:
        return record_url(self.type, self.id)

    def as_json(self, base: str) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "weight": self.weight,
            "x": self.x,
            "y": self.y,
            "web_url": base + self.web_url,
            "url": f"{base}/api/v1/{self.type}s/{self.id}/",
        }


@dataclass
class Edge:
    source: Node
    target: Node
    agreements: int
    events: int

    @property
    def weight(self) -> int:
        return self.agreements + self.events

    def as_json(self) -> dict:
        return {
            "source": self.source.id,
            "target": self.target.id,
            "agreements": self.agreements,
            "events": self.events,
            "weight": self.weight,
        }


@dataclass
class Network:
    nodes: list[Node]
    edges: list[Edge]
    nodes_total: int
    limit: int

    @property
    def truncated(self) -> bool:
        return self.nodes_total > len(self.nodes)


def _layout(nodes: list[tuple[int, int]], edges: list[tuple[int, int, int, int]]) -> dict[int, tuple[float, float]]:
    """ForceAtlas2 (networkx), whose gravity keeps the small components near the large one; then
    scaled, keeping its proportions, into the drawing's square."""
    import networkx as nx  # here: only a layout needs it (with numpy about 36 MiB in every worker otherwise)

    graph = nx.Graph()
    graph.add_nodes_from(pk for pk, _weight in sorted(nodes))
    graph.add_weighted_edges_from((a, b, agreements + events) for a, b, agreements, events in edges)
    if not graph:
        return {}
    positions = nx.forceatlas2_layout(
        graph, max_iter=200, seed=LAYOUT_SEED, gravity=1.0, strong_gravity=True, weight="weight"
    )
    xs = [float(x) for x, _y in positions.values()]
    ys = [float(y) for _x, y in positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    middle = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
    usable = SIZE * 0.92
    return {
        pk: (
            round(SIZE / 2 + (float(x) - middle[0]) * usable / span, 1),
            round(SIZE / 2 + (float(y) - middle[1]) * usable / span, 1),
        )
        for pk, (x, y) in positions.items()
    }


def _structure(scope: Scope, limit: int) -> dict:
    """The graph's nodes (with their layout) and edges: computed once per publication."""

    def compute():
        agreements, agreement_params = scope.ids_sql("agreement")
        events, event_params = scope.ids_sql("event")
        params = (*agreement_params, *event_params, limit)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(ANALYTIC_WORK_MEM)
            cursor.execute(NODES_SQL.format(agreements=agreements, events=events), params)
            nodes = [tuple(row) for row in cursor.fetchall()]
            cursor.execute(EDGES_SQL.format(agreements=agreements, events=events), (*params, EDGE_LIMIT))
            edges = [tuple(row) for row in cursor.fetchall()]
        positions = _layout([(pk, weight) for pk, weight, _total in nodes], edges)
        return {
            "nodes": [(pk, weight, *positions[pk]) for pk, weight, _total in nodes],
            "edges": edges,
            "total": nodes[0][2] if nodes else 0,
        }

    return publication_memo("network", [scope.key, limit], compute)


def network(scope: Scope, limit: int = NETWORK_LIMIT) -> Network:
    structure = _structure(scope, limit)
    nodes = {pk: Node(pk, weight, x, y) for pk, weight, x, y in structure["nodes"]}
    if nodes:
        for record in Record.objects.filter(pk__in=list(nodes)).only("record_type", "label", "labels"):
            node = nodes[record.pk]
            node.type, node.name = record.record_type, pick_label(record.labels, record.label)
    edges = [Edge(nodes[a], nodes[b], ag, ev) for a, b, ag, ev in structure["edges"] if a in nodes and b in nodes]
    ordered = sorted(nodes.values(), key=lambda n: (-n.weight, n.name, n.id))
    return Network(ordered, edges, structure["total"], limit)
