// An actor: who it is, the actors it appears with, its events, its quotes, its mentions.

import { apiUrl, get } from "./api.js";
import { h, fill, section, status } from "./dom.js";
import { quoteCard } from "./event.js";
import { eventsPanel, mentionsPanel } from "./mentions.js";
import { renderNetwork } from "./network.js";
import { pagedList } from "./paged.js";
import { to } from "./router.js";

function quoteItem(quote) {
  const events = quote.events?.length
    ? [" · about ", quote.events.map((event, i) => [i ? ", " : "", h("a", { href: to.event(event.id) }, event.title)])] : null;
  return h("li", {}, quoteCard(quote, quote.source.id, events));
}

/** The actor view. */
export async function render(main, { id }, isCurrent) {
  fill(main, h("h1", { tabindex: "-1" }, "Actor"), status("Loading the actor…"));
  const path = `/actors/${encodeURIComponent(id)}`;
  const actor = await get(path);
  if (!isCurrent()) return;
  document.title = `${actor.name} – geoevents`;
  const [networkPanel, networkBody] = section("Appears with", { id: "network-title" });
  const [quotesPanel, quotesBody] = section("Quotes", { id: "quotes-title" });
  const aliases = (actor.aliases || []).filter((alias) => alias !== actor.name);
  const [eventsBlock, eventsDrawn] = eventsPanel(`${path}/events`, isCurrent);
  const [mentionsBlock, mentionsDrawn] = mentionsPanel(`${path}/mentions`, isCurrent);
  fill(main, h("article", { class: "actor-view" },
    h("p", { class: "kicker" }, h("span", { class: "badge" }, actor.kind)),
    h("h1", { tabindex: "-1" }, actor.name),
    actor.description ? h("p", { class: "summary" }, actor.description) : null,
    actor.affiliation ? h("p", { class: "meta" }, "Affiliated with ", h("a", { href: to.actor(actor.affiliation.id) }, actor.affiliation.name)) : null,
    aliases.length ? h("p", { class: "meta" }, `Also named: ${aliases.join(", ")}`) : null,
    h("p", { class: "meta" }, h("a", { href: to.home({ actor: actor.id }) }, "Explore its events on the timeline")),
    h("div", { class: "columns" }, networkPanel, eventsBlock),
    h("div", { class: "columns" }, quotesPanel, mentionsBlock)));
  await Promise.all([eventsDrawn, mentionsDrawn, renderNetwork(networkBody, id, isCurrent),
    pagedList(quotesBody, apiUrl(`${path}/quotes`, { limit: 10 }), {
      renderItem: quoteItem, empty: "No statements quoted.", label: "Quotes", isCurrent })]);
}
