// The explorer's entry point: draws the view the URL names, again on every navigation.

import { ApiError } from "./api.js";
import { h, fill, rememberFocus, status } from "./dom.js";
import { readFilters } from "./filters.js";
import { currentView, navigate, start, to } from "./router.js";
import * as actor from "./actor.js";
import * as event from "./event.js";
import * as home from "./home.js";
import * as region from "./region.js";
import * as source from "./source.js";

const VIEWS = { home, event, actor, region, source };
const main = document.getElementById("main");
let generation = 0;
let shown = null;

function failure(view, error) {
  const missing = error instanceof ApiError && error.status === 404;
  document.title = `${missing ? "Not found" : "Error"} – geoevents explorer`;
  fill(main,
    h("h1", { tabindex: "-1" }, missing ? `No such ${view.name}` : "Something went wrong"),
    status(error.message, "error"),
    h("p", {}, h("a", { href: to.home() }, "Back to all events")));
}

async function render({ restoreScroll }) {
  const view = currentView();
  const mine = ++generation;
  const isCurrent = () => mine === generation;
  // Filters changing on the same view keep the reader's place; a new view starts at its top.
  const sameView = shown !== null && shown.name === view.name && shown.id === view.id;
  shown = view;
  const kept = sameView && rememberFocus();
  const scrollY = history.state?.scrollY;
  if (!sameView && !restoreScroll) window.scrollTo(0, 0);
  main.removeAttribute("data-ready");
  let result = null;
  try {
    if (view.name === "missing") throw new ApiError(404, { detail: `Nothing is at ${location.pathname}.` });
    result = await VIEWS[view.name].render(main, view, isCurrent);
  } catch (error) {
    if (!isCurrent()) return;
    failure(view, error);
  }
  if (!isCurrent()) return;
  if (restoreScroll && typeof scrollY === "number") window.scrollTo(0, scrollY);
  // After an in-page navigation, focus the new view's heading as a page load would
  // announce it; the first load leaves focus where the browser puts it (the skip link first).
  if (mine > 1 && !sameView && !kept && !result?.focused) main.querySelector("h1")?.focus({ preventScroll: true });
  main.dataset.ready = "true";
  if (mine === 1) performance.mark("explorer-ready");
}

document.querySelector(".search-form").addEventListener("submit", (submitted) => {
  submitted.preventDefault();
  const q = document.getElementById("search-q").value.trim();
  const view = currentView();
  const onHome = view.name === "home";
  const filters = onHome ? readFilters(view.params) : {};
  navigate(to.home({ ...filters, q: q || null, interval: onHome ? view.params.get("interval") : null }));
});

start(render);
