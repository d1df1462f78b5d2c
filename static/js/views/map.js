/* The map: country outlines (world-atlas, Natural Earth) or a deployment's own tiles, places as
   circles sized by their partnerships, partnerships as curved lines weighted by agreements and
   events. Drawn from the API's answer for the page's filters (/api/v1/map/, JSON). */
import { d3, dataOf, svgIn, zoomable, legend } from "./common.js";

const element = document.getElementById("map-canvas");
const WIDTH = 960, HEIGHT = 620;
const KAZAKHSTAN_ID = "398"; // ISO 3166-1 numeric, as world-atlas names the countries

const data = await dataOf(element);
const places = (data ? data.places : []).map((p) => ({
  id: p.id, lat: p.latitude, lon: p.longitude, weight: p.partnerships, iso: p.iso_code || "", kind: p.kind,
  name: p.name, url: p.web_url,
}));
const byId = new Map(places.map((p) => [p.id, p]));
const links = (data ? data.links : []).map((l) => ({
  home: byId.get(l.home), partner: byId.get(l.partner), weight: l.weight,
  title: `${l.home_name} – ${l.partner_name}: ${l.agreements} / ${l.events}`,
})).filter((l) => l.home && l.partner);

if (element && data) {
  const svg = svgIn(element, WIDTH, HEIGHT);
  const view = svg.append("g");
  const tiles = view.append("g").attr("class", "tiles");
  const basemap = view.append("g").attr("class", "basemap");
  const lines = view.append("g").attr("class", "links");
  const marks = view.append("g").attr("class", "places");
  const labels = view.append("g").attr("class", "place-labels").attr("aria-hidden", "true");

  // Fitted to Kazakhstan and its 25 most frequent partners; zoom out for the rest.
  const focus = places.filter((p) => p.weight).sort((a, b) => b.weight - a.weight).slice(0, 25);
  const extent = focus.map((p) => [p.lon, p.lat]).concat([[46.5, 40.5], [87.3, 55.4]]);
  const projection = d3.geoMercator().fitExtent([[24, 24], [WIDTH - 24, HEIGHT - 24]], { type: "MultiPoint", coordinates: extent });
  const path = d3.geoPath(projection);
  const at = (p) => projection([p.lon, p.lat]);
  const width = d3.scaleSqrt().domain([1, d3.max(links, (l) => l.weight) || 1]).range([1.2, 7]);
  const radius = d3.scaleSqrt().domain([0, d3.max(places, (p) => p.weight) || 1]).range([3, 13]);

  lines.selectAll("path").data(links).join("path")
    .attr("class", "link")
    .attr("d", (l) => {
      const [x1, y1] = at(l.home), [x2, y2] = at(l.partner);
      const mx = (x1 + x2) / 2, my = (y1 + y2) / 2, dx = x2 - x1, dy = y2 - y1;
      return `M${x1},${y1} Q${mx - dy * 0.15},${my + dx * 0.15} ${x2},${y2}`;
    })
    .attr("stroke-width", (l) => width(l.weight))
    .append("title").text((l) => l.title);

  const ordered = places.slice().sort((a, b) => b.weight - a.weight);
  marks.selectAll("a").data(ordered.slice().reverse()).join((enter) => enter.append("a"))
    .each(function (p) {
      const a = d3.select(this).attr("href", p.url);
      a.append("title").text(p.weight ? `${p.name} (${p.weight})` : p.name);
      a.append("circle")
        .attr("class", "place" + (p.iso.startsWith("KZ") ? " home" : "") + (p.weight ? " partnered" : ""))
        .attr("data-id", p.id)
        .attr("cx", at(p)[0]).attr("cy", at(p)[1]).attr("r", radius(p.weight));
    });
  labels.selectAll("text").data(ordered.filter((p) => p.weight).slice(0, 14)).join("text")
    .attr("class", "place-label")
    .attr("x", (p) => at(p)[0] + radius(p.weight) + 2).attr("y", (p) => at(p)[1] + 4)
    .text((p) => p.name);
  zoomable(svg, view, 16, 0.25);
  legend(element, [["swatch-home", element.dataset.legendHome || "Kazakhstan"], ["swatch-partner", element.dataset.legendPartner || "Partners"]]);

  if (element.dataset.tiles && d3.tile) {
    const template = element.dataset.tiles;
    const layout = d3.tile().size([WIDTH, HEIGHT]).scale(projection.scale() * 2 * Math.PI).translate(projection([0, 0]))();
    tiles.selectAll("image").data(layout).join("image")
      .attr("href", ([x, y, z]) => template.replace("{z}", z).replace("{x}", x).replace("{y}", y))
      .attr("x", ([x]) => (x + layout.translate[0]) * layout.scale)
      .attr("y", ([, y]) => (y + layout.translate[1]) * layout.scale)
      .attr("width", layout.scale).attr("height", layout.scale);
  } else {
    fetch(element.dataset.atlas).then((r) => r.json()).then((world) => {
      const countries = window.topojson.feature(world, world.objects.countries).features;
      basemap.selectAll("path").data(countries).join("path")
        .attr("class", (f) => "country" + (String(f.id) === KAZAKHSTAN_ID ? " home" : ""))
        .attr("d", path);
      basemap.append("path").attr("class", "borders")
        .attr("d", path(window.topojson.mesh(world, world.objects.countries, (a, b) => a !== b)));
      element.classList.add("drawn");
    });
  }
}
