// Building DOM nodes. Every string becomes a text node or an attribute value: nothing
// from the data is ever parsed as HTML, so a name like <img onerror=...> stays text.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

function assign(element, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      Object.assign(element.dataset, value);
    } else if (key === "class") {
      element.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    } else {
      element.setAttribute(key, value === true ? "" : String(value));
    }
  }
  return element;
}

/** An HTML element: h("a", {href: "/x"}, "text", child, [more]). */
export function h(tag, props, ...children) {
  return append(assign(document.createElement(tag), props), children);
}

/** An SVG element, same calling convention as h. */
export function svg(tag, props, ...children) {
  return append(assign(document.createElementNS(SVG_NS, tag), props), children);
}

/** Replace an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** A paragraph announcing a state ("Loading…", "No events.") to assistive technology too. */
export function status(text, kind = "status") {
  return h("p", { class: `status ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

/** A section with a heading; returns [section, body] so the body can be filled later. */
export function section(title, { id, level = 2, className } = {}) {
  const body = h("div", { class: "section-body" }, status("Loading…"));
  const heading = h(`h${level}`, { id }, title);
  return [h("section", { class: ["panel", className], "aria-labelledby": id }, heading, body), body];
}

// Re-rendering a view replaces its controls; the one that had focus gets it back by its
// data-focus-key, so a keyboard user toggling filters keeps their place.
let focusKey = null;

/** Note which keyed control has focus, before a re-render. */
export function rememberFocus() {
  focusKey = document.activeElement?.dataset?.focusKey ?? null;
  return focusKey !== null;
}

/** Give focus back to the remembered control if `container` now holds it. */
export function restoreFocus(container) {
  if (focusKey === null) return false;
  const element = container.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
  if (!element) return false;
  element.focus();
  focusKey = null;
  return true;
}
