"""The owned C handle: freed exactly once, never while a call uses it."""

from __future__ import annotations

import atexit
import threading
import time
import weakref

from .enums import ResultCode
from .errors import ClosedError

#: The handles not freed yet: id(weak reference to the owner) -> (the weak
#: reference, free, ptr). The weak reference's callback frees the handle
#: when its owner (a Handle) is garbage collected; close() frees it before.
#: dict.pop is atomic, so exactly one of them frees it. (Keyed by the
#: reference's id, which the entry keeps alive, so owners need no hash.)
_pending: dict = {}


def _collected(ref) -> None:
    item = _pending.pop(id(ref), None)
    if item is not None:
        item[1](item[2])


@atexit.register
def _free_all() -> None:
    """At exit, the handles still open are freed (as weakref.finalize does)."""
    while _pending:
        try:
            _, (_, free, ptr) = _pending.popitem()
        except KeyError:
            return
        free(ptr)


class _Finalizer:
    """``free(ptr)`` once: when called (by close()) or when ``owner`` is
    garbage collected, whichever comes first. What weakref.finalize does,
    for a fraction of its cost: a License is made by every validation."""

    __slots__ = ("_ref",)  # kept, so that its id is not reused while this lives

    def __init__(self, owner, free, ptr):
        ref = self._ref = weakref.ref(owner, _collected)
        _pending[id(ref)] = (ref, free, ptr)

    @property
    def alive(self) -> bool:
        """Not freed yet."""
        return id(self._ref) in _pending

    def __call__(self) -> None:
        item = _pending.pop(id(self._ref), None)
        if item is not None:
            item[1](item[2])


class Handle:
    """An owned C handle freed exactly once: by ``close()``, by leaving a
    ``with`` block, or when garbage collected. ``close()`` waits for calls
    in flight on other threads, so closing never frees a handle in use.

    A call in flight holds an item of ``_calls``: list.append and list.pop
    are atomic, so taking and giving back the handle needs no lock (a lock
    costs several times as much in CPython). The call appends first and
    then reads the pointer; close() clears the pointer first and then waits
    until the list is empty: either the call sees the handle closed, or
    close() sees the call."""

    _kind = "handle"

    def __init__(self, ptr: int, free):
        self._ptr = ptr
        self._calls = []
        self._finalizer = _Finalizer(self, free, ptr)

    def _closed_error(self) -> ClosedError:
        return ClosedError(
            ResultCode.NULL_ARGUMENT,
            f"the {self._kind} is closed: it cannot be used after close()",
        )

    def _acquire(self) -> int:
        calls = self._calls
        calls.append(None)
        ptr = self._ptr
        if ptr is None:
            calls.pop()
            raise self._closed_error()
        return ptr

    def _release(self) -> None:
        self._calls.pop()

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def close(self) -> None:
        """Frees the handle; safe to call more than once."""
        with _closing:
            if self._ptr is None:
                return
            self._ptr = None
        # Calls in flight finish (closing while other threads still call is
        # rare: a short sleep between looks is enough).
        pause = 0.0001
        while self._calls:
            time.sleep(pause)
            pause = min(pause * 2, 0.01)
        self._finalizer()

    def __enter__(self):
        self._acquire()
        self._release()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


#: One close() at a time clears a pointer: the first frees the handle, the
#: others return.
_closing = threading.Lock()


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
