// The timeline histogram of the filtered events, drawn as SVG. Honest about precision: an
// event counts in a bar only when dated at least as finely as the bars; the caption says
// how many are left out as undated or dated too coarsely.

import { get } from "./api.js";
import { h, svg, fill, status } from "./dom.js";
import { plural } from "./format.js";
import { INTERVALS, bucketRange, isBucket } from "./filters.js";

const WIDTH = 640;
const HEIGHT = 120;
const AXIS = 18;
// Beyond this many bars, bars stop being links (the tab order would be endless);
// the date inputs narrow the range from the keyboard instead.
const MAX_LINKED_BARS = 250;

function chart(data, filters, { hrefFor, go }) {
  const buckets = data.buckets;
  const most = Math.max(1, ...buckets.map((b) => b.count));
  // A bar is never wider than a twelfth of the chart, so one year does not look like an era.
  const step = WIDTH / Math.max(12, buckets.length);
  const filled = buckets.filter((b) => b.count > 0).length;
  const bars = [];
  buckets.forEach((bucket, index) => {
    if (!bucket.count) return;
    const height = Math.max(1, (bucket.count / most) * (HEIGHT - AXIS - 14));
    const label = `${bucket.start}: ${plural(bucket.count, "event")}`;
    const rect = svg("rect", {
      x: (index * step + step * 0.1).toFixed(2), y: (HEIGHT - AXIS - height).toFixed(2),
      width: Math.max(0.5, step * 0.8).toFixed(2), height: height.toFixed(2),
      class: isBucket(filters, bucket.start) ? "bar current" : "bar",
    }, svg("title", {}, label));
    const range = bucketRange(bucket.start);
    if (filled <= MAX_LINKED_BARS) {
      bars.push(svg("a", { href: hrefFor({ ...filters, ...range }), "aria-label": `${label}; show only these` }, rect));
    } else {
      rect.addEventListener("click", () => go({ ...filters, ...range }));
      bars.push(rect);
    }
  });
  const first = buckets[0]?.start ?? "";
  const last = buckets[buckets.length - 1]?.start ?? "";
  return svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "histogram", role: "group",
    "aria-label": `Events per ${data.interval}, ${first} to ${last}` },
    svg("line", { x1: 0, x2: WIDTH, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS, class: "axis" }),
    svg("text", { x: 0, y: 10, class: "tick" }, `most: ${most}`),
    svg("text", { x: 0, y: HEIGHT - 4, class: "tick" }, first),
    buckets.length > 1 ? svg("text", { x: Math.min(WIDTH, buckets.length * step), y: HEIGHT - 4, class: "tick end" }, last) : null,
    bars);
}

function caption(data) {
  const placed = data.total - data.undated - data.coarser;
  const left = [];
  if (data.coarser) left.push(`${plural(data.coarser, "event")} dated less finely than a ${data.interval}`);
  if (data.undated) left.push(`${plural(data.undated, "undated event", "undated events")}`);
  const when = data.interval === "day" ? "on that day" : `in that ${data.interval}`;
  return `Each bar counts the events that start ${when}: ${placed.toLocaleString("en")} of `
    + `${plural(data.total, "event")} placed.` + (left.length ? ` Not in any bar: ${left.join(", ")}.` : "");
}

/** Draw the timeline into `container`; resolves to the timeline (with `total`) or null. */
export async function renderTimeline(container, filters, interval, { hrefFor, go, isCurrent }) {
  const switcher = h("div", { class: "segmented", role: "group", "aria-label": "Bar size" },
    INTERVALS.map((name) => h("a", {
      href: hrefFor(filters, name), class: "segment", "aria-current": name === interval ? "true" : null,
      dataset: { focusKey: `interval:${name}` },
    }, name)));
  const figure = h("figure", { class: "timeline" }, status("Loading the timeline…"));
  fill(container, switcher, figure);
  let data;
  try {
    data = await get("/events/timeline", { ...filters, interval });
  } catch (error) {
    if (!isCurrent()) return null;
    // Too many bars is a 422 whose message already says to choose larger bars or fewer dates.
    fill(figure, status(error.message, "error"));
    return null;
  }
  if (!isCurrent()) return null;
  fill(figure,
    data.buckets.length ? chart(data, filters, { hrefFor: (f) => hrefFor(f, interval), go }) : status("No dated events to draw."),
    h("figcaption", {}, caption(data)));
  return data;
}
