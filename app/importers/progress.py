"""A one-line progress bar with rate and ETA, drawn on stderr only when it is a terminal."""

import sys
import time
from typing import TextIO

_WIDTH = 28
_REDRAW_S = 0.2


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Progress towards `total` units (bytes or events); counts `items` (events) for the rate."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.label = max(total, 1), label
        self.done = 0
        self.items = 0
        self.started = time.perf_counter()
        self._drawn = 0.0

    def advance(self, done: int, items: int) -> None:
        """Set how far along the work is and how many items are done; redraw now and then."""
        self.done, self.items = min(done, self.total), items
        now = time.perf_counter()
        if self.enabled and now - self._drawn >= _REDRAW_S:
            self._drawn = now
            self._draw(now)

    def line(self, now: float) -> str:
        """The bar as text: label, bar, percent, items, rate, ETA."""
        elapsed = max(now - self.started, 1e-9)
        fraction = self.done / self.total
        filled = int(fraction * _WIDTH)
        rate = self.items / elapsed
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        bar = "#" * filled + "." * (_WIDTH - filled)
        return (f"{self.label} [{bar}] {fraction:4.0%} {self.items:,} events "
                f"{rate:,.0f}/s ETA {_clock(eta)}")

    def _draw(self, now: float) -> None:
        self.stream.write("\r" + self.line(now) + "\x1b[K")
        self.stream.flush()

    def finish(self) -> None:
        """Draw the final state and end the line (nothing at all when not on a terminal)."""
        if self.enabled:
            self.done = self.total
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()
