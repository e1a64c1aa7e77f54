"""An anchor in the host's hands (``lic_store_with_anchor``): a Python
object's ``load`` and ``save`` behind the two C callbacks.

The callbacks are called by the library from whichever thread uses the
anchored store (ctypes takes the GIL for them). No Python exception ever
crosses into C: whatever the object raises, or answers that cannot be
kept, is a failed load (``LIC_ANCHOR_FAILED``) or a failed save (1), which
the store survives (an anchor that fails only proves nothing)."""

from __future__ import annotations

import ctypes
import logging
from typing import Callable, Tuple

from . import _native

_log = logging.getLogger("licensing")


def _report(what: str, key) -> None:
    # Never raises: logging may itself fail (at interpreter shutdown, say).
    try:
        _log.debug("the anchor's %s(%r) failed; the store goes on without it", what, key,
                   exc_info=True)
    except BaseException:  # noqa: B902 (nothing may reach C)
        pass


def _anchor_method(anchor, name: str) -> Callable:
    method = getattr(anchor, name, None)
    if not callable(method):
        raise TypeError(
            f"an anchor needs a {name}() method (load(key: str) -> bytes | None, "
            f"save(key: str, data: bytes) -> None); {type(anchor).__name__} has none"
        )
    return method


def callbacks(anchor) -> Tuple[object, object]:
    """The C callbacks (``lic_anchor_load_fn``, ``lic_anchor_save_fn``)
    calling ``anchor.load(key)`` and ``anchor.save(key, data)``. Keep them
    alive as long as the store that calls them."""
    load = _anchor_method(anchor, "load")
    save = _anchor_method(anchor, "save")

    def load_trampoline(_context, key, buf, size, written):
        try:
            data = load(key.decode("utf-8"))
            if data is None:
                return _native.ANCHOR_NOT_FOUND
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError(f"load() returned {type(data).__name__}, not bytes or None")
            data = bytes(data)
            if len(data) > size:
                # Longer than the buffer: never cut short, it proves nothing.
                raise ValueError(f"load() returned {len(data)} bytes, more than {size}")
            if data:
                ctypes.memmove(buf, data, len(data))
            written[0] = len(data)
            return _native.ANCHOR_FOUND
        except BaseException:  # noqa: B902 (nothing may reach C)
            _report("load", key)
            return _native.ANCHOR_FAILED

    def save_trampoline(_context, key, data, size):
        try:
            save(key.decode("utf-8"), ctypes.string_at(data, size) if size else b"")
            return 0
        except BaseException:  # noqa: B902 (nothing may reach C)
            _report("save", key)
            return 1

    return _native.AnchorLoadFn(load_trampoline), _native.AnchorSaveFn(save_trampoline)
