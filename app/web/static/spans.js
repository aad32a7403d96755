// Where to cut a source's text to mark it up. Offsets are the API's code-point offsets,
// so the text is handled as an array of code points, never as UTF-16 string indices.

/** The text as code points: chars.slice(start, end).join("") is the API's text[start:end]. */
export function codePoints(text) {
  return Array.from(text);
}

const kindOrder = (mention) => (mention.type === "actor" ? 0 : 1);

/**
 * Split mentions into `primary` ones, which do not overlap and can be links over their
 * text, and `secondary` ones (a region named by the same word as an actor, "Assad" inside
 * "Assad government"), each with the offset after which a small link to it is placed.
 */
export function layoutMentions(mentions) {
  const sorted = [...mentions].sort((a, b) =>
    a.span.start - b.span.start || (b.span.end - b.span.start) - (a.span.end - a.span.start) || kindOrder(a) - kindOrder(b));
  const primary = [];
  const secondary = [];
  let reached = -1;
  for (const mention of sorted) {
    if (mention.span.start >= reached) {
      primary.push(mention);
      reached = mention.span.end;
    } else {
      secondary.push(mention);
    }
  }
  // A marker never stands inside a primary link: links cannot nest.
  const inside = (offset) => primary.find((m) => m.span.start < offset && offset < m.span.end);
  for (const mention of secondary) {
    mention.markerAt = inside(mention.span.end)?.span.end ?? mention.span.end;
  }
  return { primary, secondary };
}

/**
 * The runs of text between every boundary: [{start, end, quote, mention, selected, markers}],
 * where `quote` and `mention` are the annotations covering the whole run (or null),
 * `selected` says whether the run lies in the selected span, and `markers` are the
 * secondary mentions whose marker follows the run.
 */
export function textRuns(length, { quotes = [], mentions = [], selected = null }) {
  const { primary, secondary } = layoutMentions(mentions);
  const cuts = new Set([0, length]);
  const add = (offset) => { if (offset >= 0 && offset <= length) cuts.add(offset); };
  for (const item of [...quotes, ...primary]) { add(item.span.start); add(item.span.end); }
  for (const mention of secondary) add(mention.markerAt);
  if (selected) { add(selected.start); add(selected.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const covering = (items, start, end) => items.find((item) => item.span.start <= start && end <= item.span.end) || null;
  const runs = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [start, end] = [points[i], points[i + 1]];
    runs.push({
      start,
      end,
      quote: covering(quotes, start, end),
      mention: covering(primary, start, end),
      selected: Boolean(selected && selected.start <= start && end <= selected.end),
      markers: secondary.filter((mention) => mention.markerAt === end),
    });
  }
  return runs;
}
