// The only way the explorer reaches data: same-origin GETs on the public API.

export const ROOT = document.querySelector('meta[name="geoevents-root"]')?.content ?? "";
export const API = `${ROOT}/api/v1`;

// A problem in words for the reader: each invalid parameter by its name ("from: ..."), or the detail.
function explain(problem) {
  if (Array.isArray(problem?.errors) && problem.errors.length) {
    return problem.errors.map((error) => {
      const field = String(error.location ?? "").replace(/^query\.?/, "");
      return field ? `${field}: ${error.message}` : error.message;
    }).join("; ");
  }
  return problem?.detail || problem?.title;
}

/** An API answer other than 2xx, carrying its problem+json detail when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(explain(problem) || `The API answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

/** `path` under /api/v1 with `params` as a query; arrays become repeated parameters. */
export function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
  }
  const text = query.toString();
  return `${API}${path}${text ? `?${text}` : ""}`;
}

/** A `links.next` URL as a same-origin path, whatever host the API wrote into it. */
export function localUrl(url) {
  const parsed = new URL(url, location.href);
  return parsed.pathname + parsed.search;
}

/** GET JSON from a path made by apiUrl (or a links.next); throws ApiError on a problem. */
export async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let problem = null;
    if ((response.headers.get("content-type") || "").includes("json")) {
      problem = await response.json().catch(() => null);
    }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

/** Shortcut: getJSON(apiUrl(path, params)). */
export function get(path, params) {
  return getJSON(apiUrl(path, params));
}
