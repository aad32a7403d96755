// The home view's filters, as they stand in its URL: /?q=putin&type=CONSULT&from=2025-01-01

export const LIST_FILTERS = ["type", "status", "actor", "region", "source"];
export const TEXT_FILTERS = ["q", "from", "to"];
export const INTERVALS = ["year", "month", "day"];

/** The filters in URL parameters: {q, from, to, type: [...], ...}. */
export function readFilters(params) {
  const filters = {};
  for (const name of TEXT_FILTERS) filters[name] = params.get(name)?.trim() || null;
  for (const name of LIST_FILTERS) filters[name] = [...new Set(params.getAll(name).filter(Boolean))];
  return filters;
}

/** Whether any filter is set. */
export function anyFilter(filters) {
  return TEXT_FILTERS.some((name) => filters[name]) || LIST_FILTERS.some((name) => filters[name].length);
}

/** A copy with `value` added to or removed from the list filter `name`. */
export function toggled(filters, name, value) {
  const values = filters[name].includes(value) ? filters[name].filter((v) => v !== value) : [...filters[name], value];
  return { ...filters, [name]: values };
}

/** The first and last day a timeline bucket ("2025", "2025-08", "2025-08-15") covers. */
export function bucketRange(start) {
  const [year, month, day] = start.split("-");
  if (day) return { from: start, to: start };
  if (month) {
    const last = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
    return { from: `${year}-${month}-01`, to: `${year}-${month}-${String(last).padStart(2, "0")}` };
  }
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** Whether the date range is exactly that bucket. */
export function isBucket(filters, start) {
  const range = bucketRange(start);
  return filters.from === range.from && filters.to === range.to;
}
