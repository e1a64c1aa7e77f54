/*
 * What a valid license says: its state, counts and listings, times and
 * scalars, string getters (prod.lic, its text forms, dev-never-expires.lic),
 * and its state in time, including LIC_NOW.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

/* feature_at / limit_at as string getters at a fixed index. */
static size_t getter_index;
static lic_result feature_at_index(const lic_license *l, char *buf, size_t len, size_t *w) {
    return lic_license_feature_at(l, getter_index, buf, len, w);
}
static lic_result limit_at_index(const lic_license *l, char *buf, size_t len, size_t *w) {
    return lic_license_limit_at(l, getter_index, buf, len, w);
}

/* prod.lic as the license page shows it: state, counts and listings, times
 * and scalars, every string getter, indexes out of range. */
void test_prod_license(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    lic_license *l = VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");

    /* State: active, days_left the days until it expires (578.5, rounded
     * up), as lic_license_days_left gives them; days_left may be NULL. */
    enum lic_state st = SENT_ENUM;
    uint32_t days = SENT_U32;
    CHECK_RC(lic_license_state(l, &st, &days), LIC_OK);
    CHECK(st == LIC_STATE_ACTIVE);
    CHECK_EQ_U(days, 579);
    days = SENT_U32;
    CHECK_RC(lic_license_days_left(l, &days), LIC_OK);
    CHECK_EQ_U(days, 579);
    st = SENT_ENUM;
    CHECK_RC(lic_license_state(l, &st, NULL), LIC_OK);
    CHECK(st == LIC_STATE_ACTIVE);

    /* Counts and listing, in sorted order. */
    size_t count = SENT_SIZE;
    CHECK_RC(lic_license_feature_count(l, &count), LIC_OK);
    CHECK(count == COUNT(PROD_FEATURES));
    for (size_t i = 0; i < count; i++) {
        getter_index = i;
        check_string_getter("feature_at", feature_at_index, l, PROD_FEATURES[i]);
    }
    count = SENT_SIZE;
    CHECK_RC(lic_license_limit_count(l, &count), LIC_OK);
    CHECK(count == COUNT(PROD_LIMITS));
    for (size_t i = 0; i < count; i++) {
        getter_index = i;
        check_string_getter("limit_at", limit_at_index, l, PROD_LIMITS[i].name);
    }

    /* Times and other scalars. */
    int64_t t = SENT_I64;
    CHECK_RC(lic_license_expires_at(l, &t), LIC_OK);
    CHECK(t == INT64_C(1830297600));
    t = SENT_I64;
    CHECK_RC(lic_license_issued_at(l, &t), LIC_OK);
    CHECK(t == INT64_C(1736933400));
    uint32_t rev = SENT_U32;
    CHECK_RC(lic_license_revision(l, &rev), LIC_OK);
    CHECK(rev == 7);
    enum lic_type type = SENT_ENUM;
    CHECK_RC(lic_license_type(l, &type), LIC_OK);
    CHECK(type == LIC_TYPE_PRODUCTION);
    enum lic_purpose purpose = SENT_ENUM;
    CHECK_RC(lic_license_purpose(l, &purpose), LIC_OK);
    CHECK(purpose == LIC_PURPOSE_PRODUCTION);

    /* Every string getter. */
    check_string_getter("activation_code", lic_license_activation_code, l, CODE);
    check_string_getter("serial_number", lic_license_serial_number, l, PROD_SERIAL);
    check_string_getter("organization", lic_license_organization, l, "Acme Corp");
    check_string_getter("edition", lic_license_edition, l, "Enterprise");
    check_string_getter("support", lic_license_support, l, "premium");
    check_string_getter("environment_name", lic_license_environment_name, l, "Production");
    check_string_getter("id", lic_license_id, l, "766563746f722d70726f642d30303031");

    /* Out-of-range indexes. */
    char buf[64];
    size_t w = SENT_SIZE;
    memset(buf, SENT_BYTE, sizeof buf);
    CHECK_RC(lic_license_feature_at(l, 10, buf, sizeof buf, &w), LIC_INDEX_OUT_OF_RANGE);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    CHECK_LAST_ERROR("10");
    CHECK_RC(lic_license_feature_at(l, SIZE_MAX, buf, sizeof buf, &w), LIC_INDEX_OUT_OF_RANGE);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    CHECK_RC(lic_license_limit_at(l, 6, buf, sizeof buf, &w), LIC_INDEX_OUT_OF_RANGE);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    CHECK_LAST_ERROR("6");
    CHECK_RC(lic_license_limit_at(l, SIZE_MAX, buf, sizeof buf, &w), LIC_INDEX_OUT_OF_RANGE);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);

    /* The bounds of each limit answer check_usage by two comparisons. */
    uint64_t usages[] = {0, 1, 89, 90, 404, 405, 449, 450, 451, 999999, 1000000, 1000001,
                         UINT64_MAX};
    count = SENT_SIZE;
    CHECK_RC(lic_license_limit_count(l, &count), LIC_OK);
    for (size_t i = 0; i < count; i++) {
        char name[64];
        size_t nw = 0;
        CHECK_RC(lic_license_limit_at(l, i, name, sizeof name, &nw), LIC_OK);
        uint64_t value = SENT_U64, near_from = SENT_U64;
        enum lic_enforcement e = SENT_ENUM;
        CHECK_RC(lic_license_limit_bounds_at(l, i, &value, &near_from, &e), LIC_OK);
        uint64_t expected_value = SENT_U64;
        CHECK_RC(lic_license_limit(l, name, &expected_value), LIC_OK);
        CHECK(value == expected_value);
        for (size_t u = 0; u < COUNT(usages); u++) {
            enum lic_usage compared = usages[u] > value
                                          ? (e == LIC_ENFORCEMENT_HARD ? LIC_USAGE_OVER_HARD_LIMIT
                                                                       : LIC_USAGE_OVER_SOFT_LIMIT)
                                      : usages[u] >= near_from ? LIC_USAGE_NEAR
                                                               : LIC_USAGE_WITHIN;
            enum lic_usage checked = SENT_ENUM;
            CHECK_RC(lic_license_check_usage(l, name, usages[u], &checked), LIC_OK);
            CHECK(compared == checked);
        }
    }
    uint64_t past_value = SENT_U64, past_near = SENT_U64;
    enum lic_enforcement past_e = SENT_ENUM;
    CHECK_RC(lic_license_limit_bounds_at(l, count, &past_value, &past_near, &past_e),
             LIC_INDEX_OUT_OF_RANGE);
    CHECK(past_value == SENT_U64 && past_near == SENT_U64 &&
          past_e == (enum lic_enforcement)SENT_ENUM);

    /* The same bytes again: the same verification; another validator: another. */
    uint64_t id = SENT_U64, again_id = SENT_U64, other_id = SENT_U64;
    CHECK_RC(lic_license_verification_id(l, &id), LIC_OK);
    lic_license *again = VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");
    CHECK_RC(lic_license_verification_id(again, &again_id), LIC_OK);
    CHECK(id == again_id && id != SENT_U64);
    lic_validator *other = make_validator("test-public-key.pem");
    lic_license *elsewhere =
        VALIDATE(other, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");
    CHECK_RC(lic_license_verification_id(elsewhere, &other_id), LIC_OK);
    CHECK(other_id != id);
    lic_license_free(again);
    lic_license_free(elsewhere);
    lic_validator_free(other);

    /* A license outlives its validator. */
    lic_validator_free(v);
    CHECK(lic_license_has_feature(l, "sso-saml"));
    check_string_getter("organization after the validator is freed", lic_license_organization,
                        l, "Acme Corp");
    lic_license_free(l);
}

void test_text_forms(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    const char *names[] = {"prod.pem", "prod-mail.txt"};
    for (size_t i = 0; i < COUNT(names); i++) {
        lic_license *l = VALIDATE(v, names[i], PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");
        CHECK(lic_license_has_feature(l, "sso-saml"));
        check_string_getter("organization", lic_license_organization, l, "Acme Corp");
        lic_license_free(l);
    }
    VALIDATE(v, "prod.pem", PROD_SERIAL, CODE, INT64_C(1832976000), LIC_EXPIRED, "expired");
    lic_validator_free(v);
}

void test_never_expires(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    lic_license *l = VALIDATE(v, "dev-never-expires.lic", DEV_SERIAL, CODE, DEV_ISSUED, LIC_OK, "");
    int64_t t = SENT_I64;
    CHECK_RC(lic_license_expires_at(l, &t), LIC_NEVER_EXPIRES);
    CHECK(t == SENT_I64);
    CHECK_LAST_ERROR("never expires");
    CHECK_RC(lic_license_issued_at(l, &t), LIC_OK);
    CHECK(t == DEV_ISSUED);
    enum lic_state st = SENT_ENUM;
    uint32_t days = SENT_U32;
    CHECK_RC(lic_license_state(l, &st, &days), LIC_OK);
    CHECK(st == LIC_STATE_ACTIVE && days == 0);
    /* No days to count: LIC_NEVER_EXPIRES, nothing written. */
    days = SENT_U32;
    CHECK_RC(lic_license_days_left(l, &days), LIC_NEVER_EXPIRES);
    CHECK(days == SENT_U32);
    CHECK_LAST_ERROR("never expires");
    enum lic_type type = SENT_ENUM;
    CHECK_RC(lic_license_type(l, &type), LIC_OK);
    CHECK(type == LIC_TYPE_DEVELOPMENT);
    enum lic_purpose purpose = SENT_ENUM;
    CHECK_RC(lic_license_purpose(l, &purpose), LIC_OK);
    CHECK(purpose == LIC_PURPOSE_DEVELOPMENT);
    uint32_t rev = SENT_U32;
    CHECK_RC(lic_license_revision(l, &rev), LIC_OK);
    CHECK(rev == 3);
    size_t n = SENT_SIZE;
    CHECK_RC(lic_license_feature_count(l, &n), LIC_OK);
    CHECK(n == 2);
    CHECK_RC(lic_license_limit_count(l, &n), LIC_OK);
    CHECK(n == 1);
    CHECK(lic_license_has_feature(l, "audit-log"));
    CHECK(lic_license_has_feature(l, "sso-saml"));
    CHECK(!lic_license_has_feature(l, "workflow"));
    enum lic_usage u = SENT_ENUM;
    CHECK_RC(lic_license_check_usage(l, "internal-users", 6, &u), LIC_OK);
    CHECK(u == LIC_USAGE_OVER_SOFT_LIMIT);
    CHECK_RC(lic_license_check_usage(l, "tenants", 1000, &u), LIC_OK);
    CHECK(u == LIC_USAGE_UNLIMITED);
    check_string_getter("organization", lic_license_organization, l, "Acme");
    check_string_getter("edition", lic_license_edition, l, "Team");
    check_string_getter("support", lic_license_support, l, "basic");
    check_string_getter("environment_name", lic_license_environment_name, l, "Dev");
    check_string_getter("serial_number", lic_license_serial_number, l, DEV_SERIAL);
    check_string_getter("activation_code", lic_license_activation_code, l, CODE);
    check_string_getter("id", lic_license_id, l, "766563746f722d6465762d2d30303031");
    getter_index = 1;
    check_string_getter("feature_at(1)", feature_at_index, l, "sso-saml");
    getter_index = 0;
    check_string_getter("limit_at(0)", limit_at_index, l, "internal-users");
    lic_license_free(l);

    /* Far in the future it is still active. */
    l = VALIDATE(v, "dev-never-expires.lic", DEV_SERIAL, CODE, INT64_C(4102444799), LIC_OK, "");
    CHECK_RC(lic_license_state(l, &st, &days), LIC_OK);
    CHECK(st == LIC_STATE_ACTIVE && days == 0);
    days = SENT_U32;
    CHECK_RC(lic_license_days_left(l, &days), LIC_NEVER_EXPIRES);
    CHECK(days == SENT_U32);
    lic_license_free(l);
    l = VALIDATE(v, "dev-never-expires.lic", DEV_SERIAL, CODE, INT64_MAX, LIC_OK, "");
    lic_license_free(l);
    lic_validator_free(v);
}

/* States in time, from vectors.json (prod.lic and expired.lic). */
void test_states(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    struct {
        const char *file;
        int64_t now;
        lic_state state;
        uint32_t days;
    } cases[] = {
        /* Active: the days until it expires, rounded up. */
        {"prod.lic", INT64_C(1736933100), LIC_STATE_ACTIVE, 1081},
        {"prod.lic", INT64_C(1827705599), LIC_STATE_ACTIVE, 31},
        {"prod.lic", INT64_C(1827705600), LIC_STATE_EXPIRING_SOON, 30},
        {"prod.lic", INT64_C(1828850400), LIC_STATE_EXPIRING_SOON, 17},
        {"prod.lic", INT64_C(1830297600), LIC_STATE_IN_GRACE, 30},
        {"prod.lic", INT64_C(1831075200), LIC_STATE_IN_GRACE, 21},
        {"expired.lic", INT64_C(1735689599), LIC_STATE_EXPIRING_SOON, 1},
        {"expired.lic", INT64_C(1736035200), LIC_STATE_IN_GRACE, 10},
        {"expired.lic", INT64_C(1736899199), LIC_STATE_IN_GRACE, 1},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        lic_license *l = VALIDATE(v, cases[i].file, PROD_SERIAL, CODE, cases[i].now, LIC_OK, "");
        enum lic_state st = SENT_ENUM;
        uint32_t days = SENT_U32;
        CHECK_RC(lic_license_state(l, &st, &days), LIC_OK);
        if (st != cases[i].state || days != cases[i].days) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s at %" PRId64 ": state %d days %u, expected %d days %u",
                     cases[i].file, cases[i].now, (int)st, days, (int)cases[i].state,
                     cases[i].days);
            fail_here(__FILE__, __LINE__, msg);
        }
        /* lic_license_days_left gives the same days. */
        uint32_t left = SENT_U32;
        CHECK_RC(lic_license_days_left(l, &left), LIC_OK);
        CHECK_EQ_U(left, cases[i].days);
        lic_license_free(l);
    }
    /* The cache of verified files does not cache the verdict in time. */
    VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, INT64_C(1832889600), LIC_EXPIRED, "expired");
    lic_license_free(VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));
    VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, INT64_C(1736933099), LIC_NOT_YET_VALID, "clock");

    /* LIC_NOW is the system clock: same verdict as passing time(NULL). */
    const char *files[] = {"prod.lic", "dev-never-expires.lic", "expired.lic"};
    const char *serials[] = {PROD_SERIAL, DEV_SERIAL, PROD_SERIAL};
    for (size_t i = 0; i < COUNT(files); i++) {
        blob b = fixture(files[i]);
        lic_license *a = NULL, *c = NULL;
        lic_result ra = lic_validator_validate(v, b.data, b.len, serials[i], CODE, LIC_NOW, &a);
        lic_result rc = lic_validator_validate(v, b.data, b.len, serials[i], CODE,
                                               (int64_t)time(NULL), &c);
        CHECK(ra == rc);
        CHECK(ra == LIC_OK || ra == LIC_EXPIRED || ra == LIC_NOT_YET_VALID);
        if (ra == LIC_OK) {
            enum lic_state sa, sc;
            CHECK_RC(lic_license_state(a, &sa, NULL), LIC_OK);
            CHECK_RC(lic_license_state(c, &sc, NULL), LIC_OK);
            CHECK(sa == sc);
        }
        lic_license_free(a);
        lic_license_free(c);
        free(b.data);
    }
    /* The extremes of time must not panic. */
    VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, INT64_MIN + 1, LIC_NOT_YET_VALID, "clock");
    VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, INT64_MAX, LIC_EXPIRED, "expired");
    lic_validator_free(v);
}
