// One event: what happened, who, where (with each region's place in the hierarchy),
// its figures, and every evidence quote, each a link to its exact span in the source.

import { get } from "./api.js";
import { h, fill, status } from "./dom.js";
import { QUOTE_KINDS, eventDate, spanText } from "./format.js";
import { to } from "./router.js";

function breadcrumb(region, detail) {
  const path = detail?.path ?? [];
  const crumbs = [...path, { id: region.id, name: region.name }];
  return h("li", {},
    h("nav", { class: "breadcrumb", "aria-label": `Where ${region.name} lies` },
      h("ol", {}, crumbs.map((crumb, index) => h("li", {},
        h("a", { href: to.region(crumb.id), "aria-current": index === crumbs.length - 1 ? "page" : null }, crumb.name))))));
}

/** A quote as a link to its span in the source. */
export function quoteCard(quote, sourceId, extra = null) {
  const speaker = quote.kind === "statement" && quote.speaker
    ? [" by ", h("a", { href: to.actor(quote.speaker.id) }, quote.speaker.name)] : null;
  return h("figure", { class: `quote-card ${quote.kind}`, dataset: { quote: quote.id } },
    h("blockquote", {},
      h("a", { href: to.source(sourceId, quote.span), class: "quote-link", title: "Open in the source, highlighted" }, quote.text)),
    h("figcaption", {},
      h("span", { class: `badge ${quote.kind}`, title: QUOTE_KINDS[quote.kind] }, quote.kind), speaker,
      ` · ${spanText(quote.span)}`, extra));
}

function figureItem(figure, sourceId) {
  const value = Number.isInteger(figure.value) ? figure.value.toLocaleString("en") : String(figure.value);
  return h("li", {}, h("strong", {}, `${value} ${figure.unit}`), ": “",
    h("a", { href: to.source(sourceId, figure.span) }, figure.text), "”");
}

async function regionDetails(regions) {
  // One request per region of this event (a handful), for the path each breadcrumb shows.
  const answers = await Promise.allSettled(regions.map((region) => get(`/regions/${encodeURIComponent(region.id)}`)));
  return answers.map((answer) => (answer.status === "fulfilled" ? answer.value : null));
}

/** The event view. */
export async function render(main, { id }, isCurrent) {
  fill(main, h("h1", { tabindex: "-1" }, "Event"), status("Loading the event…"));
  const event = await get(`/events/${encodeURIComponent(id)}`);
  const details = await regionDetails(event.regions || []);
  if (!isCurrent()) return;
  document.title = `${event.title} – geoevents`;
  const sourceId = event.source.id;
  const actorList = (event.actors || []).map((actor) => h("li", {},
    h("a", { href: to.actor(actor.id) }, actor.name), " ", h("span", { class: "role" }, actor.role)));
  fill(main,
    h("article", { class: "event-view" },
      h("p", { class: "kicker" }, h("span", { class: "badge type", title: "PLOVER event type" }, event.type),
        " ", h("span", { class: `badge status ${event.status}` }, event.status)),
      h("h1", { tabindex: "-1" }, event.title),
      h("p", { class: "meta" }, h("time", { datetime: event.date?.start || null }, eventDate(event.date)),
        event.location ? ` · ${event.location}` : null),
      h("p", { class: "summary" }, event.summary),
      h("div", { class: "columns" },
        h("section", { "aria-labelledby": "actors-title" }, h("h2", { id: "actors-title" }, "Actors"),
          actorList.length ? h("ul", { class: "plain" }, actorList) : status("No actors coded.")),
        h("section", { "aria-labelledby": "regions-title" }, h("h2", { id: "regions-title" }, "Regions"),
          event.regions?.length
            ? h("ul", { class: "plain" }, event.regions.map((region, index) => breadcrumb(region, details[index])))
            : status("No regions coded."))),
      event.figures?.length ? h("section", { "aria-labelledby": "figures-title" },
        h("h2", { id: "figures-title" }, "Figures"), h("ul", { class: "plain" }, event.figures.map((f) => figureItem(f, sourceId)))) : null,
      h("section", { "aria-labelledby": "evidence-title" },
        h("h2", { id: "evidence-title" }, "Evidence"),
        h("p", { class: "hint" }, "Each quote opens its source with the quoted words highlighted."),
        (event.quotes || []).map((quote) => quoteCard(quote, sourceId))),
      h("section", { "aria-labelledby": "source-title" },
        h("h2", { id: "source-title" }, "Source"),
        h("p", {}, h("a", { href: to.source(sourceId) }, event.source.title)),
        event.citation?.text ? h("p", { class: "citation" }, event.citation.text) : null)));
}
