"""The owned C handle: freed exactly once, never while a call uses it."""

from __future__ import annotations

import threading
import weakref

from .enums import ResultCode
from .errors import ClosedError


class Handle:
    """An owned C handle freed exactly once: by ``close()``, by leaving a
    ``with`` block, or when garbage collected. ``close()`` waits for calls
    in flight on other threads, so closing never frees a handle in use."""

    _kind = "handle"

    def __init__(self, ptr: int, free):
        self._ptr = ptr
        self._cond = threading.Condition()
        self._inflight = 0
        self._finalizer = weakref.finalize(self, free, ptr)

    def _acquire(self) -> int:
        with self._cond:
            if self._ptr is None:
                raise ClosedError(
                    ResultCode.NULL_ARGUMENT,
                    f"the {self._kind} is closed: it cannot be used after close()",
                )
            self._inflight += 1
            return self._ptr

    def _release(self) -> None:
        with self._cond:
            self._inflight -= 1
            if self._inflight == 0:
                self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        """Frees the handle; safe to call more than once."""
        with self._cond:
            if self._ptr is None:
                return
            self._ptr = None
            while self._inflight:
                self._cond.wait()
        self._finalizer()

    def __enter__(self):
        self._acquire()
        self._release()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Use:
    """``with Use(handle) as ptr``: the raw pointer, kept from being freed
    until the block ends."""

    __slots__ = ("_h",)

    def __init__(self, h: Handle):
        self._h = h

    def __enter__(self) -> int:
        return self._h._acquire()

    def __exit__(self, *exc) -> None:
        self._h._release()
