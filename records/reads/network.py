"""The network: regions (any place) and organizations as nodes, joined by an edge when they are parties
to the same agreement or take part in the same event; an edge's weight is the number of such records.

Bounded: the `limit` nodes of most records (NETWORK_LIMIT by default, NETWORK_MAX at most) and the
edges among them; `nodes_total` says how many there were in all. Read from what publication keeps
(records/models/views.py): the unfiltered network from the nodes' and edges' totals; a filtered one
from the kept ends of the matching records — of at most SAMPLE_RECORDS of each type, which the
response says (`sampled`) when the filters match more. The layout (igraph's Fruchterman-Reingold per
component, from a fixed start, so the same data always gets the same drawing) is computed on the server once per
publication, filters and limit, and kept with the graph until the next publication: browsers only
draw it. Names are read per request, in the reader's language (one query).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cached_property

from django.db import connection

from records.models import Record
from records.models.base import pick_label, record_url
from records.reads.scope import Scope, first_of_each, publication_memo
from records.reads.timeline import kept_where

NETWORK_LIMIT = 150
NETWORK_MAX = 1000
EDGES_PER_NODE = 4  # at most this many edges per node drawn: the heaviest among them
SIZE = 1000  # the layout's square, in drawing units
LAYOUT_ITERATIONS = 100
NODE_TYPES = ("place", "organization")

SAMPLE_RECORDS = 5000  # per type, when filtered (see the module)

# Unfiltered: the totals kept at publication (records/models/views.py).
TOTAL_NODES_SQL = """
SELECT node_id, agreements + events, count(*) OVER () FROM records_networknode WHERE agreements + events > 0
ORDER BY agreements + events DESC, node_id LIMIT %s
"""
TOTAL_EDGES_SQL = """
SELECT source_id, target_id, agreements, events FROM records_networkedge
WHERE source_id = ANY(%s) AND target_id = ANY(%s) AND agreements + events > 0
ORDER BY agreements + events DESC, source_id, target_id LIMIT %s
"""
# Filtered: the kept ends of the matching records (a sample of each type, their ids the first parameter).
SAMPLE_SQL = """
WITH nodes AS MATERIALIZED (
    SELECT record_id AS rec, is_event, node_id AS node FROM records_networkend WHERE record_id = ANY(%s)
), top AS MATERIALIZED (
    SELECT node, count(*) AS weight, count(*) OVER () AS total
    FROM nodes GROUP BY node ORDER BY count(*) DESC, node LIMIT %s
)
"""
# One statement, so that the nodes and the edges are of the same sample.
SAMPLE_GRAPH_SQL = (
    SAMPLE_SQL
    + """
SELECT true, node, weight, total, NULL FROM top
UNION ALL
(SELECT false, a.node, b.node, count(*) FILTER (WHERE NOT a.is_event), count(*) FILTER (WHERE a.is_event)
 FROM nodes a JOIN nodes b ON a.rec = b.rec AND a.node < b.node
 WHERE a.node IN (SELECT node FROM top) AND b.node IN (SELECT node FROM top)
 GROUP BY a.node, b.node ORDER BY count(*) DESC, a.node, b.node LIMIT %s)
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

    @cached_property
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
    sampled: int | None = None  # drawn from this many of the matching records (a cut)

    @property
    def truncated(self) -> bool:
        return self.nodes_total > len(self.nodes)


def _layout(nodes: list[tuple[int, int]], edges: list[tuple[int, int, int, int]]) -> dict[int, tuple[float, float]]:
    """Each connected component laid out by Fruchterman-Reingold (igraph, in C: tens of milliseconds for
    a few hundred nodes), started from a circle in id order, so the same data always gets the same
    drawing; the components then packed in rows, largest first, each in a square whose side grows with
    the square root of its nodes; the whole scaled, keeping its proportions, into the drawing's square."""
    import igraph  # here: only a layout needs it

    order = sorted(pk for pk, _weight in nodes)
    if not order:
        return {}
    igraph.set_random_number_generator(random.Random(0))  # its steps draw random numbers: the same ones each time
    index = {pk: n for n, pk in enumerate(order)}
    graph = igraph.Graph(n=len(order), edges=[(index[a], index[b]) for a, b, _ag, _ev in edges])
    graph.es["weight"] = [agreements + events for _a, _b, agreements, events in edges]
    components = sorted(graph.connected_components(), key=lambda members: (-len(members), members[0]))
    row_width = math.sqrt(sum(len(members) for members in components)) * 1.3
    placed: dict[int, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members in components:
        side = math.sqrt(len(members))
        if x > 0 and x + side > row_width:  # a new row
            x, y, row_height = 0.0, y + row_height, 0.0
        part = graph.subgraph(members)
        coords = (
            part.layout_fruchterman_reingold(
                niter=LAYOUT_ITERATIONS, seed=part.layout_circle().coords, weights="weight"
            ).coords
            if len(members) > 1
            else [[0.0, 0.0]]
        )
        xs, ys = [c[0] for c in coords], [c[1] for c in coords]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        inner = side * 0.8  # a margin between components
        for member, (cx, cy) in zip(members, coords, strict=True):
            placed[order[member]] = (
                x + side / 2 + (cx - (max(xs) + min(xs)) / 2) * inner / span,
                y + side / 2 + (cy - (max(ys) + min(ys)) / 2) * inner / span,
            )
        x, row_height = x + side, max(row_height, side)
    xs = [px for px, _py in placed.values()]
    ys = [py for _px, py in placed.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    middle = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
    usable = SIZE * 0.92
    return {
        pk: (
            round(SIZE / 2 + (px - middle[0]) * usable / span, 1),
            round(SIZE / 2 + (py - middle[1]) * usable / span, 1),
        )
        for pk, (px, py) in placed.items()
    }


def _sample(scope: Scope) -> tuple[list[int], int | None]:
    """The sampled records' ids (and how many, when they are not every match). A country with a period
    (and kind, sphere, type) is read from the timeline's kept items — an index range in the country's
    date order — instead of the lists' filter: the same records, as a period leaves out undated ones."""
    if {"date_after", "date_before"} & set(scope.filters):
        kept = [kept_where(scope, record_type) for record_type in scope.types]
        if kept and None not in kept:
            items = "SELECT t.record_id FROM records_timelineitem t WHERE {}"
            return first_of_each([(items.format(where), params) for where, params in kept], SAMPLE_RECORDS)
    return scope.sample(SAMPLE_RECORDS)


def _read(scope: Scope, limit: int) -> tuple[list[tuple], list[tuple], int | None]:
    """The top `limit` nodes (id, weight, total) and the edges among them; and the records sampled, if any."""
    with connection.cursor() as cursor:
        if scope.unfiltered:
            cursor.execute(TOTAL_NODES_SQL, [limit])
            nodes = [tuple(row) for row in cursor.fetchall()]
            ids = [pk for pk, _weight, _total in nodes]
            cursor.execute(TOTAL_EDGES_SQL, [ids, ids, limit * EDGES_PER_NODE])
            return nodes, [tuple(row) for row in cursor.fetchall()], None
        records, sampled = _sample(scope)
        cursor.execute(SAMPLE_GRAPH_SQL, [records, limit, limit * EDGES_PER_NODE])
        nodes, edges = [], []
        for is_node, a, b, c, d in cursor.fetchall():
            if is_node:
                nodes.append((a, b, c))
            else:
                edges.append((a, b, c, d))
    return nodes, edges, sampled


def _structure(scope: Scope, limit: int) -> dict:
    """The graph's nodes (with their layout) and edges: computed once per publication and filters."""

    def compute():
        nodes, edges, sampled = _read(scope, limit)
        positions = _layout([(pk, weight) for pk, weight, _total in nodes], edges)
        return {
            "nodes": [(pk, weight, *positions[pk]) for pk, weight, _total in nodes],
            "edges": edges,
            "total": nodes[0][2] if nodes else 0,
            "sampled": sampled,
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
    return Network(ordered, edges, structure["total"], limit, structure["sampled"])
