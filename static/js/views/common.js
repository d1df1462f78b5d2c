/* Bailanys — what the drawings share. The drawings are progressive enhancement: each page's tables
   hold the data in parts (what readers without JavaScript get); these modules draw the whole of it,
   read from the API with the page's filters (the canvas's data-src, JSON), with d3 (loaded from the
   npm package, node_modules/d3, as a classic script before them). */
export const d3 = window.d3;

/** The drawing's data: the API's JSON answer for the page's filters (null when it cannot be read). */
export async function dataOf(element) {
  if (!element || !element.dataset.src) return null;
  const response = await fetch(element.dataset.src, { headers: { Accept: "application/json" } });
  return response.ok ? response.json() : null;
}

/** An SVG in `element`, sized by its viewBox, named for assistive technology. */
export function svgIn(element, width, height) {
  return d3.select(element).append("svg")
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("class", "view-svg")
    .attr("role", "group")
    .attr("aria-label", element.dataset.label || "");
}

/** A focusable link around a mark, named by its <title>. */
export function linked(selection, url, title) {
  const a = selection.append("a").attr("href", url);
  a.append("title").text(title);
  return a;
}

/** Pan and zoom of `group` inside `svg` (wheel, pinch, drag). */
export function zoomable(svg, group, most, least) {
  svg.call(d3.zoom().scaleExtent([least || 1, most || 12]).on("zoom", (event) => group.attr("transform", event.transform)));
}

/** A legend under the drawing: [[class, text], ...]. */
export function legend(element, items) {
  const list = d3.select(element).append("ul").attr("class", "legend");
  items.forEach(([cls, text]) => {
    const li = list.append("li");
    li.append("span").attr("class", "swatch " + cls).attr("aria-hidden", "true");
    li.append("span").text(text);
  });
}
