"""Aggregates remembered in process, keyed by database, data version and normalized query.

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
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine

from app.queries.changes import data_version
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
# Entries being computed: a lock each, and how many requests hold or wait for it.
_flights: dict[Hashable, list] = {}


class Remembered:
    """One database's cache at the data version one connection sees: read once per request.

    Callers must not change what they get back: it is shared with later requests.
    """

    def __init__(self, connection: Connection) -> None:
        self.version = data_version(connection)
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
        # read its answer. Without this, sixteen requests for a cold aggregate over a million
        # events each compute it, share one core, all run into the statement time limit and
        # leave nothing cached, over and over.
        with self._computing(key):
            hit, value = self.get(key)
            if hit:
                return value
            value = compute()
            self.put(key, value, weigh(value))
            return value

    @contextmanager
    def _computing(self, key: Hashable) -> Iterator[None]:
        slot = (id(self._lru), self.version, key)
        with _lock:
            flight = _flights.setdefault(slot, [threading.Lock(), 0])
            flight[1] += 1
        try:
            with flight[0]:
                yield
        finally:
            with _lock:
                flight[1] -= 1
                if not flight[1]:
                    del _flights[slot]


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
