// Search results grouped by kind, from /api/v1/search, each hit with its matching words
// marked in a snippet.

import { ApiError, get } from "./api.js";
import { h, fill, status } from "./dom.js";
import { plural } from "./format.js";
import { to } from "./router.js";
import { codePoints } from "./spans.js";

const KINDS = [
  { kind: "event", title: "Events" },
  { kind: "actor", title: "Actors" },
  { kind: "region", title: "Regions" },
  { kind: "quote", title: "Quotes" },
];

/** The parts of a snippet, its matched offsets (code points) marked. */
export function snippetParts(match) {
  const chars = codePoints(match.snippet);
  const parts = [];
  let at = 0;
  for (const [start, end] of match.offsets || []) {
    if (start < at || end > chars.length) continue;
    parts.push(chars.slice(at, start).join(""), h("mark", { class: "hit" }, chars.slice(start, end).join("")));
    at = end;
  }
  parts.push(chars.slice(at).join(""));
  return parts;
}

/** The groups of a search answer, in display order: [{kind, total, items}]. */
export function groupsOf(body) {
  return KINDS.map(({ kind }) => {
    const name = `${kind}s`;
    const items = body.data?.[name] ?? [];
    return { kind, total: body.meta?.total?.[name] ?? items.length, items };
  });
}

// A quote hit names no source; its detail gives the source and span to link to (at most
// `limit` requests, made together).
async function withSources(items) {
  const details = await Promise.allSettled(items.map((item) => get(`/quotes/${encodeURIComponent(item.id)}`)));
  return items.map((item, index) => {
    const detail = details[index].status === "fulfilled" ? details[index].value : {};
    return { ...item, source: detail.source, span: detail.span, speaker: detail.speaker, kind: detail.kind };
  });
}

const NAMED_BY = { event: "title", actor: "name", region: "name" };

function hit(kind, item) {
  if (kind === "quote") {
    const words = item.match ? snippetParts(item.match) : item.text;
    const about = [item.kind, item.speaker && `by ${item.speaker.name}`, item.source && `in “${item.source.title}”`];
    return h("li", { class: "hit quote" },
      item.source ? h("a", { href: to.source(item.source.id, item.span) }, words) : h("span", {}, words),
      h("p", { class: "meta" }, about.filter(Boolean).join(" ")));
  }
  const label = item[NAMED_BY[kind]] ?? item.id;
  const href = { event: to.event, actor: to.actor, region: to.region }[kind](item.id);
  // A hit on the name itself is shown marked in the link; elsewhere, the snippet says where.
  const onLabel = item.match && item.match.field === NAMED_BY[kind];
  return h("li", { class: `hit ${kind}` },
    h("a", { href }, onLabel ? snippetParts(item.match) : label),
    item.match && !onLabel ? h("p", { class: "snippet" }, h("span", { class: "field" }, `${item.match.field}: `), snippetParts(item.match)) : null);
}

/** Fill `container` with the hits for `q`, grouped by kind. */
export async function renderSearch(container, q, { isCurrent }) {
  fill(container, status(`Searching for “${q}”…`));
  let body;
  try {
    body = await get("/search", { q });
  } catch (error) {
    if (!isCurrent()) return;
    const missing = error instanceof ApiError && error.status === 404;
    fill(container, status(missing ? "Search is not available on this server." : error.message, "error"));
    return;
  }
  if (!isCurrent()) return;
  const groups = groupsOf(body).filter((group) => group.items.length);
  const quotes = groups.find((group) => group.kind === "quote");
  if (quotes) quotes.items = await withSources(quotes.items);
  if (!isCurrent()) return;
  if (!groups.length) {
    fill(container, status(`Nothing matches “${q}”.`));
    return;
  }
  fill(container, h("div", { class: "hit-groups" }, groups.map((group) => {
    const title = KINDS.find((k) => k.kind === group.kind).title;
    const hidden = group.total - group.items.length;
    return h("section", { class: "hit-group", "aria-labelledby": `hits-${group.kind}` },
      h("h3", { id: `hits-${group.kind}` }, title, " ", h("span", { class: "count" }, plural(group.total, "match", "matches"))),
      h("ul", { class: "plain" }, group.items.map((item) => hit(group.kind, item))),
      hidden > 0 ? h("p", { class: "hint" }, `and ${hidden.toLocaleString("en")} more`) : null);
  })));
}
