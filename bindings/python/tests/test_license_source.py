"""licensing.set_license_source: where licenses come from, as the library's
messages say it. The setting is the whole process's: each test restores the
default whatever happens (pytest runs the tests one at a time, so no other
test reads a message while it is changed)."""

from __future__ import annotations

import pytest

import licensing
from licensing import BadSignature, ResultCode, Validator
from vectors import TRUSTED_KEY, read

SERIAL = "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T"
NOW = 1780315200  # 2026-06-01T12:00:00Z


def bad_signature_message() -> str:
    with Validator(TRUSTED_KEY.read_bytes()) as validator:
        with pytest.raises(BadSignature) as bad:
            validator.validate(read("bad-signature.lic"), SERIAL, None, NOW)
    assert bad.value.code is ResultCode.BAD_SIGNATURE
    return bad.value.message


def test_messages_name_the_license_source():
    assert bad_signature_message().endswith("get it again from your vendor")
    try:
        licensing.set_license_source("the Acme customer portal")
        assert bad_signature_message().endswith("get it again from the Acme customer portal")

        licensing.set_license_source(None)
        assert bad_signature_message().endswith("get it again from your vendor")

        licensing.set_license_source("the Acme customer portal")
        licensing.set_license_source("")
        assert bad_signature_message().endswith("get it again from your vendor")
    finally:
        licensing.set_license_source(None)


def test_a_text_with_a_nul_is_refused_before_the_library():
    try:
        with pytest.raises(ValueError):
            licensing.set_license_source("the Acme\0portal")
        assert bad_signature_message().endswith("get it again from your vendor")
    finally:
        licensing.set_license_source(None)


def test_set_license_source_is_public():
    assert "set_license_source" in licensing.__all__
    assert licensing.set_license_source is licensing.machine.set_license_source
