/* The network: nodes where the server's layout put them (x, y in a 1000 × 1000 square), sized by
   their records, edges weighted. Drawn from the API's answer for the page's filters (/api/v1/network/). */
import { d3, dataOf, svgIn, zoomable, legend } from "./common.js";

const element = document.getElementById("network-canvas");
const SIZE = 1000;
const data = await dataOf(element);
const nodes = (data ? data.nodes : []).map((n) => ({
  id: n.id, type: n.type, x: n.x, y: n.y, weight: n.weight, name: n.name, url: n.web_url,
  kind: element.dataset["type" + n.type[0].toUpperCase() + n.type.slice(1)] || n.type,
}));
const byId = new Map(nodes.map((n) => [n.id, n]));
const edges = (data ? data.edges : []).map((e) => ({
  source: byId.get(e.source), target: byId.get(e.target), weight: e.weight,
})).filter((e) => e.source && e.target);

if (element && nodes.length) {
  const svg = svgIn(element, SIZE, SIZE);
  const view = svg.append("g");
  const width = d3.scaleSqrt().domain([1, d3.max(edges, (e) => e.weight) || 1]).range([0.6, 6]);
  const radius = d3.scaleSqrt().domain([1, d3.max(nodes, (n) => n.weight) || 1]).range([4, 18]);
  view.append("g").attr("class", "edges").selectAll("line").data(edges).join("line")
    .attr("class", "edge")
    .attr("x1", (e) => e.source.x).attr("y1", (e) => e.source.y)
    .attr("x2", (e) => e.target.x).attr("y2", (e) => e.target.y)
    .attr("stroke-width", (e) => width(e.weight))
    .append("title").text((e) => `${e.source.name} – ${e.target.name} (${e.weight})`);
  const marks = view.append("g").attr("class", "nodes");
  nodes.slice().reverse().forEach((n) => {
    const a = marks.append("a").attr("href", n.url);
    a.append("title").text(`${n.name} (${n.kind}, ${n.weight})`);
    a.append("circle").attr("class", "node node-" + n.type).attr("data-id", n.id)
      .attr("cx", n.x).attr("cy", n.y).attr("r", radius(n.weight));
  });
  view.append("g").attr("class", "node-labels").attr("aria-hidden", "true")
    .selectAll("text").data(nodes.slice(0, 20)).join("text")
    .attr("class", "node-label").attr("x", (n) => n.x + radius(n.weight) + 3).attr("y", (n) => n.y + 4)
    .text((n) => n.name);
  zoomable(svg, view, 20);
  const kinds = new Map(nodes.map((n) => [n.type, n.kind]));
  legend(element, Array.from(kinds, ([type, kind]) => ["swatch-" + type, kind]));
}
