/*
 * Name lookups on prod.lic: features present and absent, limits' values and
 * enforcement, usage at each level, unknown names and names that are not
 * UTF-8, each by NUL-terminated name and by pointer and length (_n).
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <inttypes.h>
#include <stdlib.h>

/* Features and limits of prod.lic by name: by NUL-terminated name and by
 * length (the _n lookups), present, absent, not UTF-8. */
void test_prod_lookups(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    lic_license *l = VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");

    /* Features present and absent. */
    for (size_t i = 0; i < COUNT(PROD_FEATURES); i++)
        CHECK(lic_license_has_feature(l, PROD_FEATURES[i]));
    CHECK(!lic_license_has_feature(l, "sso-saml2"));
    CHECK(!lic_license_has_feature(l, "sso-sam"));
    CHECK(!lic_license_has_feature(l, "SSO-SAML"));
    CHECK(!lic_license_has_feature(l, ""));
    CHECK(!lic_license_has_feature(l, "tenants")); /* a limit, not a feature */
    CHECK(!lic_license_has_feature(l, "\xff\xfe")); /* not UTF-8: simply absent */

    /* The same with a length: no NUL needed, and one inside never matches. */
    for (size_t i = 0; i < COUNT(PROD_FEATURES); i++)
        CHECK(lic_license_has_feature_n(l, (const uint8_t *)PROD_FEATURES[i],
                                        strlen(PROD_FEATURES[i])));
    CHECK(lic_license_has_feature_n(l, (const uint8_t *)"sso-saml-and-more", 8));
    CHECK(!lic_license_has_feature_n(l, (const uint8_t *)"sso-saml", 7));
    CHECK(!lic_license_has_feature_n(l, (const uint8_t *)"sso-saml\0", 9));
    CHECK(!lic_license_has_feature_n(l, (const uint8_t *)"sso\0saml", 8));
    CHECK(!lic_license_has_feature_n(l, (const uint8_t *)"\xff\xfe", 2));
    CHECK(!lic_license_has_feature_n(l, (const uint8_t *)"", 0));
    CHECK(!lic_license_has_feature_n(l, NULL, 0)); /* the empty name */

    /* Limits: values and enforcement. */
    for (size_t i = 0; i < COUNT(PROD_LIMITS); i++) {
        uint64_t value = SENT_U64;
        CHECK_RC(lic_license_limit(l, PROD_LIMITS[i].name, &value), LIC_OK);
        CHECK(value == PROD_LIMITS[i].value);
        enum lic_enforcement e = SENT_ENUM;
        CHECK_RC(lic_license_limit_enforcement(l, PROD_LIMITS[i].name, &e), LIC_OK);
        CHECK(e == PROD_LIMITS[i].enforcement);
        /* The same with a length, and with text after the name. */
        char padded[64];
        size_t n = strlen(PROD_LIMITS[i].name);
        snprintf(padded, sizeof padded, "%s-and-more", PROD_LIMITS[i].name);
        value = SENT_U64;
        CHECK_RC(lic_license_limit_n(l, (const uint8_t *)padded, n, &value), LIC_OK);
        CHECK(value == PROD_LIMITS[i].value);
        e = SENT_ENUM;
        CHECK_RC(lic_license_limit_enforcement_n(l, (const uint8_t *)padded, n, &e), LIC_OK);
        CHECK(e == PROD_LIMITS[i].enforcement);
        /* One byte more is another name. */
        value = SENT_U64;
        CHECK_RC(lic_license_limit_n(l, (const uint8_t *)padded, n + 1, &value), LIC_NO_SUCH_LIMIT);
        CHECK(value == SENT_U64);
    }

    /* check_usage at each level. */
    struct {
        const char *limit;
        uint64_t usage;
        lic_usage want;
    } usages[] = {
        {"no-such-limit", 0, LIC_USAGE_UNLIMITED},
        {"no-such-limit", UINT64_MAX, LIC_USAGE_UNLIMITED},
        {"sso-saml", 1, LIC_USAGE_UNLIMITED}, /* a feature, not a limit */
        {"tenants", 0, LIC_USAGE_WITHIN},
        {"tenants", 20, LIC_USAGE_WITHIN},
        {"tenants", 22, LIC_USAGE_WITHIN},   /* 88% */
        {"tenants", 23, LIC_USAGE_NEAR},     /* 92% */
        {"tenants", 25, LIC_USAGE_NEAR},     /* at the limit: still allowed */
        {"tenants", 26, LIC_USAGE_OVER_HARD_LIMIT},
        {"tenants", UINT64_MAX, LIC_USAGE_OVER_HARD_LIMIT},
        {"application-objects", 404, LIC_USAGE_WITHIN},
        {"application-objects", 405, LIC_USAGE_NEAR}, /* exactly 90% */
        {"application-objects", 451, LIC_USAGE_OVER_HARD_LIMIT},
        {"internal-users", 89, LIC_USAGE_WITHIN},
        {"internal-users", 90, LIC_USAGE_NEAR},
        {"internal-users", 100, LIC_USAGE_NEAR},
        {"internal-users", 101, LIC_USAGE_OVER_SOFT_LIMIT},
        {"api-calls-per-day", 1000001, LIC_USAGE_OVER_SOFT_LIMIT},
    };
    for (size_t i = 0; i < COUNT(usages); i++) {
        enum lic_usage u = SENT_ENUM;
        CHECK_RC(lic_license_check_usage(l, usages[i].limit, usages[i].usage, &u), LIC_OK);
        if (u != usages[i].want) {
            char msg[200];
            snprintf(msg, sizeof msg, "check_usage(%s, %" PRIu64 ") = %d, expected %d",
                     usages[i].limit, usages[i].usage, (int)u, (int)usages[i].want);
            fail_here(__FILE__, __LINE__, msg);
        }
        /* The same with a length, and with text after the name. */
        char padded[64];
        size_t n = strlen(usages[i].limit);
        snprintf(padded, sizeof padded, "%s-and-more", usages[i].limit);
        u = SENT_ENUM;
        CHECK_RC(lic_license_check_usage_n(l, (const uint8_t *)padded, n, usages[i].usage, &u),
                 LIC_OK);
        CHECK(u == usages[i].want);
    }
    {
        enum lic_usage u = SENT_ENUM;
        CHECK_RC(lic_license_check_usage_n(l, (const uint8_t *)"tenants\0", 8, 26, &u), LIC_OK);
        CHECK(u == LIC_USAGE_UNLIMITED); /* a NUL inside: another name */
        CHECK_RC(lic_license_check_usage_n(l, NULL, 0, 26, &u), LIC_OK);
        CHECK(u == LIC_USAGE_UNLIMITED); /* the empty name */
    }

    /* Unknown limits. */
    uint64_t value = SENT_U64;
    CHECK_RC(lic_license_limit(l, "no-such-limit", &value), LIC_NO_SUCH_LIMIT);
    CHECK(value == SENT_U64);
    CHECK_LAST_ERROR("no-such-limit");
    enum lic_enforcement e = SENT_ENUM;
    CHECK_RC(lic_license_limit_enforcement(l, "tenant", &e), LIC_NO_SUCH_LIMIT);
    CHECK(e == (enum lic_enforcement)SENT_ENUM);
    CHECK_LAST_ERROR("tenant");
    CHECK_RC(lic_license_limit_n(l, (const uint8_t *)"tenants\0", 8, &value), LIC_NO_SUCH_LIMIT);
    CHECK(value == SENT_U64);
    CHECK_LAST_ERROR("'tenants\\0'"); /* a NUL inside: another name, shown escaped */
    CHECK_RC(lic_license_limit_enforcement_n(l, NULL, 0, &e), LIC_NO_SUCH_LIMIT);
    CHECK(e == (enum lic_enforcement)SENT_ENUM); /* the empty name */
    CHECK_LAST_ERROR("''");

    /* Invalid UTF-8 names of limits. */
    CHECK_RC(lic_license_limit(l, "tenants\xff", &value), LIC_INVALID_UTF8);
    CHECK(value == SENT_U64);
    CHECK_LAST_ERROR("UTF-8");
    CHECK_RC(lic_license_limit_enforcement(l, "\xc3", &e), LIC_INVALID_UTF8);
    CHECK(e == (enum lic_enforcement)SENT_ENUM);
    CHECK_RC(lic_license_limit_n(l, (const uint8_t *)"tenants\xff", 8, &value), LIC_INVALID_UTF8);
    CHECK(value == SENT_U64);
    CHECK_LAST_ERROR("UTF-8");
    CHECK_RC(lic_license_limit_enforcement_n(l, (const uint8_t *)"\xc3", 1, &e), LIC_INVALID_UTF8);
    CHECK(e == (enum lic_enforcement)SENT_ENUM);
    CHECK_LAST_ERROR("UTF-8");
    enum lic_usage u = SENT_ENUM;
    CHECK_RC(lic_license_check_usage(l, "\x80", 1, &u), LIC_INVALID_UTF8);
    CHECK(u == (enum lic_usage)SENT_ENUM);
    CHECK_LAST_ERROR("UTF-8");
    CHECK_RC(lic_license_check_usage_n(l, (const uint8_t *)"\x80", 1, 1, &u), LIC_INVALID_UTF8);
    CHECK(u == (enum lic_usage)SENT_ENUM);
    CHECK_LAST_ERROR("UTF-8");


    lic_license_free(l);
    lic_validator_free(v);
}
