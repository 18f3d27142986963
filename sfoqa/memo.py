"""
A small memo kept in the process, for markup worked out once for each state
(the review list's filter panel, a role's figures on the home page): bounded,
the entry used least recently going first, and safe for threads to share.
What it keeps must be decided by its key alone.
"""

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock


class Memo:
    def __init__(self, size: int):
        self.size = size
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable):
        """The value kept under `key`, or None."""
        with self._lock:
            value = self._kept.get(key)
            if value is not None:
                self._kept.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
