"""Format version 2 through the Python binding: a validator told its
platform version (``Validator(keys, platform_version=...)``, calling
``lic_validator_new_for_platform``) judging capped.lic (a cap of 11.14), a
text that is not a version, and a license carrying a critical extension
this library does not know. The comparison of versions is the library's:
these tests only check that the binding passes the version and raises the
class of the code it gets back."""

from __future__ import annotations

import pytest

import licensing
from licensing import ResultCode, State, Validator
from vectors import FILES, PROD_CODE, PROD_NOW, PROD_SERIAL, TRUSTED_KEY, read

CAPPED = FILES["capped.lic"]["license"]
KEY = TRUSTED_KEY.read_bytes()


def validate_capped(platform_version):
    with Validator(KEY, platform_version=platform_version) as v:
        return v.validate(read("capped.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)


def test_capped_vector_is_the_one_described():
    assert CAPPED["max_platform_version"] == "11.14"
    assert CAPPED["serial_number"] == PROD_SERIAL


@pytest.mark.parametrize("version", ["11.14", "11.9", "11.14.3", None])
def test_capped_license_is_valid_for_a_covered_version(version):
    with validate_capped(version) as lic:
        assert lic.state is State.ACTIVE
        assert lic.serial_number == PROD_SERIAL
        assert lic.license_id == CAPPED["license_id"]


def test_platform_version_is_optional_and_keyword():
    # Validator(keys) is a validator not told its version: caps not checked.
    with Validator(KEY) as v:
        v.validate(read("capped.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now).close()
    with Validator(KEY, "11.14") as v:  # positional, too
        v.validate(read("capped.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now).close()


@pytest.mark.parametrize("version", ["11.15", "12"])
def test_capped_license_is_refused_for_a_later_version(version):
    with pytest.raises(licensing.PlatformVersionNotCovered) as info:
        validate_capped(version)
    err = info.value
    assert err.code is ResultCode.PLATFORM_VERSION_NOT_COVERED
    assert isinstance(err, licensing.LicenseInvalid)
    assert err.code.is_license_invalid
    # The library's words name the cap and this runtime's version.
    assert "11.14" in err.message and version in err.message, err.message
    assert str(err).endswith("[LIC_PLATFORM_VERSION_NOT_COVERED]")


def test_a_license_without_a_cap_is_valid_for_any_version():
    with Validator(KEY, platform_version="99.1") as v:
        with v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
            assert lic.state is State.ACTIVE


def test_one_validator_judges_every_file_for_its_version():
    # The cache of verified files does not carry a verdict across files.
    with Validator(KEY, platform_version="11.15") as v:
        v.validate(read("prod.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now).close()
        with pytest.raises(licensing.PlatformVersionNotCovered):
            v.validate(read("capped.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)
        with pytest.raises(licensing.PlatformVersionNotCovered):
            v.validate(read("capped.lic"), PROD_SERIAL, PROD_CODE, PROD_NOW.now)


@pytest.mark.parametrize("text", ["11.x", "", "v11", "11..14", "-1", "1.2.3.4.5.6.7.8.9"])
def test_a_text_that_is_not_a_version_is_misuse(text):
    with pytest.raises(licensing.InvalidPlatformVersion) as info:
        Validator(KEY, platform_version=text)
    err = info.value
    assert err.code is ResultCode.INVALID_PLATFORM_VERSION
    assert err.code.is_misuse
    assert isinstance(err, licensing.UsageError) and isinstance(err, ValueError)
    assert err.message


def test_the_version_message_says_which_part():
    with pytest.raises(licensing.InvalidPlatformVersion, match=r"part 2 \('x'\) is not a number"):
        Validator(KEY, platform_version="11.x")


def test_a_version_with_a_nul_or_of_another_type_is_refused_here():
    with pytest.raises(ValueError, match="platform_version"):
        Validator(KEY, platform_version="11\0.14")
    with pytest.raises(TypeError, match="platform_version"):
        Validator(KEY, platform_version=11.14)


def test_bad_keys_are_still_bad_keys_with_a_version():
    with pytest.raises(licensing.BadTrustedKeys):
        Validator(b"hello", platform_version="11.14")


def test_unknown_critical_extension_is_refused():
    with Validator(KEY) as v:
        with pytest.raises(licensing.UnknownCriticalExtension) as info:
            v.validate(read("unknown-critical-extension.lic"), PROD_SERIAL, PROD_CODE,
                       PROD_NOW.now)
    err = info.value
    assert err.code is ResultCode.UNKNOWN_CRITICAL_EXTENSION
    assert isinstance(err, licensing.LicenseInvalid) and err.code.is_license_invalid
    assert "1001" in err.message, err.message


@pytest.mark.parametrize("name", ["unknown-extension.lic", "summed-limits.lic"])
def test_version_2_files_without_a_critical_unknown_are_valid(name):
    with Validator(KEY, platform_version="11.14") as v:
        with v.validate(read(name), PROD_SERIAL, PROD_CODE, PROD_NOW.now) as lic:
            assert lic.state is State.ACTIVE
            assert lic.license_id == FILES[name]["license"]["license_id"]
