// A list that fetches one keyset page at a time and follows links.next: on a million
// events it shows the first page at once and never asks for everything.

import { getJSON, localUrl } from "./api.js";
import { h, fill, status } from "./dom.js";

/**
 * Fill `container` with the list at `url`, one page at a time.
 * renderItem(item) -> <li>; `auto` also loads the next page as the list's end scrolls
 * into view (the button stays for keyboards). `isCurrent()` false drops late answers.
 * Returns a promise settled when the first page is shown.
 */
export function pagedList(container, url, { renderItem, empty, label, auto = false, isCurrent = () => true }) {
  const list = h("ol", { class: "items", "aria-label": label });
  const more = h("button", { type: "button", class: "more" }, "Show more");
  const footer = h("div", { class: "list-footer" });
  let next = url;
  let loading = false;
  let observer = null;

  async function load() {
    if (!next || loading) return;
    loading = true;
    more.disabled = true;
    more.textContent = "Loading…";
    const first = next === url;
    try {
      const page = await getJSON(next);
      if (!isCurrent()) return;
      next = page.links?.next ? localUrl(page.links.next) : null;
      if (first && page.data.length === 0) {
        fill(container, status(empty));
        return;
      }
      for (const item of page.data) list.appendChild(renderItem(item));
      if (first) fill(container, list, footer);
      if (next && first) {
        footer.appendChild(more);
        if (auto && "IntersectionObserver" in window) {
          observer = new IntersectionObserver((entries) => {
            if (entries.some((entry) => entry.isIntersecting) && isCurrent()) load();
          }, { rootMargin: "300px" });
          observer.observe(more);
        }
      }
      if (!next) {
        more.remove();
        observer?.disconnect();
      }
    } catch (error) {
      if (isCurrent()) fill(first ? container : footer, status(error.message, "error"));
    } finally {
      loading = false;
      more.disabled = false;
      more.textContent = "Show more";
    }
  }

  more.addEventListener("click", load);
  return load();
}
