"""Aggregates remembered in process, keyed by database, data state and normalized query.

The data changes only through writes that append to the change feed (seed, import, API
edit), so its newest `seq` versions the whole database: an answer computed at version v
is the answer for as long as the version is v. The version is read first, in the same
transaction as the aggregate, so a write committed in between can only make an entry
newer than its key (harmlessly recomputed at the next version), never older.

Each engine has its own cache, held weakly, so two databases in one process (the tests
build many apps) never share an entry, and an engine's entries go with it.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import fields
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine

from app.queries.changes import data_state
from app.queries.event_filters import EventFilters

T = TypeVar("T")

MAX_ENTRIES = 512
# Entries are weighed in values held (counts, ids): about 50 MB in all at this bound, and
# one answer may take at most a quarter of it (a hub actor's network is left uncached).
MAX_WEIGHT = 1_000_000


class _Lru:
    """Least recently used entries go first once either bound is passed."""

    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self.weight = 0

    def get(self, key: Hashable) -> tuple[bool, Any]:
        found = self.entries.get(key)
        if found is None:
            return False, None
        self.entries.move_to_end(key)
        return True, found[0]

    def put(self, key: Hashable, value: Any, weight: int) -> None:
        if weight > MAX_WEIGHT // 4:
            return
        if key in self.entries:
            self.weight -= self.entries.pop(key)[1]
        self.entries[key] = (value, weight)
        self.weight += weight
        while len(self.entries) > MAX_ENTRIES or self.weight > MAX_WEIGHT:
            self.weight -= self.entries.popitem(last=False)[1][1]


_caches: "WeakKeyDictionary[Engine, _Lru]" = WeakKeyDictionary()
_lock = threading.Lock()
# A request that finds another computing its entry waits this long for it at most, then
# computes on its own (the other's statements stop at the statement time limit anyway).
WAIT_S = 30.0


class _Flight:
    """One computation of an entry, which the requests that arrive meanwhile wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.waiting = 0
        self.value: Any = None
        self.error: BaseException | None = None


# Entries being computed, by (cache, data state, key).
_flights: dict[Hashable, _Flight] = {}


class Remembered:
    """One database's cache at the data state one connection sees: read once per request.

    The state is the data version and the time of the last change, so a database rebuilt
    to the same version (other data, same number of changes) never meets old entries.
    Callers must not change what they get back: it is shared with later requests.
    """

    def __init__(self, connection: Connection) -> None:
        self.version = data_state(connection)
        with _lock:
            self._lru = _caches.setdefault(connection.engine, _Lru())

    def get(self, key: Hashable) -> tuple[bool, Any]:
        with _lock:
            return self._lru.get((self.version, key))

    def put(self, key: Hashable, value: Any, weight: int = 1) -> None:
        with _lock:
            self._lru.put((self.version, key), value, max(1, weight))

    def get_or_compute(self, key: Hashable, compute: Callable[[], T], weigh: Callable[[T], int] = lambda _: 1) -> T:
        hit, value = self.get(key)
        if hit:
            return value
        # One computation per entry at a time: requests arriving meanwhile wait for it and
        # take its answer (or its error). Without this, sixteen requests for a cold
        # aggregate over a million events each compute it, share one core, all run into
        # the statement time limit and leave nothing cached, over and over.
        slot = (id(self._lru), self.version, key)
        with _lock:
            flight = _flights.get(slot)
            leading = flight is None
            if leading:
                flight = _flights[slot] = _Flight()
            else:
                flight.waiting += 1
        if not leading:
            if not flight.done.wait(WAIT_S):
                return compute()
            if flight.error is not None:
                raise flight.error
            return flight.value
        try:
            flight.value = compute()
            # An answer too big to keep is still handed to the requests that waited for it.
            self.put(key, flight.value, weigh(flight.value))
            return flight.value
        except BaseException as error:
            flight.error = error
            raise
        finally:
            with _lock:
                del _flights[slot]
            flight.done.set()


def filters_key(filters: EventFilters) -> tuple:
    """The filters as a hashable key in which value order and repetition do not matter.

    A repeated parameter matches any of its values, so `type=A&type=B` and `type=B&type=A`
    are one query and share an entry.
    """
    return tuple((f.name, _frozen(getattr(filters, f.name))) for f in fields(filters))


def _frozen(value: Any) -> Hashable:
    if isinstance(value, list):
        return tuple(sorted(set(value)))
    return value
