// A source document, whole, with every quote highlighted by kind and every actor and
// region mention linked; ?span=START-END selects those exact code-point offsets.

import { get } from "./api.js";
import { h, fill, status } from "./dom.js";
import { QUOTE_KINDS, partialDate, plural, spanText } from "./format.js";
import { to } from "./router.js";
import { codePoints, textRuns } from "./spans.js";

function parseSpan(value, length) {
  const match = /^(\d+)-(\d+)$/.exec(value || "");
  if (!match) return null;
  const [start, end] = [Number(match[1]), Number(match[2])];
  return start < end && end <= length ? { start, end } : { invalid: value };
}

function mentionLink(mention, text) {
  const target = mention.type === "actor" ? to.actor(mention.id) : to.region(mention.id);
  const label = `${mention.name} (${mention.type})`;
  return h("a", { href: target, class: `mention ${mention.type}`, title: label }, text);
}

function marker(mention) {
  // An empty link: its visible glyph comes from CSS, so the text (and its offsets) stays intact.
  const label = `${mention.name} (${mention.type})`;
  return h("a", { href: mention.type === "actor" ? to.actor(mention.id) : to.region(mention.id),
    class: `mention-marker ${mention.type}`, title: label, "aria-label": label });
}

function quoteMark(quote) {
  const label = quote.kind === "statement" && quote.speaker ? `statement by ${quote.speaker.name}` : quote.kind;
  return h("mark", {
    class: `quote ${quote.kind}`,
    title: `${label}: ${quote.id}, ${spanText(quote.span)}`,
    dataset: { quote: quote.id, kind: quote.kind, start: quote.span.start, end: quote.span.end },
  });
}

/** The document text as nodes: quote marks, selected spans and mention links, never HTML. */
export function markedText(text, annotations, selected) {
  const chars = codePoints(text);
  const runs = textRuns(chars.length, { ...annotations, selected });
  const root = h("div", { class: "document-text" });
  // Three levels of containers: quote mark > selected span > mention link; a level is
  // reopened whenever its key changes, and every deeper level with it.
  let quote, chosen, mention, inQuote, inSelection, inLink;
  for (const run of runs) {
    if (run.quote !== quote) {
      quote = run.quote;
      inQuote = quote ? root.appendChild(quoteMark(quote)) : root;
      chosen = undefined;
    }
    if (run.selected !== chosen) {
      chosen = run.selected;
      inSelection = chosen
        ? inQuote.appendChild(h("span", { class: "selected", dataset: { start: selected.start, end: selected.end } }))
        : inQuote;
      mention = undefined;
    }
    if (run.mention !== mention) {
      mention = run.mention;
      inLink = mention ? inSelection.appendChild(mentionLink(mention, "")) : inSelection;
    }
    inLink.appendChild(document.createTextNode(chars.slice(run.start, run.end).join("")));
    for (const other of run.markers) {
      inSelection.appendChild(marker(other));
      mention = undefined;
    }
  }
  return root;
}

function legend() {
  return h("section", { class: "legend", "aria-labelledby": "legend-title" },
    h("h2", { id: "legend-title" }, "Legend"),
    h("ul", {},
      Object.entries(QUOTE_KINDS).map(([kind, text]) => h("li", {}, h("mark", { class: `quote ${kind}` }, kind), " ", text)),
      h("li", {}, h("span", { class: "mention actor" }, "Actor"), " a person, state or group named in the text (links to it)"),
      h("li", {}, h("span", { class: "mention region" }, "Region"), " a place named in the text (links to it)"),
      h("li", {}, h("span", { class: "mention-marker actor" }), h("span", { class: "mention-marker region" }),
        " another actor or region named by the same words"),
      h("li", {}, h("span", { class: "selected" }, "Selected"), " the span you followed here")));
}

/** The source view. */
export async function render(main, { id, params }, isCurrent) {
  const body = h("div", { class: "source-view" }, status("Loading the document…"));
  fill(main, h("h1", { tabindex: "-1" }, "Source"), body);
  const source = await get(`/sources/${encodeURIComponent(id)}`, { annotate: "true" });
  if (!isCurrent()) return;
  document.title = `${source.title} – geoevents`;
  const length = codePoints(source.text).length;
  const span = parseSpan(params.get("span"), length);
  const annotations = source.annotations || { quotes: [], mentions: [] };
  const facts = [
    source.publisher && `Published by ${source.publisher}`,
    source.published_date && partialDate(source.published_date),
    plural(length, "character"),
    plural(source.event_count ?? 0, "event"),
    plural(source.quote_count ?? annotations.quotes.length, "quote"),
    plural(annotations.mentions.length, "mention"),
  ].filter(Boolean);
  const url = /^https?:\/\//.test(source.url || "") ? h("a", { href: source.url, rel: "noopener noreferrer" }, source.url) : null;
  const selectedNote = span?.invalid
    ? status(`The span ${span.invalid} is not within this document (0–${length}); nothing is selected.`, "error")
    : span && h("p", { class: "selection-note" }, `Selected: ${spanText(span)}. `,
      h("a", { href: to.source(id) }, "Clear the selection"));
  fill(main,
    h("h1", { tabindex: "-1" }, source.title),
    h("p", { class: "meta" }, facts.join(" · "), url && " · ", url),
    h("p", { class: "meta" }, h("a", { href: to.home({ source: id }) }, "Explore its events")),
    selectedNote,
    legend(),
    h("article", { class: "document", "aria-label": "Document text" },
      markedText(source.text, annotations, span && !span.invalid ? span : null)));
  const first = main.querySelector(".document-text .selected");
  if (first) {
    first.setAttribute("tabindex", "-1");
    first.scrollIntoView({ block: "center" });
    first.focus({ preventScroll: true });
    return { focused: true };
  }
  return {};
}
