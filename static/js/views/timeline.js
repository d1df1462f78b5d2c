/* The timeline: each agreement or event a bar over every day its EDTF date allows, packed into
   lanes; uncertain ones hatched. Drawn from the API's answer for the page's filters (/api/v1/timeline/). */
import { d3, dataOf, svgIn, linked, legend } from "./common.js";

const element = document.getElementById("timeline-canvas");
const DAY = 864e5;
const day = (text, next) => (text ? new Date(+new Date(text + "T00:00:00Z") + (next ? DAY : 0)) : null);
const data = await dataOf(element);
const entries = (data ? data.entries : []).map((e) => ({
  type: e.type, uncertain: e.uncertain, start: day(e.start), end: day(e.end, true),
  when: e.date_words, name: e.title, url: e.web_url,
}));
// An open bound ("[..2007]", "2001/..") reaches the edge of the drawing, faded.
const known = entries.flatMap((e) => [e.start, e.end]).filter(Boolean);
const [earliest, latest] = d3.extent(known);
entries.forEach((e) => {
  e.open = !e.start || !e.end;
  e.start = e.start || earliest;
  e.end = e.end || latest;
});

if (element && entries.length) {
  const width = Math.max(320, Math.min(1200, element.parentNode.clientWidth || 960)); // the canvas is hidden while empty
  const margin = { top: 28, side: 12 }, lane = 14, gap = 3;
  const x = d3.scaleUtc()
    .domain([d3.min(entries, (e) => e.start), d3.max(entries, (e) => e.end)]).nice()
    .range([margin.side, width - margin.side]);
  const ends = [];
  entries.forEach((e) => {
    const from = x(e.start);
    let i = ends.findIndex((end) => end + 2 < from);
    if (i < 0) { i = ends.length; ends.push(0); }
    ends[i] = Math.max(from + 4, x(e.end));
    e.lane = i;
  });
  const height = margin.top + ends.length * (lane + gap) + 8;
  const svg = svgIn(element, width, height);
  const defs = svg.append("defs");
  ["agreement", "event"].forEach((type) => {
    const pattern = defs.append("pattern").attr("id", "hatch-" + type).attr("patternUnits", "userSpaceOnUse")
      .attr("width", 6).attr("height", 6).attr("patternTransform", "rotate(45)");
    pattern.append("rect").attr("width", 6).attr("height", 6).attr("class", "hatch-ground " + type);
    pattern.append("line").attr("x1", 0).attr("y1", 0).attr("x2", 0).attr("y2", 6).attr("class", "hatch-line " + type);
  });
  svg.append("g").attr("class", "axis").attr("transform", `translate(0,${margin.top - 6})`)
    .call(d3.axisTop(x).ticks(Math.max(3, Math.floor(width / 90))));
  const bars = svg.append("g").attr("class", "bars");
  entries.forEach((e) => {
    const a = linked(bars, e.url, `${e.when}: ${e.name}`);
    a.append("rect")
      .attr("class", `bar ${e.type}` + (e.uncertain ? " uncertain" : "") + (e.open ? " open" : ""))
      .attr("x", x(e.start)).attr("y", margin.top + e.lane * (lane + gap))
      .attr("width", Math.max(4, x(e.end) - x(e.start))).attr("height", lane);
  });
  legend(element, [["swatch-agreement", element.dataset.agreement], ["swatch-event", element.dataset.event],
    ["swatch-uncertain", element.dataset.uncertain]]);
}
