// Words for the values the API returns: dates at their precision, kinds, counts.

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

/** "2025-08-15" -> "15 August 2025", "2025-08" -> "August 2025", "2023" -> "2023". */
export function partialDate(value) {
  if (!value) return "";
  const [year, month, day] = value.split("-");
  if (day) return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
  if (month) return `${MONTHS[Number(month) - 1]} ${year}`;
  return year;
}

/** An event's date as written, never finer than its precision, with the precision named. */
export function eventDate(date) {
  if (!date || date.precision === "unknown" || !date.start) return "Date unknown";
  const start = partialDate(date.start);
  let text = start;
  if (date.end === null) text = `Since ${start}`;
  else if (date.end && date.end !== date.start) text = `${start} – ${partialDate(date.end)}`;
  return `${text} (${date.precision} precision)`;
}

/** A short date for lists: "2025-08-15", "2023", or "undated". */
export function shortDate(date) {
  if (!date || !date.start) return "undated";
  return date.end && date.end !== date.start ? `${date.start} – ${date.end}` : date.start;
}

/** "1 event", "3 events". */
export function plural(count, noun, nouns = `${noun}s`) {
  return `${count.toLocaleString("en")} ${count === 1 ? noun : nouns}`;
}

/** Characters 271–431, as offsets are written in the API's citations. */
export function spanText(span) {
  return `characters ${span.start}–${span.end}`;
}

export const QUOTE_KINDS = {
  statement: "Statement: an actor's own words",
  excerpt: "Excerpt: the source reporting facts",
  analysis: "Analysis: the source's own assessment",
};
