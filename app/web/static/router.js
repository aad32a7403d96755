// Views by URL: every view has a path of its own, pushed on the history, so links can be
// shared and back and forward work. Links inside the page navigate without a reload.

import { ROOT } from "./api.js";

const VIEW_PATH = /^\/(?:(events|actors|regions|sources)\/([^/]+))?\/?$/;

/** The view the current location names: {name, id, params}. */
export function currentView() {
  let path = location.pathname;
  if (ROOT && path.startsWith(ROOT)) path = path.slice(ROOT.length) || "/";
  const match = VIEW_PATH.exec(path);
  const params = new URLSearchParams(location.search);
  if (!match) return { name: "missing", id: null, params };
  if (!match[1]) return { name: "home", id: null, params };
  return { name: match[1].slice(0, -1), id: decodeURIComponent(match[2]), params };
}

/** The page URL of a view: href("/events/x", {span: "1-2"}). */
export function href(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
  }
  const text = query.toString();
  return `${ROOT}${path}${text ? `?${text}` : ""}`;
}

/** Page URLs of the records the views show. */
export const to = {
  home: (params) => href("/", params),
  event: (id) => href(`/events/${encodeURIComponent(id)}`),
  actor: (id) => href(`/actors/${encodeURIComponent(id)}`),
  region: (id) => href(`/regions/${encodeURIComponent(id)}`),
  source: (id, span) => href(`/sources/${encodeURIComponent(id)}`, span ? { span: `${span.start}-${span.end}` } : {}),
};

let onChange = () => {};

/** Go to `url` (a page URL from href), as a new history entry. */
export function navigate(url) {
  // Remember where the reader was, so back returns to the same place in a long list.
  history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, "");
  history.pushState({}, "", url);
  onChange({ restoreScroll: false });
}

function isOwnLink(anchor, event) {
  if (!anchor || event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  if (anchor.target || anchor.hasAttribute("download") || anchor.origin !== location.origin) return false;
  // A link to a place in this page (the skip link) is the browser's to follow.
  if (anchor.hash && anchor.pathname === location.pathname && anchor.search === location.search) return false;
  let path = anchor.pathname;
  if (ROOT && path.startsWith(ROOT)) path = path.slice(ROOT.length) || "/";
  return VIEW_PATH.test(path);
}

/** Call `render` now and on every navigation (links, back, forward). */
export function start(render) {
  onChange = render;
  history.scrollRestoration = "manual";
  document.addEventListener("click", (event) => {
    const anchor = event.target.closest?.("a[href]");
    if (!isOwnLink(anchor, event)) return;
    event.preventDefault();
    if (anchor.href !== location.href) navigate(anchor.href);
  });
  window.addEventListener("popstate", () => onChange({ restoreScroll: true }));
  onChange({ restoreScroll: true });
}
