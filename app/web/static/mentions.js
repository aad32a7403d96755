// Lists shared by the actor and region views: their events and where the sources name them.

import { apiUrl } from "./api.js";
import { h, section } from "./dom.js";
import { shortDate } from "./format.js";
import { pagedList } from "./paged.js";
import { to } from "./router.js";
import { codePoints } from "./spans.js";

const EVENT_FIELDS = "id,title,date,type,status";

function eventItem(event) {
  return h("li", {}, h("a", { href: to.event(event.id) }, event.title), " ",
    h("span", { class: "meta" }, `${event.type} · ${event.status} · ${shortDate(event.date)}`));
}

function mentionItem(mention) {
  const chars = codePoints(mention.context.text);
  const at = mention.context.offset;
  const length = codePoints(mention.alias).length;
  return h("li", {},
    h("p", { class: "snippet" }, chars.slice(0, at).join(""),
      h("mark", { class: "hit" }, chars.slice(at, at + length).join("")), chars.slice(at + length).join("")),
    h("p", { class: "meta" }, h("a", { href: to.source(mention.source.id, mention.span) },
      `${mention.source.title}, characters ${mention.span.start}–${mention.span.end}`)));
}

/** A panel listing the events at `path` (…/events), paged: [panel, first page drawn]. */
export function eventsPanel(path, isCurrent, title = "Events") {
  const [panel, body] = section(title, { id: "events-title" });
  return [panel, pagedList(body, apiUrl(path, { limit: 20, fields: EVENT_FIELDS }), {
    renderItem: eventItem, empty: "No events.", label: title, isCurrent })];
}

/** A panel listing the mentions at `path` (…/mentions), paged: [panel, first page drawn]. */
export function mentionsPanel(path, isCurrent) {
  const [panel, body] = section("Named in the sources", { id: "mentions-title" });
  return [panel, pagedList(body, apiUrl(path, { limit: 10 }), {
    renderItem: mentionItem, empty: "Not named in any source.", label: "Mentions", isCurrent })];
}
