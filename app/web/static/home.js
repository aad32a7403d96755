// The home view: search, filter chips, date range, timeline and the event list, all
// driven by the URL so every state can be shared and walked with back and forward.

import { apiUrl } from "./api.js";
import { h, fill, section, restoreFocus } from "./dom.js";
import { plural, shortDate } from "./format.js";
import { renderFacets } from "./facets.js";
import { INTERVALS, LIST_FILTERS, anyFilter, readFilters } from "./filters.js";
import { pagedList } from "./paged.js";
import { navigate, to } from "./router.js";
import { renderSearch } from "./search.js";
import { renderTimeline } from "./timeline.js";

const PAGE_SIZE = 20;
const LIST_FIELDS = "id,title,summary,date,type,status,location";

function eventItem(event) {
  return h("li", { class: "event-item" },
    h("h3", {}, h("a", { href: to.event(event.id) }, event.title)),
    h("p", { class: "meta" },
      h("span", { class: "badge type" }, event.type), " ",
      h("span", { class: `badge status ${event.status}` }, event.status), " ",
      h("time", { datetime: event.date?.start || null }, shortDate(event.date)),
      event.date?.precision && event.date.precision !== "unknown" && event.date.precision !== "day"
        ? ` (${event.date.precision})` : null,
      event.location ? ` · ${event.location}` : null),
    h("p", { class: "summary clamp" }, event.summary));
}

function activeFilters(filters, go) {
  const chips = [];
  const remove = (label, change, key) => chips.push(h("li", {}, h("button", {
    type: "button", class: "chip removable", dataset: { focusKey: key }, onclick: () => go({ ...filters, ...change }),
    "aria-label": `Remove filter ${label}`,
  }, label, h("span", { "aria-hidden": "true", class: "x" }, "×"))));
  if (filters.q) remove(`search: ${filters.q}`, { q: null }, "active:q");
  for (const name of LIST_FILTERS) {
    for (const value of filters[name]) {
      remove(`${name}: ${value}`, { [name]: filters[name].filter((v) => v !== value) }, `active:${name}:${value}`);
    }
  }
  if (filters.from || filters.to) remove(`dates: ${filters.from || "…"} to ${filters.to || "…"}`, { from: null, to: null }, "active:dates");
  if (!chips.length) return null;
  return h("div", { class: "active-filters" },
    h("h2", { class: "visually-hidden" }, "Active filters"),
    h("ul", { class: "chips" }, chips),
    h("a", { href: to.home(), class: "clear" }, "Clear all"));
}

function dateForm(filters, go) {
  const from = h("input", { type: "date", id: "filter-from", name: "from", value: filters.from || null });
  const until = h("input", { type: "date", id: "filter-to", name: "to", value: filters.to || null });
  return h("form", {
    class: "date-range",
    onsubmit: (event) => {
      event.preventDefault();
      go({ ...filters, from: from.value || null, to: until.value || null });
    },
  },
  h("h3", {}, "Dates"),
  h("p", { class: "hint" }, "Events whose dates overlap the range; undated events never match."),
  h("label", { for: "filter-from" }, "From"), from,
  h("label", { for: "filter-to" }, "To"), until,
  h("button", { type: "submit", dataset: { focusKey: "dates:apply" } }, "Apply dates"));
}

/** The home view; resolves when every panel is drawn. */
export async function render(main, { params }, isCurrent) {
  const filters = readFilters(params);
  const interval = INTERVALS.includes(params.get("interval")) ? params.get("interval") : "year";
  const urlFor = (f, i = interval) => to.home({ ...f, interval: i === "year" ? null : i });
  const go = (f) => navigate(urlFor(f));
  document.title = filters.q ? `“${filters.q}” – geoevents explorer` : "geoevents explorer";
  document.getElementById("search-q").value = filters.q || "";

  const [searchPanel, searchBody] = section(`Matches for “${filters.q}”`, { id: "search-title", className: "search-results" });
  const [timelinePanel, timelineBody] = section("Timeline", { id: "timeline-title" });
  const [listPanel, listBody] = section("Events", { id: "events-title" });
  const count = h("span", { class: "count", "aria-live": "polite" });
  listPanel.querySelector("h2").append(" ", count);
  const facetBody = h("div", { class: "facet-list" });
  fill(main,
    h("h1", { class: "visually-hidden", tabindex: "-1" }, anyFilter(filters) ? "Filtered events" : "All events"),
    activeFilters(filters, go),
    h("div", { class: "home" },
      h("aside", { class: "filters", "aria-label": "Filters" }, h("h2", {}, "Filter"), facetBody, dateForm(filters, go)),
      h("div", { class: "results" }, filters.q ? searchPanel : null, timelinePanel, listPanel)));
  restoreFocus(main);

  const context = { go, isCurrent, hrefFor: urlFor };
  const list = pagedList(listBody, apiUrl("/events", { ...filters, limit: PAGE_SIZE, fields: LIST_FIELDS }), {
    renderItem: eventItem, empty: "No events match these filters.", label: "Events", auto: true, isCurrent,
  });
  const searched = filters.q ? renderSearch(searchBody, filters.q, context) : null;
  // The list is what a reader looks at first. Counting a million events takes the server
  // longer than one page of them, so the counts are asked for once the page is in, not
  // beside it, where they would slow it down.
  await list;
  if (!isCurrent()) return;
  const facets = renderFacets(facetBody, filters, context).then(() => isCurrent() && restoreFocus(main));
  const timeline = renderTimeline(timelineBody, filters, interval, context).then((data) => {
    if (data && isCurrent()) count.textContent = plural(data.total, "event");
  });
  await Promise.all([timeline, facets, searched]);
}
