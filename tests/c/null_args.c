/*
 * Misuse: garbage arguments (serial numbers, activation codes, keys that
 * are not, text that is not UTF-8) and NULL for every pointer argument of
 * the validator's and the license's functions. Each must be refused with
 * its lic_result, a last error naming the argument, and nothing written.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>

/* Misuse: invalid arguments of lic_validator_new and _validate. */
void test_argument_errors(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    blob prod = fixture("prod.lic");
    lic_license *l = SENT_PTR;

    /* Serial numbers that are not serial numbers. */
    const char *bad_serials[] = {
        "", "not-a-serial", "1HA-009-DEZ-RD3-PJA-MNH-C1S-91U", /* check characters */
        "1HA-009-DEZ-RD3-PJA-MNH-C1S", "1HA.009.DEZ.RD3.PJA.MNH.C1S.91T",
        "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T-",
    };
    for (size_t i = 0; i < COUNT(bad_serials); i++) {
        CHECK_RC(lic_validator_validate(v, prod.data, prod.len, bad_serials[i], CODE,
                                        AT_2026_06_01, &l),
                 LIC_INVALID_SERIAL_NUMBER);
        CHECK(l == SENT_PTR);
        CHECK_LAST_ERROR("serial");
    }
    /* Activation codes that are not activation codes. */
    const char *bad_codes[] = {
        "", "XYZ", "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRR", "4QZ-8K1-M3X-J7P-D2R-A6T-WN0-HRQ",
        PROD_SERIAL, /* a serial number is not an activation code */
    };
    for (size_t i = 0; i < COUNT(bad_codes); i++) {
        CHECK_RC(lic_validator_validate(v, prod.data, prod.len, PROD_SERIAL, bad_codes[i],
                                        AT_2026_06_01, &l),
                 LIC_INVALID_ACTIVATION_CODE);
        CHECK(l == SENT_PTR);
        CHECK_LAST_ERROR("activation code");
    }
    /* Invalid UTF-8 in string arguments. */
    CHECK_RC(lic_validator_validate(v, prod.data, prod.len, "1HA\xff", CODE, AT_2026_06_01, &l),
             LIC_INVALID_UTF8);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR("serial_number");
    CHECK_RC(lic_validator_validate(v, prod.data, prod.len, PROD_SERIAL, "\xe2\x82", AT_2026_06_01,
                                    &l),
             LIC_INVALID_UTF8);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR("activation_code");

    /* Trusted keys that are not keys. */
    lic_validator *bad = SENT_PTR;
    const char *bad_pems[] = {
        "",
        "hello",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nnot base64 at all!\n-----END PUBLIC KEY-----\n",
    };
    for (size_t i = 0; i < COUNT(bad_pems); i++) {
        CHECK_RC(lic_validator_new((const uint8_t *)bad_pems[i], strlen(bad_pems[i]), &bad),
                 LIC_BAD_TRUSTED_KEYS);
        CHECK(bad == SENT_PTR);
        CHECK_LAST_ERROR("PUBLIC KEY");
    }
    CHECK_RC(lic_validator_new(NULL, 0, &bad), LIC_BAD_TRUSTED_KEYS);
    CHECK(bad == SENT_PTR);
    /* A private key is not a trusted public key. */
    blob priv = fixture("test-signing-key.pem");
    CHECK_RC(lic_validator_new(priv.data, priv.len, &bad), LIC_BAD_TRUSTED_KEYS);
    CHECK(bad == SENT_PTR);
    CHECK_LAST_ERROR("PUBLIC KEY");
    free(priv.data);
    /* A valid key cut short. */
    blob pub = fixture("test-public-key.pem");
    CHECK_RC(lic_validator_new(pub.data, pub.len / 2, &bad), LIC_BAD_TRUSTED_KEYS);
    CHECK(bad == SENT_PTR);
    /* Not UTF-8. */
    const uint8_t not_utf8[] = {'-', '-', 0xff, 0xfe, '-'};
    CHECK_RC(lic_validator_new(not_utf8, sizeof not_utf8, &bad), LIC_INVALID_UTF8);
    CHECK(bad == SENT_PTR);
    CHECK_LAST_ERROR("UTF-8");
    free(pub.data);

    free(prod.data);
    lic_validator_free(v);
}

/* NULL for every pointer argument of every function. */
void test_null_arguments(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    lic_license *l = VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");
    blob prod = fixture("prod.lic");
    blob pem = fixture("test-public-key.pem");

    lic_license_free(NULL);
    lic_validator_free(NULL);

    /* lic_validator_new */
    lic_validator *nv = SENT_PTR;
    CHECK_RC(lic_validator_new(NULL, pem.len, &nv), LIC_NULL_ARGUMENT);
    CHECK(nv == SENT_PTR);
    CHECK_LAST_ERROR("trusted_keys_pem");
    CHECK_RC(lic_validator_new(pem.data, pem.len, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_validator_new(NULL, 0, NULL), LIC_NULL_ARGUMENT);

    /* lic_validator_new_for_platform (platform_version may be NULL: see
     * test_platform_version) */
    CHECK_RC(lic_validator_new_for_platform(NULL, pem.len, "11.14", &nv), LIC_NULL_ARGUMENT);
    CHECK(nv == SENT_PTR);
    CHECK_LAST_ERROR("trusted_keys_pem");
    CHECK_RC(lic_validator_new_for_platform(pem.data, pem.len, "11.14", NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_validator_new_for_platform(NULL, 0, NULL, NULL), LIC_NULL_ARGUMENT);

    /* lic_validator_validate (serial_number and activation_code may be
     * NULL: see test_identity and test_verdicts) */
    lic_license *out = SENT_PTR;
    CHECK_RC(lic_validator_validate(NULL, prod.data, prod.len, PROD_SERIAL, CODE, AT_2026_06_01,
                                    &out),
             LIC_NULL_ARGUMENT);
    CHECK(out == SENT_PTR);
    CHECK_LAST_ERROR("validator");
    CHECK_RC(lic_validator_validate(v, NULL, prod.len, PROD_SERIAL, CODE, AT_2026_06_01, &out),
             LIC_NULL_ARGUMENT);
    CHECK(out == SENT_PTR);
    CHECK_LAST_ERROR("license_file");
    CHECK_RC(lic_validator_validate(v, prod.data, prod.len, PROD_SERIAL, CODE, AT_2026_06_01, NULL),
             LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_validator_validate(NULL, NULL, 1, NULL, NULL, 0, NULL), LIC_NULL_ARGUMENT);

    /* lic_license_state */
    enum lic_state st = SENT_ENUM;
    uint32_t days = SENT_U32;
    CHECK_RC(lic_license_state(NULL, &st, &days), LIC_NULL_ARGUMENT);
    CHECK(st == (enum lic_state)SENT_ENUM && days == SENT_U32);
    CHECK_LAST_ERROR("license");
    CHECK_RC(lic_license_state(l, NULL, &days), LIC_NULL_ARGUMENT);
    CHECK(days == SENT_U32);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_license_state(NULL, NULL, NULL), LIC_NULL_ARGUMENT);

    /* lic_license_days_left */
    days = SENT_U32;
    CHECK_RC(lic_license_days_left(NULL, &days), LIC_NULL_ARGUMENT);
    CHECK(days == SENT_U32);
    CHECK_LAST_ERROR("license");
    CHECK_RC(lic_license_days_left(l, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_license_days_left(NULL, NULL), LIC_NULL_ARGUMENT);

    /* lic_license_has_feature */
    CHECK(!lic_license_has_feature(NULL, "sso-saml"));
    CHECK(!lic_license_has_feature(l, NULL));
    CHECK(!lic_license_has_feature(NULL, NULL));

    /* lic_license_has_feature_n */
    CHECK(!lic_license_has_feature_n(NULL, (const uint8_t *)"sso-saml", 8));
    CHECK(!lic_license_has_feature_n(l, NULL, 8));
    CHECK(!lic_license_has_feature_n(NULL, NULL, 0));

    /* lic_license_limit */
    uint64_t value = SENT_U64;
    CHECK_RC(lic_license_limit(NULL, "tenants", &value), LIC_NULL_ARGUMENT);
    CHECK(value == SENT_U64);
    CHECK_LAST_ERROR("license");
    CHECK_RC(lic_license_limit(l, NULL, &value), LIC_NULL_ARGUMENT);
    CHECK(value == SENT_U64);
    CHECK_LAST_ERROR("limit");
    CHECK_RC(lic_license_limit(l, "tenants", NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_license_limit(l, "no-such-limit", NULL), LIC_NULL_ARGUMENT);
    /* The arguments are checked in order: a NULL out before the name's UTF-8. */
    CHECK_RC(lic_license_limit(l, "\xff", NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_license_limit_enforcement(l, "\xff", NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_license_check_usage(l, "\xff", 1, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");

    /* lic_license_limit_enforcement */
    enum lic_enforcement e = SENT_ENUM;
    CHECK_RC(lic_license_limit_enforcement(NULL, "tenants", &e), LIC_NULL_ARGUMENT);
    CHECK(e == (enum lic_enforcement)SENT_ENUM);
    CHECK_RC(lic_license_limit_enforcement(l, NULL, &e), LIC_NULL_ARGUMENT);
    CHECK(e == (enum lic_enforcement)SENT_ENUM);
    CHECK_LAST_ERROR("limit");
    CHECK_RC(lic_license_limit_enforcement(l, "tenants", NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");

    /* lic_license_limit_n */
    value = SENT_U64;
    CHECK_RC(lic_license_limit_n(NULL, (const uint8_t *)"tenants", 7, &value), LIC_NULL_ARGUMENT);
    CHECK(value == SENT_U64);
    CHECK_LAST_ERROR("license");
    CHECK_RC(lic_license_limit_n(l, NULL, 7, &value), LIC_NULL_ARGUMENT);
    CHECK(value == SENT_U64);
    CHECK_LAST_ERROR("limit");
    CHECK_RC(lic_license_limit_n(l, (const uint8_t *)"tenants", 7, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_license_limit_n(l, NULL, 0, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");

    /* lic_license_limit_enforcement_n */
    e = SENT_ENUM;
    CHECK_RC(lic_license_limit_enforcement_n(NULL, (const uint8_t *)"tenants", 7, &e),
             LIC_NULL_ARGUMENT);
    CHECK(e == (enum lic_enforcement)SENT_ENUM);
    CHECK_LAST_ERROR("license");
    CHECK_RC(lic_license_limit_enforcement_n(l, NULL, 7, &e), LIC_NULL_ARGUMENT);
    CHECK(e == (enum lic_enforcement)SENT_ENUM);
    CHECK_LAST_ERROR("limit");
    CHECK_RC(lic_license_limit_enforcement_n(l, (const uint8_t *)"tenants", 7, NULL),
             LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");

    /* lic_license_check_usage */
    enum lic_usage u = SENT_ENUM;
    CHECK_RC(lic_license_check_usage(NULL, "tenants", 1, &u), LIC_NULL_ARGUMENT);
    CHECK(u == (enum lic_usage)SENT_ENUM);
    CHECK_RC(lic_license_check_usage(l, NULL, 1, &u), LIC_NULL_ARGUMENT);
    CHECK(u == (enum lic_usage)SENT_ENUM);
    CHECK_LAST_ERROR("limit");
    CHECK_RC(lic_license_check_usage(l, "tenants", 1, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_license_check_usage(l, "no-such-limit", 1, NULL), LIC_NULL_ARGUMENT);

    /* lic_license_check_usage_n */
    u = SENT_ENUM;
    CHECK_RC(lic_license_check_usage_n(NULL, (const uint8_t *)"tenants", 7, 1, &u),
             LIC_NULL_ARGUMENT);
    CHECK(u == (enum lic_usage)SENT_ENUM);
    CHECK_LAST_ERROR("license");
    CHECK_RC(lic_license_check_usage_n(l, NULL, 7, 1, &u), LIC_NULL_ARGUMENT);
    CHECK(u == (enum lic_usage)SENT_ENUM);
    CHECK_LAST_ERROR("limit");
    CHECK_RC(lic_license_check_usage_n(l, (const uint8_t *)"tenants", 7, 1, NULL),
             LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");

    /* Scalar getters: (NULL, &x) and (l, NULL). */
    int64_t t = SENT_I64;
    CHECK_RC(lic_license_expires_at(NULL, &t), LIC_NULL_ARGUMENT);
    CHECK(t == SENT_I64);
    CHECK_RC(lic_license_expires_at(l, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("unix_time");
    CHECK_RC(lic_license_issued_at(NULL, &t), LIC_NULL_ARGUMENT);
    CHECK(t == SENT_I64);
    CHECK_RC(lic_license_issued_at(l, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("unix_time");
    uint32_t rev = SENT_U32;
    CHECK_RC(lic_license_revision(NULL, &rev), LIC_NULL_ARGUMENT);
    CHECK(rev == SENT_U32);
    CHECK_RC(lic_license_revision(l, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    enum lic_type type = SENT_ENUM;
    CHECK_RC(lic_license_type(NULL, &type), LIC_NULL_ARGUMENT);
    CHECK(type == (enum lic_type)SENT_ENUM);
    CHECK_RC(lic_license_type(l, NULL), LIC_NULL_ARGUMENT);
    enum lic_purpose purpose = SENT_ENUM;
    CHECK_RC(lic_license_purpose(NULL, &purpose), LIC_NULL_ARGUMENT);
    CHECK(purpose == (enum lic_purpose)SENT_ENUM);
    CHECK_RC(lic_license_purpose(l, NULL), LIC_NULL_ARGUMENT);
    size_t n = SENT_SIZE;
    CHECK_RC(lic_license_feature_count(NULL, &n), LIC_NULL_ARGUMENT);
    CHECK(n == SENT_SIZE);
    CHECK_RC(lic_license_feature_count(l, NULL), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_license_limit_count(NULL, &n), LIC_NULL_ARGUMENT);
    CHECK(n == SENT_SIZE);
    CHECK_RC(lic_license_limit_count(l, NULL), LIC_NULL_ARGUMENT);

    /* feature_at / limit_at (the string getters are covered by
     * check_string_getter; here the index is also out of range). */
    char buf[32];
    memset(buf, SENT_BYTE, sizeof buf);
    size_t w = SENT_SIZE;
    CHECK_RC(lic_license_feature_at(NULL, 0, buf, sizeof buf, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    CHECK_RC(lic_license_feature_at(l, 0, NULL, sizeof buf, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE);
    CHECK_RC(lic_license_feature_at(l, 0, buf, sizeof buf, NULL), LIC_NULL_ARGUMENT);
    CHECK(buf[0] == SENT_BYTE);
    CHECK_RC(lic_license_limit_at(NULL, 0, buf, sizeof buf, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    CHECK_RC(lic_license_limit_at(l, 0, NULL, sizeof buf, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE);
    CHECK_RC(lic_license_limit_at(l, 0, buf, sizeof buf, NULL), LIC_NULL_ARGUMENT);
    CHECK(buf[0] == SENT_BYTE);
    {
        uint64_t value = SENT_U64, near_from = SENT_U64, id = SENT_U64;
        enum lic_enforcement e = SENT_ENUM;
        CHECK_RC(lic_license_limit_bounds_at(NULL, 0, &value, &near_from, &e), LIC_NULL_ARGUMENT);
        CHECK_RC(lic_license_limit_bounds_at(l, 0, NULL, &near_from, &e), LIC_NULL_ARGUMENT);
        CHECK_RC(lic_license_limit_bounds_at(l, 0, &value, NULL, &e), LIC_NULL_ARGUMENT);
        CHECK_RC(lic_license_limit_bounds_at(l, 0, &value, &near_from, NULL), LIC_NULL_ARGUMENT);
        CHECK(value == SENT_U64 && near_from == SENT_U64 && e == (enum lic_enforcement)SENT_ENUM);
        CHECK_RC(lic_license_verification_id(NULL, &id), LIC_NULL_ARGUMENT);
        CHECK_RC(lic_license_verification_id(l, NULL), LIC_NULL_ARGUMENT);
        CHECK(id == SENT_U64);
    }

    /* lic_result_message: NULL buffer = length query; never writes. */
    size_t len = lic_result_message(LIC_EXPIRED, NULL, 0);
    CHECK(len > 0);
    CHECK(lic_result_message(LIC_EXPIRED, NULL, 1000) == len);

    /* lic_last_error_message: a failed read does not replace the message. */
    lic_result_message(LIC_OK, NULL, 0);
    CHECK_RC(lic_license_limit(l, "marker-limit", &value), LIC_NO_SUCH_LIMIT);
    w = SENT_SIZE;
    CHECK_RC(lic_last_error_message(NULL, 100, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE);
    CHECK_RC(lic_last_error_message(buf, sizeof buf, NULL), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_last_error_message(NULL, 0, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("marker-limit");

    /* lic_serial_number_this_machine (pinned, so it cannot fail otherwise) */
    CHECK(setenv("LICENSING_IDENTITY", "c-test-null-arguments", 1) == 0);
    w = SENT_SIZE;
    CHECK_RC(lic_serial_number_this_machine(NULL, 100, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE);
    CHECK_LAST_ERROR("buf");
    memset(buf, SENT_BYTE, sizeof buf);
    CHECK_RC(lic_serial_number_this_machine(buf, sizeof buf, NULL), LIC_NULL_ARGUMENT);
    CHECK(buf[0] == SENT_BYTE);
    CHECK_LAST_ERROR("written");
    CHECK_RC(lic_serial_number_this_machine(NULL, 0, NULL), LIC_NULL_ARGUMENT);

    /* The exchange's calls on a store with prod.lic installed (the identity
     * still pinned: a request reads the store's serial). platform_version
     * and serial_number may be NULL: see exchange.c. */
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-null-exchange");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    lic_license *installed = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, AT_2026_06_01, false,
                               &installed),
             LIC_OK);
    lic_license_free(installed);
    char text[2048];

    /* lic_store_activation_request */
    const int32_t production = LIC_PURPOSE_PRODUCTION;
    memset(text, SENT_BYTE, sizeof text);
    w = SENT_SIZE;
    CHECK_RC(lic_store_activation_request(NULL, CODE, "Production", production, NULL,
                                          AT_2026_06_01, text, sizeof text, &w),
             LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && text[0] == SENT_BYTE);
    CHECK_LAST_ERROR("store");
    CHECK_RC(lic_store_activation_request(store, NULL, "Production", production, NULL,
                                          AT_2026_06_01, text, sizeof text, &w),
             LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && text[0] == SENT_BYTE);
    CHECK_LAST_ERROR("activation_code");
    CHECK_RC(lic_store_activation_request(store, CODE, NULL, production, NULL, AT_2026_06_01,
                                          text, sizeof text, &w),
             LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && text[0] == SENT_BYTE);
    CHECK_LAST_ERROR("environment_name");
    CHECK_RC(lic_store_activation_request(store, CODE, "Production", production, NULL,
                                          AT_2026_06_01, NULL, sizeof text, &w),
             LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE);
    CHECK_LAST_ERROR("buf");
    CHECK_RC(lic_store_activation_request(store, CODE, "Production", production, NULL,
                                          AT_2026_06_01, text, sizeof text, NULL),
             LIC_NULL_ARGUMENT);
    CHECK(text[0] == SENT_BYTE);
    CHECK_LAST_ERROR("written");
    CHECK_RC(lic_store_activation_request(NULL, NULL, NULL, -1, NULL, 0, NULL, 0, NULL),
             LIC_NULL_ARGUMENT);

    /* lic_store_usage_report */
    CHECK_RC(lic_store_usage_report(NULL, v, PROD_SERIAL, AT_2026_06_01, text, sizeof text, &w),
             LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && text[0] == SENT_BYTE);
    CHECK_LAST_ERROR("store");
    CHECK_RC(lic_store_usage_report(store, NULL, PROD_SERIAL, AT_2026_06_01, text, sizeof text,
                                    &w),
             LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && text[0] == SENT_BYTE);
    CHECK_LAST_ERROR("validator");
    CHECK_RC(lic_store_usage_report(store, v, PROD_SERIAL, AT_2026_06_01, NULL, sizeof text, &w),
             LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE);
    CHECK_LAST_ERROR("buf");
    CHECK_RC(lic_store_usage_report(store, v, PROD_SERIAL, AT_2026_06_01, text, sizeof text, NULL),
             LIC_NULL_ARGUMENT);
    CHECK(text[0] == SENT_BYTE);
    CHECK_LAST_ERROR("written");
    CHECK_RC(lic_store_usage_report(NULL, NULL, NULL, 0, NULL, 0, NULL), LIC_NULL_ARGUMENT);

    /* lic_store_install_usage_summary (NULL with length 0 is an empty
     * summary: see exchange.c) */
    const uint8_t summary[] = "-----BEGIN LICENSING USAGE SUMMARY-----";
    CHECK_RC(lic_store_install_usage_summary(NULL, v, summary, sizeof summary - 1, PROD_SERIAL,
                                             AT_2026_06_01),
             LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("store");
    CHECK_RC(lic_store_install_usage_summary(store, NULL, summary, sizeof summary - 1,
                                             PROD_SERIAL, AT_2026_06_01),
             LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("validator");
    CHECK_RC(lic_store_install_usage_summary(store, v, NULL, 10, PROD_SERIAL, AT_2026_06_01),
             LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("summary");
    CHECK_RC(lic_store_install_usage_summary(NULL, NULL, NULL, 1, NULL, 0), LIC_NULL_ARGUMENT);
    lic_store_free(store);
    remove_tree(dir);
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);

    free(prod.data);
    free(pem.data);
    lic_license_free(l);
    lic_validator_free(v);
}
