"""CAMEO event codes of a GDELT row: checked, and restored when a spreadsheet ate their zeros.

A spreadsheet reads "012" as the number 12. That loss can be undone without guessing,
because the three codes of a row constrain each other: the root code (EventRootCode) is
always two digits, 01 to 20, so "1" can only be "01"; an event or base code must lie
under its root, so "12" under root "01" can only be "012" (not "12", Reject, which lies
under root 12), and "211" under root "02" can only be "0211". A code is restored only when
exactly one CAMEO code fits; otherwise the row is reported as bad.
"""

from app.importers.lookups import cameo_labels
from app.importers.report import RowError


def _root(raw: str, event_code: str) -> str:
    labels = cameo_labels()
    if not raw and event_code in labels:
        return event_code[:2]
    root = raw.zfill(2) if raw.isdigit() and len(raw) <= 2 else raw
    if len(root) != 2 or root not in labels:
        raise RowError("bad-cameo-code", f"EventRootCode {raw!r} is not a CAMEO root code (01 to 20)")
    return root


def _under(code: str, root: str, field: str) -> str:
    labels = cameo_labels()
    if code in labels and code.startswith(root):
        return code
    fits = [c for c in (code, "0" + code, "00" + code) if c in labels and c.startswith(root)]
    if len(fits) != 1 or not code.isdigit():
        raise RowError("bad-cameo-code", f"{field} {code!r} is not a CAMEO code under root {root}")
    return fits[0]


def resolve(event_code: str, base_code: str, root_code: str) -> tuple[str, str, str, bool]:
    """(event, base, root) codes as CAMEO writes them, and whether any had to be restored."""
    labels = cameo_labels()
    if event_code in labels and base_code in labels and root_code in labels and event_code.startswith(root_code):
        return event_code, base_code, root_code, False
    root = _root(root_code, event_code)
    event = _under(event_code, root, "EventCode")
    base = _under(base_code, root, "EventBaseCode") if base_code else event[:3]
    return event, base, root, (event, base, root) != (event_code, base_code, root_code)
