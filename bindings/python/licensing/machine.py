"""The library as a whole: this machine's serial number, as the environment
gives it now, and where licenses come from, as the library's messages say it."""

from __future__ import annotations

from typing import Optional

from . import _native
from ._calls import check, read_string, text_arg


def serial_number_this_machine() -> str:
    """This environment's serial number: the pinned identity
    (``LICENSING_IDENTITY`` / ``LICENSING_IDENTITY_FILE``) when set, else this
    machine's hardware as it is now. A :class:`Store` keeps the serial
    through a minority of hardware changes: prefer ``Store.serial_number``
    where there is a store."""
    return read_string(_native.library().lic_serial_number_this_machine)


def set_license_source(text: Optional[str]) -> None:
    """Sets, for the whole process, where licenses come from as the library's
    messages (the last error, status warnings) say it: a noun phrase that
    reads after "from", like ``"the Acme customer portal"`` (a message then
    ends "get it again from the Acme customer portal"). ``None`` or ``""``
    brings back the default, "your vendor". Call it once, at start-up: it
    applies to every thread. A text with a NUL in it raises ``ValueError``."""
    check(_native.library().lic_set_license_source(text_arg(text, "text")))
