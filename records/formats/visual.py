"""The views' data in other formats, made from their JSON: GeoJSON for the map (places as points,
partnerships as lines), GEXF and GraphML for the network (written by networkx, so Gephi, Cytoscape
or networkx itself read them), and CSV for every view (one table each)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable


def map_geojson(data: dict) -> dict:
    """Places with coordinates as Point features, links between two located places as LineStrings."""
    located = {place["id"]: place for place in data["places"] if place["latitude"] is not None}
    features = [
        {
            "type": "Feature",
            "id": f"place-{place['id']}",
            "geometry": {"type": "Point", "coordinates": [place["longitude"], place["latitude"]]},
            "properties": {
                "feature": "place",
                **{k: v for k, v in place.items() if k not in ("latitude", "longitude")},
            },
        }
        for place in located.values()
    ]
    for link in data["links"]:
        home, partner = located.get(link["home"]), located.get(link["partner"])
        if home is None or partner is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": f"link-{link['home']}-{link['partner']}",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[home["longitude"], home["latitude"]], [partner["longitude"], partner["latitude"]]],
                },
                "properties": {"feature": "partnership", **link},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _graph(data: dict):
    """The network as a networkx graph (imported here: only these two formats need it)."""
    import networkx as nx  # here: with numpy about 36 MiB, needed only for these files

    graph = nx.Graph(name="Bailanys partnership network")
    for node in data["nodes"]:
        graph.add_node(
            str(node["id"]),
            label=node["name"],
            type=node["type"],
            weight=node["weight"],
            url=node["web_url"],
            x=float(node["x"]),
            y=float(node["y"]),
        )
    for edge in data["edges"]:
        graph.add_edge(
            str(edge["source"]),
            str(edge["target"]),
            weight=edge["weight"],
            agreements=edge["agreements"],
            events=edge["events"],
        )
    return graph


def network_gexf(data: dict) -> str:
    """GEXF 1.2 with the layout as viz positions and the weights as attributes."""
    graph = _graph(data)
    for _pk, attrs in graph.nodes(data=True):
        attrs["viz"] = {"position": {"x": attrs["x"], "y": -attrs["y"], "z": 0.0}, "size": float(attrs["weight"])}
    import networkx as nx  # here: with numpy about 36 MiB, needed only for these files

    return "\n".join(nx.generate_gexf(graph, version="1.2draft"))


def network_graphml(data: dict) -> str:
    import networkx as nx  # here: with numpy about 36 MiB, needed only for these files

    return "\n".join(nx.generate_graphml(_graph(data)))


def csv_text(header: list[str], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def map_csv(data: dict) -> str:
    """One row per partnership link, with both ends' coordinates."""
    places = {place["id"]: place for place in data["places"] + data["unplaced"]}
    header = [
        "home_id", "home_name", "home_latitude", "home_longitude",
        "partner_id", "partner_name", "partner_latitude", "partner_longitude",
        "agreements", "events", "weight",
    ]  # fmt: skip
    rows = []
    for link in data["links"]:
        home, partner = places.get(link["home"], {}), places.get(link["partner"], {})
        rows.append(
            [
                link["home"],
                link["home_name"],
                home.get("latitude"),
                home.get("longitude"),
                link["partner"],
                link["partner_name"],
                partner.get("latitude"),
                partner.get("longitude"),
                link["agreements"],
                link["events"],
                link["weight"],
            ]  # fmt: skip
        )
    return csv_text(header, rows)


def timeline_csv(data: dict) -> str:
    header = ["id", "type", "title", "kind", "date", "date_text", "start", "end", "uncertain", "spheres", "web_url"]
    rows = (
        [
            e["id"],
            e["type"],
            e["title"],
            e["kind"],
            e["date"],
            e["date_text"],
            e["start"],
            e["end"],
            "yes" if e["uncertain"] else "no",
            ";".join(e["spheres"]),
            e["web_url"],
        ]  # fmt: skip
        for e in data["entries"]
    )
    return csv_text(header, rows)


def network_csv(data: dict) -> str:
    """One row per edge, with both nodes' names and types."""
    nodes = {node["id"]: node for node in data["nodes"]}
    header = ["source_id", "source_name", "source_type", "target_id", "target_name", "target_type",
              "agreements", "events", "weight"]  # fmt: skip
    rows = (
        [
            e["source"],
            nodes[e["source"]]["name"],
            nodes[e["source"]]["type"],
            e["target"],
            nodes[e["target"]]["name"],
            nodes[e["target"]]["type"],
            e["agreements"],
            e["events"],
            e["weight"],
        ]  # fmt: skip
        for e in data["edges"]
    )
    return csv_text(header, rows)


def series_csv(data: dict) -> str:
    header = ["series", "indicator", "measure", "subjects", "statistic_id", "date", "start", "end", "value",
              "qualifier", "reliability_note", "sources"]  # fmt: skip
    rows = (
        [
            s["title"],
            s["indicator"],
            s["measure"],
            ";".join(str(x["id"]) for x in s["subjects"]),
            p["id"],
            p["date"],
            p["start"],
            p["end"],
            p["value"],
            p["qualifier"],
            p["reliability_note"],
            ";".join(str(src["id"]) for src in p["sources"]),
        ]  # fmt: skip
        for s in data["series"]
        for p in s["points"]
    )
    return csv_text(header, rows)
