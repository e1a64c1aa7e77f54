"""The shared test vectors (tests/vectors/vectors.json at the repository's
root), and the values the tests take from them by name: the serial numbers,
activation codes, licenses and moments in time. Imported by the test
modules for their parametrizations; conftest.py turns them into fixtures."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple, Optional

REPO = Path(__file__).resolve().parents[3]
VECTORS_DIR = REPO / "tests" / "vectors"
HEADER = REPO / "include" / "licensing.h"
SPEC = json.loads((VECTORS_DIR / "vectors.json").read_text(encoding="utf-8"))
FILES = {f["name"]: f for f in SPEC["files"]}
KEY_FILES = {name: VECTORS_DIR / k["public"] for name, k in SPEC["keys"].items()}
TRUSTED_KEY = KEY_FILES["test"]


def read(name: str) -> bytes:
    """The bytes of a vector file."""
    return (VECTORS_DIR / name).read_bytes()


def pem_of(trusted) -> bytes:
    """The public keys named ``trusted`` (keys of vectors.json), as one PEM."""
    return b"".join(KEY_FILES[name].read_bytes() for name in trusted)


def utc(unix_seconds: Optional[int]) -> Optional[datetime]:
    """A vector's unix time as the binding gives it: an aware datetime."""
    return None if unix_seconds is None else datetime.fromtimestamp(unix_seconds, timezone.utc)


class Moment(NamedTuple):
    """A time at which a vector file has a known verdict."""

    now: int
    now_text: str
    days_left: int


def moment(file: str, state: Optional[str] = None, error: Optional[str] = None,
           trusted=("test",), which: int = 0) -> Moment:
    """The ``which``-th check of ``file`` (trusted by ``trusted``, for its
    own serial number) whose verdict is ``state`` (ok) or ``error``."""
    license = FILES[file]["license"]
    found = [
        c for c in FILES[file]["checks"]
        if tuple(c["trusted"]) == tuple(trusted)
        and (license is None or c["serial"] == license["serial_number"])
        and (c["verdict"].get("ok", {}).get("state") == state if state
             else c["verdict"].get("error") == error)
    ]
    assert len(found) > which, (
        f"vectors.json has no check #{which} of {file} with verdict {state or error}: "
        "regenerate the vectors or change the test"
    )
    check = found[which]
    return Moment(check["now"], check["now_text"], check["verdict"].get("ok", {}).get("days_left", 0))


# prod.lic: Acme Corp's production license, revision 7.
PROD = FILES["prod.lic"]["license"]
PROD_SERIAL = PROD["serial_number"]
PROD_CODE = PROD["activation_code"]
PROD_ID = PROD["license_id"]
PROD_LIMITS = {l["name"]: l["value"] for l in PROD["limits"]}
# prod-renewal.lic: its renewal, revision 8, for the same environment.
RENEWAL = FILES["prod-renewal.lic"]["license"]
# expired.lic: revision 1 of the same subscription and environment.
EXPIRED = FILES["expired.lic"]["license"]
# dev-never-expires.lic: another environment, never expiring.
DEV = FILES["dev-never-expires.lic"]["license"]
DEV_SERIAL = DEV["serial_number"]
# An activation code of vectors.json that is not prod.lic's.
OTHER_CODE = next(
    c["text"] for c in SPEC["codes"] if c["kind"] == "activation-code" and c["text"] != PROD_CODE
)

# prod.lic through time.
PROD_NOW = moment("prod.lic", state="active")  # 2026-06-01T12:00:00Z
PROD_EXPIRING = moment("prod.lic", state="expiring-soon", which=1)  # 17 days left
PROD_IN_GRACE = moment("prod.lic", state="in-grace", which=1)  # 21 days of grace left
PROD_PAST_GRACE = moment("prod.pem", error="Expired")
# expired.lic in its grace period (where it can be installed over prod.lic).
EXPIRED_IN_GRACE = moment("expired.lic", state="in-grace")
DEV_NOW = moment("dev-never-expires.lic", state="active", which=1)  # 2099

# Sanity of the picks above: the tests rely on these relations.
assert PROD_EXPIRING.days_left > 0 and PROD_IN_GRACE.days_left > 0
assert PROD_NOW.now < PROD_EXPIRING.now < PROD["expires_at"] <= PROD_IN_GRACE.now < PROD_PAST_GRACE.now
assert EXPIRED["revision"] < PROD["revision"] < RENEWAL["revision"]
assert DEV["expires_at"] is None and DEV_SERIAL != PROD_SERIAL
