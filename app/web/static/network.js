// The actors an actor appears with, from /actors/{id}/network: the actor in the middle,
// co-actors around it (nearer the top the more events they share), lines for shared events.

import { get } from "./api.js";
import { h, svg, fill, status } from "./dom.js";
import { plural } from "./format.js";
import { to } from "./router.js";

const SIZE = 360;
const CENTER = SIZE / 2;
const RADIUS = 130;
const MAX_DRAWN = 16;

function drawing(network) {
  const nodes = network.nodes.slice(0, MAX_DRAWN);
  const at = new Map([[network.actor.id, { x: CENTER, y: CENTER }]]);
  nodes.forEach((node, index) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * index) / nodes.length;
    at.set(node.id, { x: CENTER + RADIUS * Math.cos(angle), y: CENTER + RADIUS * Math.sin(angle) });
  });
  const line = (a, b, count, cls) => svg("line", { x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
    class: cls, "stroke-width": Math.min(6, count) }, svg("title", {}, plural(count, "shared event")));
  const spokes = nodes.map((node) => line(at.get(network.actor.id), at.get(node.id), node.count, "edge spoke"));
  const between = network.edges.filter((e) => at.has(e.actors[0]) && at.has(e.actors[1]))
    .map((e) => line(at.get(e.actors[0]), at.get(e.actors[1]), e.count, "edge"));
  const node = (item, main) => {
    const { x, y } = at.get(item.id);
    const anchor = x < CENTER - 10 ? "end" : x > CENTER + 10 ? "start" : "middle";
    const dx = anchor === "end" ? -10 : anchor === "start" ? 10 : 0;
    // Beside a node on either side, above or below one at the top or bottom.
    const dy = main ? 26 : anchor !== "middle" ? 4 : y < CENTER ? -12 : 22;
    const shape = svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: main ? 12 : 7, class: `node ${item.kind}${main ? " main" : ""}` });
    const label = svg("text", { x: (x + dx).toFixed(1), y: (y + dy).toFixed(1), "text-anchor": main ? "middle" : anchor, class: "label" }, item.name);
    if (main) return svg("g", {}, shape, label);
    return svg("a", { href: to.actor(item.id), "aria-label": `${item.name}: ${plural(item.count, "shared event")}` },
      shape, label, svg("title", {}, `${item.name}: ${plural(item.count, "shared event")}`));
  };
  return svg("svg", { viewBox: `-140 0 ${SIZE + 280} ${SIZE}`, class: "network", role: "group",
    "aria-label": `${network.actor.name} and the actors it appears with` },
  spokes, between, nodes.map((n) => node(n, false)), node(network.actor, true));
}

/** Fill `container` with the network drawing and the list of co-actors. */
export async function renderNetwork(container, actorId, isCurrent) {
  let network;
  try {
    network = await get(`/actors/${encodeURIComponent(actorId)}/network`);
  } catch (error) {
    if (isCurrent()) fill(container, status(error.message, "error"));
    return;
  }
  if (!isCurrent()) return;
  if (!network.nodes.length) {
    fill(container, status("Appears with no other actor."));
    return;
  }
  const more = network.nodes.length > MAX_DRAWN ? ` The drawing shows the ${MAX_DRAWN} with the most shared events.` : "";
  fill(container,
    h("figure", { class: "network-figure" }, drawing(network),
      h("figcaption", {}, `${plural(network.nodes.length, "actor")} share events with ${network.actor.name}.${more}`)),
    h("ul", { class: "plain co-actors" }, network.nodes.map((node) => h("li", {},
      h("a", { href: to.actor(node.id) }, node.name), ` · ${plural(node.count, "shared event")}`))));
}
