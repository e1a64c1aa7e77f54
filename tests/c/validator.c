/*
 * The validator's verdict on every fixture of vectors.json, an empty or
 * foreign file, and a validator trusting two keys.
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
    VALIDATE(v, "version-2.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_UNSUPPORTED_VERSION,
             "version 2");
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
