// A region: its place in the hierarchy, the regions inside it, its events, its mentions.

import { get } from "./api.js";
import { h, fill, status } from "./dom.js";
import { eventsPanel, mentionsPanel } from "./mentions.js";
import { to } from "./router.js";

/** The region view. */
export async function render(main, { id }, isCurrent) {
  fill(main, h("h1", { tabindex: "-1" }, "Region"), status("Loading the region…"));
  const path = `/regions/${encodeURIComponent(id)}`;
  const region = await get(path);
  if (!isCurrent()) return;
  document.title = `${region.name} – geoevents`;
  const crumbs = [...(region.path || []), { id: region.id, name: region.name }];
  const [eventsBlock, eventsDrawn] = eventsPanel(`${path}/events`, isCurrent, "Events here or inside");
  const [mentionsBlock, mentionsDrawn] = mentionsPanel(`${path}/mentions`, isCurrent);
  const facts = [region.kind, region.iso_code, region.lat !== null && region.lon !== null ? `${region.lat}, ${region.lon}` : null]
    .filter(Boolean).join(" · ");
  fill(main, h("article", { class: "region-view" },
    h("nav", { class: "breadcrumb", "aria-label": "Parent regions" },
      h("ol", {}, crumbs.map((crumb, index) => h("li", {},
        h("a", { href: to.region(crumb.id), "aria-current": index === crumbs.length - 1 ? "page" : null }, crumb.name))))),
    h("h1", { tabindex: "-1" }, region.name),
    h("p", { class: "meta" }, facts),
    region.description ? h("p", { class: "summary" }, region.description) : null,
    region.parent ? h("p", { class: "meta" }, "Inside ", h("a", { href: to.region(region.parent.id) }, region.parent.name)) : null,
    h("p", { class: "meta" }, h("a", { href: to.home({ region: region.id }) }, "Explore its events on the timeline")),
    h("div", { class: "columns" },
      h("section", { class: "panel", "aria-labelledby": "children-title" },
        h("h2", { id: "children-title" }, "Regions inside"),
        region.children?.length
          ? h("ul", { class: "plain" }, region.children.map((child) => h("li", {}, h("a", { href: to.region(child.id) }, child.name))))
          : status("None coded.")),
      eventsBlock),
    mentionsBlock));
  await Promise.all([eventsDrawn, mentionsDrawn]);
}
