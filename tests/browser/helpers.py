"""What the browser tests expect from the seed brief, and how they measure the page."""

from tests.browser.conftest import ROOT, Watched

BRIEF = "2025-08-15-putin-trump-alaska-summit"
BRIEF_TEXT = (ROOT / "seeds" / f"{BRIEF}.txt").read_text(encoding="utf-8")
SUMMIT_QUOTE = (
    "On August 15, 2025, Presidents Vladimir Putin and Donald Trump met for roughly three hours at "
    "Joint Base Elmendorf-Richardson in Anchorage, joined by top aides."
)
STATEMENT = (
    "in order to approach the issue peacefully, it is necessary to conduct detailed conversations. "
    "And not in public, but this must be done calmly, in the quiet of the negotiation process."
)
PUTIN_EVENTS = [
    "Putin and Trump meet in Alaska",
    "Britain and France conclude the Sykes-Picot Agreement",
    "Zelenskyy rejects Putin's Donetsk offer",
    "Secret treaties of the World War I belligerents",
    "Putin offers to freeze the front lines if Ukraine cedes Donetsk",
    "Putin argues that negotiations should be held in secret",
]
CONSULT_EVENTS = ["Trump to meet Zelenskyy on 18 August", "Putin and Trump meet in Alaska"]

# The selection and the whole document as the reader sees them, measured in code points
# over the text nodes, independently of the explorer's own bookkeeping.
MEASURE_SELECTION = """() => {
  const doc = document.querySelector('.document-text');
  const walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
  let offset = 0, start = null, end = null, selected = '', whole = '';
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const size = Array.from(node.data).length;
    if (node.parentElement.closest('.selected')) {
      if (start === null) start = offset;
      end = offset + size;
      selected += node.data;
    }
    whole += node.data;
    offset += size;
  }
  const first = doc.querySelector('.selected').getBoundingClientRect();
  return {start, end, selected, whole, visible: first.top >= 0 && first.bottom <= innerHeight,
          focused: document.activeElement === doc.querySelector('.selected')};
}"""


# Every text node's colour against the first opaque background behind it (WCAG 2 contrast:
# 4.5:1, or 3:1 for large text). Returns the failures as "ratio text" strings.
LOW_CONTRAST = """() => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const color = rgb(getComputedStyle(e).backgroundColor);
      if (color.length === 3 || color[3] > 0.5) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.data.trim() || !element.checkVisibility() || element.closest('.visually-hidden, .skip-link, noscript')) continue;
    const style = getComputedStyle(element);
    const fg = rgb(element instanceof SVGElement ? style.fill : style.color).slice(0, 3);
    const [a, b] = [luminance(fg), luminance(background(element))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) failures.push(`${ratio.toFixed(2)} ${node.data.trim().slice(0, 40)}`);
  }
  return failures;
}"""


def item_titles(explorer: Watched, selector: str = ".event-item h3") -> list[str]:
    """The titles of the events the home list shows."""
    return explorer.page.locator(selector).all_inner_texts()


def bar_labels(explorer: Watched) -> list[str]:
    """The timeline's bars, as their tooltips name them ("2025: 2 events")."""
    return explorer.page.locator(".histogram rect title").all_text_contents()
