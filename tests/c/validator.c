/*
 * The validator's verdict on every fixture of vectors.json, an empty or
 * foreign file, a validator trusting two keys, and validators told their
 * platform version (lic_validator_new_for_platform) judging capped.lic.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>

/* Every license verdict of vectors.json, through the C ABI. */
void test_verdicts(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    lic_validator *untrusted = make_validator("untrusted-public-key.pem");

    VALIDATE(v, "truncated.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED, "malformed");
    VALIDATE(v, "trailing-garbage.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "malformed");
    VALIDATE(v, "unsorted-features.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "features[1] at byte 124: ");
    VALIDATE(v, "bad-serial-check.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "serial_number at byte 59: ");
    VALIDATE(v, "long-varint.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "revision at byte 31: ");
    /* A control character in a signed string: refused at its byte, and the
     * last error holds no raw control byte (the host may print it). */
    VALIDATE(v, "control-character.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "organization at byte 85: ");
    for (const char *p = last_error(); *p; p++) CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
    VALIDATE(v, "serial-v1.txt", PROD_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED, "malformed");
    VALIDATE(v, "version-9.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_UNSUPPORTED_VERSION,
             "version 9");
    VALIDATE(v, "version-2-no-extensions.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "extensions at byte 337: ");
    VALIDATE(v, "unknown-critical-extension.lic", PROD_SERIAL, CODE, AT_2026_06_01,
             LIC_UNKNOWN_CRITICAL_EXTENSION, "extension 1001");
    VALIDATE(v, "untrusted-key.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_UNKNOWN_KEY,
             "ae7140e63cb5d76a");
    VALIDATE(untrusted, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_UNKNOWN_KEY,
             "67ea80fd12e34da4");
    VALIDATE(v, "bad-signature.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_BAD_SIGNATURE,
             "signature");
    VALIDATE(v, "tampered-body.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_BAD_SIGNATURE,
             "signature");
    VALIDATE(v, "prod.lic", PROD_SERIAL, OTHER_CODE, AT_2026_06_01, LIC_WRONG_ACTIVATION_CODE,
             OTHER_CODE);
    VALIDATE(v, "prod.lic", DEV_SERIAL, OTHER_CODE, INT64_C(1893456000),
             LIC_WRONG_ACTIVATION_CODE, OTHER_CODE);
    VALIDATE(v, "prod.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_WRONG_SERIAL, DEV_SERIAL);
    VALIDATE(v, "prod.lic", DEV_SERIAL, CODE, INT64_C(1893456000), LIC_WRONG_SERIAL, DEV_SERIAL);
    VALIDATE(v, "dev-never-expires.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_WRONG_SERIAL,
             PROD_SERIAL);
    VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, INT64_C(1736933099), LIC_NOT_YET_VALID, "clock");
    VALIDATE(v, "dev-never-expires.lic", DEV_SERIAL, CODE, INT64_C(1740815699), LIC_NOT_YET_VALID,
             "clock");
    VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, INT64_C(1832889600), LIC_EXPIRED, "expired");
    VALIDATE(v, "expired.lic", PROD_SERIAL, CODE, INT64_C(1736899200), LIC_EXPIRED, "expired");
    VALIDATE(v, "expired.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_EXPIRED, "expired");

    /* Format version 2: a non-critical extension no runtime knows is
     * ignored; summed limits are valid here. */
    lic_license_free(
        VALIDATE(v, "unknown-extension.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));
    lic_license_free(
        VALIDATE(v, "summed-limits.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));

    /* Activation code NULL: not checked. */
    lic_license_free(VALIDATE(v, "prod.lic", PROD_SERIAL, NULL, AT_2026_06_01, LIC_OK, ""));

    /* An empty file (NULL with length 0 is an empty buffer). */
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_validator_validate(v, NULL, 0, PROD_SERIAL, CODE, AT_2026_06_01, &l),
             LIC_MALFORMED);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR("malformed");
    uint8_t zero = 0;
    CHECK_RC(lic_validator_validate(v, &zero, 0, PROD_SERIAL, CODE, AT_2026_06_01, &l),
             LIC_MALFORMED);
    CHECK(l == SENT_PTR);
    /* Not a license at all. */
    const char junk[] = "hello, this is not a license file";
    CHECK_RC(lic_validator_validate(v, (const uint8_t *)junk, sizeof junk - 1, PROD_SERIAL, CODE,
                                    AT_2026_06_01, &l),
             LIC_MALFORMED);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR("malformed");

    /* Two keys in one PEM text: both trusted. */
    blob a = fixture("untrusted-public-key.pem"), b = fixture("test-public-key.pem");
    blob both = concat(a, b);
    lic_validator *two = SENT_PTR;
    CHECK_RC(lic_validator_new(both.data, both.len, &two), LIC_OK);
    lic_license_free(VALIDATE(two, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));
    lic_license_free(
        VALIDATE(two, "untrusted-key.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));
    lic_validator_free(two);
    free(a.data);
    free(b.data);
    free(both.data);

    lic_validator_free(untrusted);
    lic_validator_free(v);
}

/* Where licenses come from, in the product's words: the remedies name it. */
void test_license_source(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    VALIDATE(v, "bad-signature.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_BAD_SIGNATURE,
             "get it again from your vendor");
    CHECK_RC(lic_set_license_source("the Acme customer portal"), LIC_OK);
    VALIDATE(v, "bad-signature.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_BAD_SIGNATURE,
             "get it again from the Acme customer portal");
    VALIDATE(v, "prod.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_WRONG_SERIAL,
             "register this serial with the Acme customer portal");
    const char bad_utf8[] = {'\xff', '\0'};
    CHECK_RC(lic_set_license_source(bad_utf8), LIC_INVALID_UTF8);
    CHECK_RC(lic_set_license_source(NULL), LIC_OK);
    VALIDATE(v, "bad-signature.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_BAD_SIGNATURE,
             "get it again from your vendor");
    lic_validator_free(v);
}

/* A validator for the platform version `version` (NULL: not told), trusting
 * the test key. */
static lic_validator *make_validator_for(const char *version) {
    blob pem = fixture("test-public-key.pem");
    lic_validator *v = SENT_PTR;
    CHECK_RC(lic_validator_new_for_platform(pem.data, pem.len, version, &v), LIC_OK);
    CHECK(v != NULL && v != SENT_PTR);
    free(pem.data);
    return v;
}

/* capped.lic (a platform version cap of 11.14) for runtimes of several
 * versions; platform version texts that are not versions. */
void test_platform_version(void) {
    /* Covered: the cap itself, an earlier minor, a patch of the cap; a
     * validator not told its version does not check caps. */
    const char *covered[] = {"11.14", "11.9", "11.14.3", NULL};
    for (size_t i = 0; i < COUNT(covered); i++) {
        lic_validator *v = make_validator_for(covered[i]);
        lic_license *l = VALIDATE(v, "capped.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");
        lic_state state = SENT_ENUM;
        CHECK_RC(lic_license_state(l, &state, NULL), LIC_OK);
        CHECK(state == LIC_STATE_ACTIVE);
        lic_license_free(l);
        /* A license with no cap is valid for any version. */
        lic_license_free(VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));
        lic_validator_free(v);
    }
    lic_validator *plain = make_validator("test-public-key.pem");
    lic_license_free(
        VALIDATE(plain, "capped.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));
    lic_validator_free(plain);

    /* Not covered: a later minor, a later major. The message names both. */
    lic_validator *v = make_validator_for("11.15");
    VALIDATE(v, "capped.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_PLATFORM_VERSION_NOT_COVERED,
             "11.14");
    CHECK_LAST_ERROR("11.15");
    CHECK(lic_result_is_license_invalid(LIC_PLATFORM_VERSION_NOT_COVERED));
    /* Another environment's license is refused for its serial first; an
     * expired one for the version. */
    VALIDATE(v, "capped.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_WRONG_SERIAL, DEV_SERIAL);
    VALIDATE(v, "capped.lic", PROD_SERIAL, CODE, INT64_C(1893456000),
             LIC_PLATFORM_VERSION_NOT_COVERED, "11.15");
    lic_license_free(VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));
    lic_validator_free(v);
    v = make_validator_for("12");
    VALIDATE(v, "capped.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_PLATFORM_VERSION_NOT_COVERED,
             "version 12");
    lic_validator_free(v);

    /* Texts that are not versions: misuse, nothing written. */
    blob pem = fixture("test-public-key.pem");
    const struct {
        const char *text;
        const char *word;
    } bad[] = {
        {"11.x", "part 2 ('x') is not a number"},
        {"", "empty"},
        {"11.", "is not a platform version"},
        {".11", "is not a platform version"},
        {"v11.14", "is not a platform version"},
        {"1.2.3.4.5.6.7.8.9", "parts"},
        {"11..14", "is not a platform version"},
        {"-1", "is not a platform version"},
        {"4294967296", "larger than"},
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        lic_validator *out = SENT_PTR;
        CHECK_RC(lic_validator_new_for_platform(pem.data, pem.len, bad[i].text, &out),
                 LIC_INVALID_PLATFORM_VERSION);
        CHECK(out == SENT_PTR);
        CHECK_LAST_ERROR(bad[i].word);
    }
    CHECK(lic_result_is_misuse(LIC_INVALID_PLATFORM_VERSION));
    /* Not UTF-8. */
    lic_validator *out = SENT_PTR;
    CHECK_RC(lic_validator_new_for_platform(pem.data, pem.len, "11.\xff", &out),
             LIC_INVALID_UTF8);
    CHECK(out == SENT_PTR);
    CHECK_LAST_ERROR("platform_version");
    /* The version is checked, and so are the keys. */
    CHECK_RC(lic_validator_new_for_platform((const uint8_t *)"hello", 5, "11.14", &out),
             LIC_BAD_TRUSTED_KEYS);
    CHECK(out == SENT_PTR);
    free(pem.data);
}
