"""What is computed from an evaluation, kept while its data version stands.

Each app process keeps a bounded LRU of entries keyed by (evaluation, data version,
part): the results area keeps its engine Result, the sensitivity report, each variant
of its pages' data (what a lead, a viewer or a conflicted evaluator may see) and the
JSON document. The data version (rfp.core.data_version) is bumped in the same
transaction as every write, in whichever process it happens, so an entry is never
served after a change has committed: the next request reads the new version and misses.

The version is read with the evaluation at the start of the request, before anything
is computed from it: an entry may hold data newer than its version (a write committed
in between), never older. Once a newer version of an evaluation is kept, its older
entries are dropped (no request will ask for them again), so memory holds about one
version per evaluation being read; `RFP_RESULTS_CACHE_SIZE` bounds the entries in all.
Built outside the lock: two requests that miss together both build, and the first
kept wins.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")
DEFAULT_SIZE = 64

Identity = tuple[int, datetime | None]  # an id may come back after a delete: with created_at


class ResultCache:
    def __init__(self, max_entries: int = DEFAULT_SIZE) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Identity, int, Hashable], Any] = OrderedDict()
        self._newest: dict[Identity, int] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_build(self, evaluation: Any, part: Hashable, build: Callable[[], T]) -> T:
        """The entry for `part` of this evaluation at its data version, built on a miss.
        `evaluation` is the request's Evaluation (id, created_at, data_version)."""
        identity: Identity = (evaluation.id, evaluation.created_at)
        version: int = evaluation.data_version
        key = (identity, version, part)
        if self.max_entries <= 0:
            return build()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]  # type: ignore[no-any-return]
            self.misses += 1
        value = build()
        self._keep(key, value)
        return value

    def _keep(self, key: tuple[Identity, int, Hashable], value: Any) -> None:
        identity, version, _part = key
        with self._lock:
            newest = self._newest.get(identity, -1)
            if version < newest:
                return  # built from a version already superseded here
            if version > newest:
                self._newest[identity] = version
                for old in [k for k in self._entries if k[0] == identity and k[1] < version]:
                    del self._entries[old]
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                (evicted, _, _), _ = self._entries.popitem(last=False)
                if not any(k[0] == evicted for k in self._entries):
                    self._newest.pop(evicted, None)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._newest.clear()


def init_result_cache(app: Any) -> ResultCache:
    cache = ResultCache(int(app.config.get("RFP_RESULTS_CACHE_SIZE", DEFAULT_SIZE)))
    app.extensions["rfp.result_cache"] = cache
    return cache


def result_cache() -> ResultCache:
    """This app's cache (one per app, so two apps in a process share nothing)."""
    cache = current_app.extensions["rfp.result_cache"]
    assert isinstance(cache, ResultCache)  # init_result_cache put it there
    return cache
