"""This machine's serial number, as the environment gives it now."""

from __future__ import annotations

from . import _native
from ._calls import read_string


def serial_number_this_machine() -> str:
    """This environment's serial number: the pinned identity
    (``LICENSING_IDENTITY`` / ``LICENSING_IDENTITY_FILE``) when set, else this
    machine's hardware as it is now. A :class:`Store` keeps the serial
    through a minority of hardware changes: prefer ``Store.serial_number``
    where there is a store."""
    return read_string(_native.library().lic_serial_number_this_machine)
