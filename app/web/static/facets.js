// Filter chips with counts, from /events/facets: how the filtered events divide by type,
// status, region, actor and year. A chip toggles its filter; years set the date range.

import { get } from "./api.js";
import { h, fill, status } from "./dom.js";
import { bucketRange, isBucket, toggled } from "./filters.js";

export const FACETS = [
  { name: "type", title: "Type" },
  { name: "status", title: "Status" },
  { name: "region", title: "Region" },
  { name: "actor", title: "Actor" },
  { name: "year", title: "Year" },
];
const SIZE = 8;

function chip({ label, count, pressed, key, onClick }) {
  return h("li", {}, h("button", {
    type: "button", class: "chip", "aria-pressed": pressed ? "true" : "false",
    dataset: { focusKey: key }, onclick: onClick,
  }, label, count === null ? null : h("span", { class: "count" }, count.toLocaleString("en"))));
}

function facetGroup(facet, data, filters, go) {
  const values = data?.values ?? [];
  const chips = values.map((item) => {
    if (facet.name === "year") {
      const pressed = isBucket(filters, item.value);
      const range = pressed ? { from: null, to: null } : bucketRange(item.value);
      return chip({ label: item.label, count: item.count, pressed, key: `year:${item.value}`,
        onClick: () => go({ ...filters, ...range }) });
    }
    return chip({ label: item.label, count: item.count, pressed: filters[facet.name].includes(item.value),
      key: `${facet.name}:${item.value}`, onClick: () => go(toggled(filters, facet.name, item.value)) });
  });
  // A value filtered on but not among the commonest still shows, so it can be undone.
  const shown = new Set(values.map((item) => item.value));
  for (const value of facet.name === "year" ? [] : filters[facet.name]) {
    if (!shown.has(value)) {
      chips.push(chip({ label: value, count: null, pressed: true, key: `${facet.name}:${value}`,
        onClick: () => go(toggled(filters, facet.name, value)) }));
    }
  }
  const hidden = (data?.distinct ?? 0) - values.length;
  return h("section", { class: "facet", "aria-labelledby": `facet-${facet.name}` },
    h("h3", { id: `facet-${facet.name}` }, facet.title),
    chips.length ? h("ul", { class: "chips" }, chips) : h("p", { class: "hint" }, "None among these events."),
    hidden > 0 ? h("p", { class: "hint" }, `and ${hidden.toLocaleString("en")} more`) : null);
}

/** Fill `container` with the facet chips for `filters`; `go(filters)` applies a change. */
export async function renderFacets(container, filters, { go, isCurrent }) {
  fill(container, status("Counting…"));
  let data;
  try {
    data = await get("/events/facets", { ...filters, facet: FACETS.map((f) => f.name), facet_size: SIZE });
  } catch (error) {
    if (isCurrent()) fill(container, status(error.message, "error"));
    return null;
  }
  if (!isCurrent()) return null;
  fill(container, FACETS.map((facet) => facetGroup(facet, data.facets[facet.name], filters, go)));
  return data;
}
