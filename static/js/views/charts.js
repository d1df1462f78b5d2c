/* Charts of figures over time: one bar per period, with the unit or currency on the axis and the
   values with a reliability note marked "*". Made from each series' table (.series-table). */
import { d3, svgIn, linked } from "./common.js";

const WIDTH = 640, HEIGHT = 260, M = { top: 16, right: 12, bottom: 56, left: 64 };
const format = d3.format("~s");

document.querySelectorAll(".chart-canvas").forEach((element) => {
  const table = element.parentNode.querySelector(".series-table");
  if (!table) return;
  const points = Array.from(table.querySelectorAll("tbody tr")).map((tr) => ({
    value: +tr.dataset.value, period: tr.dataset.period || "—", noted: tr.dataset.note === "1",
    current: tr.classList.contains("current"), url: tr.querySelector("a").getAttribute("href"),
    text: tr.cells[1].textContent.replace("*", "").trim(),
  }));
  const right = Math.min(WIDTH - M.right, M.left + points.length * 90); // bars no wider than ~70
  const svg = svgIn(element, right + M.right, HEIGHT).attr("width", right + M.right).attr("height", HEIGHT);
  const x = d3.scaleBand().domain(points.map((_, i) => i)).range([M.left, right]).padding(0.2);
  const y = d3.scaleLinear().domain([Math.min(0, d3.min(points, (p) => p.value)), d3.max(points, (p) => p.value) || 1]).nice()
    .range([HEIGHT - M.bottom, M.top]);
  svg.append("g").attr("class", "axis").attr("transform", `translate(${M.left},0)`)
    .call(d3.axisLeft(y).ticks(5).tickFormat(format));
  svg.append("text").attr("class", "axis-label").attr("x", 4).attr("y", 10).text(element.dataset.measure);
  const axis = svg.append("g").attr("class", "axis").attr("transform", `translate(0,${HEIGHT - M.bottom})`)
    .call(d3.axisBottom(x).tickFormat((i) => points[i].period));
  axis.selectAll("text").attr("transform", "rotate(-25)").attr("text-anchor", "end").attr("dx", "-0.3em");
  const bars = svg.append("g").attr("class", "bars");
  points.forEach((p, i) => {
    const a = linked(bars, p.url, `${p.period}: ${p.text}`);
    a.append("rect").attr("class", "chart-bar" + (p.noted ? " noted" : "") + (p.current ? " current" : ""))
      .attr("x", x(i)).attr("width", x.bandwidth())
      .attr("y", y(Math.max(0, p.value))).attr("height", Math.max(1, Math.abs(y(p.value) - y(0))));
    if (p.noted) {
      a.append("text").attr("class", "note-mark").attr("x", x(i) + x.bandwidth() / 2)
        .attr("y", y(Math.max(0, p.value)) - 3).attr("text-anchor", "middle").text("*");
    }
  });
});
