/*
 * Tests of the C ABI (include/licensing.h) against the built library, with
 * the fixtures of tests/vectors (see vectors.json for their verdicts).
 *
 * Usage: test_ffi <path to tests/vectors>
 * Environment: LIC_TEST_ITERATIONS (per thread in the concurrency test,
 * default 2000), LIC_TEST_VERBOSE=1 prints every failure message checked.
 *
 * Every CHECK stops the program with file:line and exit status 1, so a
 * broken promise of the ABI fails the run.
 */
#define _POSIX_C_SOURCE 200809L

#include "licensing.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- assertions ------------------------------------------------------ */

static atomic_ulong checks_passed;
static bool verbose;

static void fail_here(const char *file, int line, const char *what) {
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
    fflush(stderr);
    exit(1);
}

/* The condition must hold; otherwise print file:line and exit 1. */
#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) fail_here(__FILE__, __LINE__, #cond);                                     \
        atomic_fetch_add(&checks_passed, 1);                                                   \
    } while (0)

/* `call` must return `expected` (a lic_result); prints both and the
 * thread's last error otherwise. */
#define CHECK_RC(call, expected)                                                               \
    do {                                                                                       \
        lic_result rc_ = (call);                                                               \
        lic_result want_ = (expected);                                                         \
        if (rc_ != want_) {                                                                    \
            char msg_[1200];                                                                   \
            snprintf(msg_, sizeof msg_, "%s returned %s (%u), expected %s (%u); last error: %s", \
                     #call, code_name(rc_), (unsigned)rc_, code_name(want_), (unsigned)want_,  \
                     last_error());                                                            \
            fail_here(__FILE__, __LINE__, msg_);                                               \
        }                                                                                      \
        atomic_fetch_add(&checks_passed, 1);                                                   \
    } while (0)

#define CHECK_STR(actual, expected)                                                            \
    do {                                                                                       \
        const char *a_ = (actual), *e_ = (expected);                                           \
        if (a_ == NULL || strcmp(a_, e_) != 0) {                                               \
            char msg_[600];                                                                    \
            snprintf(msg_, sizeof msg_, "%s is \"%s\", expected \"%s\"", #actual,              \
                     a_ ? a_ : "(null)", e_);                                                  \
            fail_here(__FILE__, __LINE__, msg_);                                               \
        }                                                                                      \
        atomic_fetch_add(&checks_passed, 1);                                                   \
    } while (0)

/* ---- fixtures and helpers -------------------------------------------- */

#define PROD_SERIAL "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T"
#define DEV_SERIAL "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6"
#define CODE "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ"
#define OTHER_CODE "9B5.EG7.HQ2.VY0.CK3.MS8.RZ1.D0V"
#define AT_2026_06_01 INT64_C(1780315200) /* prod.lic: active */
#define DEV_ISSUED INT64_C(1740816000)

/* Sentinels: out-parameters are pre-filled with these to prove that a
 * failing call leaves them alone. */
#define SENT_U32 UINT32_C(0xDEADBEEF)
#define SENT_U64 UINT64_C(0xDEADBEEFCAFEF00D)
#define SENT_I64 INT64_C(-0x2152411035010FF3)
#define SENT_SIZE ((size_t)0xABADCAFE)
#define SENT_ENUM 0x5A5A5A
#define SENT_PTR ((void *)(uintptr_t)0x0BADF00D)
#define SENT_BYTE 'X'

static const char *vectors_dir;

typedef struct {
    uint8_t *data;
    size_t len;
} blob;

static blob fixture(const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", vectors_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open fixture %s: %s\n", path, strerror(errno));
        exit(2);
    }
    blob b = {NULL, 0};
    size_t cap = 0;
    for (;;) {
        if (b.len == cap) {
            cap = cap ? cap * 2 : 4096;
            b.data = realloc(b.data, cap);
            if (!b.data) exit(2);
        }
        size_t n = fread(b.data + b.len, 1, cap - b.len, f);
        if (n == 0) break;
        b.len += n;
    }
    fclose(f);
    return b;
}

static blob concat(blob a, blob b) {
    blob c = {malloc(a.len + b.len), a.len + b.len};
    if (!c.data) exit(2);
    memcpy(c.data, a.data, a.len);
    memcpy(c.data + a.len, b.data, b.len);
    return c;
}

static const char *code_name(lic_result r) {
    switch (r) {
    case LIC_OK: return "LIC_OK";
    case LIC_NULL_ARGUMENT: return "LIC_NULL_ARGUMENT";
    case LIC_INVALID_UTF8: return "LIC_INVALID_UTF8";
    case LIC_BUFFER_TOO_SMALL: return "LIC_BUFFER_TOO_SMALL";
    case LIC_INVALID_SERIAL_NUMBER: return "LIC_INVALID_SERIAL_NUMBER";
    case LIC_INVALID_ACTIVATION_CODE: return "LIC_INVALID_ACTIVATION_CODE";
    case LIC_INDEX_OUT_OF_RANGE: return "LIC_INDEX_OUT_OF_RANGE";
    case LIC_PANIC: return "LIC_PANIC";
    case LIC_BAD_TRUSTED_KEYS: return "LIC_BAD_TRUSTED_KEYS";
    case LIC_MALFORMED: return "LIC_MALFORMED";
    case LIC_UNSUPPORTED_VERSION: return "LIC_UNSUPPORTED_VERSION";
    case LIC_UNKNOWN_KEY: return "LIC_UNKNOWN_KEY";
    case LIC_BAD_SIGNATURE: return "LIC_BAD_SIGNATURE";
    case LIC_WRONG_ACTIVATION_CODE: return "LIC_WRONG_ACTIVATION_CODE";
    case LIC_WRONG_SERIAL: return "LIC_WRONG_SERIAL";
    case LIC_NOT_YET_VALID: return "LIC_NOT_YET_VALID";
    case LIC_EXPIRED: return "LIC_EXPIRED";
    case LIC_NO_SUCH_LIMIT: return "LIC_NO_SUCH_LIMIT";
    case LIC_NEVER_EXPIRES: return "LIC_NEVER_EXPIRES";
    case LIC_NO_HARDWARE_IDENTITY: return "LIC_NO_HARDWARE_IDENTITY";
    case LIC_NO_LICENSE: return "LIC_NO_LICENSE";
    case LIC_STORE_IO: return "LIC_STORE_IO";
    case LIC_DOWNGRADE: return "LIC_DOWNGRADE";
    case LIC_NO_BACKUP: return "LIC_NO_BACKUP";
    case LIC_CORRUPT_STATE: return "LIC_CORRUPT_STATE";
    default: return "(not a lic_result)";
    }
}

/* This thread's last error message, through the documented two-call
 * protocol (ask the length, then allocate written + 1). */
static const char *last_error(void) {
    static _Thread_local char text[2048];
    size_t needed = SENT_SIZE;
    lic_result rc = lic_last_error_message(NULL, 0, &needed);
    if (rc == LIC_BUFFER_TOO_SMALL && needed < sizeof text) {
        size_t written = SENT_SIZE;
        if (lic_last_error_message(text, needed + 1, &written) == LIC_OK && written == needed)
            return text;
        return "(lic_last_error_message failed on the second call)";
    }
    if (rc == LIC_BUFFER_TOO_SMALL) return "(last error longer than 2 KiB)";
    return "(lic_last_error_message did not report the length)";
}

/* The last failure must be described: non-empty, and naming `word` (a
 * fragment that shows it is about this failure). */
#define CHECK_LAST_ERROR(word)                                                                 \
    do {                                                                                       \
        const char *le_ = last_error();                                                        \
        if (verbose) printf("    last error: %s\n", le_);                                      \
        if (le_[0] == '\0' || strstr(le_, (word)) == NULL) {                                   \
            char msg_[2400];                                                                   \
            snprintf(msg_, sizeof msg_, "last error \"%s\" does not mention \"%s\"", le_,      \
                     (word));                                                                  \
            fail_here(__FILE__, __LINE__, msg_);                                               \
        }                                                                                      \
        atomic_fetch_add(&checks_passed, 1);                                                   \
    } while (0)

static lic_validator *make_validator(const char *pem_name) {
    blob pem = fixture(pem_name);
    lic_validator *v = SENT_PTR;
    CHECK_RC(lic_validator_new(pem.data, pem.len, &v), LIC_OK);
    CHECK(v != NULL && v != SENT_PTR);
    free(pem.data);
    return v;
}

/* Validates fixture `name`; expects `want`. On success returns the license;
 * on failure checks that *out was left alone and the last error names
 * `word`. */
static lic_license *validate_as(const lic_validator *v, const char *name, const char *serial,
                                const char *code, int64_t now, lic_result want,
                                const char *word, const char *file, int line) {
    blob b = fixture(name);
    lic_license *l = SENT_PTR;
    lic_result rc = lic_validator_validate(v, b.data, b.len, serial, code, now, &l);
    free(b.data);
    if (rc != want) {
        char msg[1500];
        snprintf(msg, sizeof msg, "validating %s gave %s, expected %s; last error: %s", name,
                 code_name(rc), code_name(want), last_error());
        fail_here(file, line, msg);
    }
    atomic_fetch_add(&checks_passed, 1);
    if (rc == LIC_OK) {
        if (l == NULL || l == SENT_PTR) fail_here(file, line, "LIC_OK without a license");
        return l;
    }
    if (l != SENT_PTR) fail_here(file, line, "a failed validation wrote *out");
    const char *le = last_error();
    if (verbose) printf("    %s -> %s: %s\n", name, code_name(rc), le);
    if (le[0] == '\0' || strstr(le, word) == NULL) {
        char msg[2400];
        snprintf(msg, sizeof msg, "validating %s: last error \"%s\" does not mention \"%s\"",
                 name, le, word);
        fail_here(file, line, msg);
    }
    return NULL;
}
#define VALIDATE(v, name, serial, code, now, want, word)                                       \
    validate_as((v), (name), (serial), (code), (now), (want), (word), __FILE__, __LINE__)

typedef lic_result (*string_getter)(const lic_license *, char *, size_t, size_t *);

/* Checks a string getter's whole protocol on `l`: the size query, buffers
 * of 0, 1, exactly the length and length + 1 bytes (too small ones are
 * left untouched), and the value. */
static void check_string_getter(const char *what, string_getter get, const lic_license *l,
                                const char *expected) {
    if (verbose) printf("    %s = \"%s\"\n", what, expected);
    size_t n = strlen(expected);
    char buf[256];
    size_t w;

    /* Size query: NULL buffer of length 0. */
    w = SENT_SIZE;
    CHECK_RC(get(l, NULL, 0, &w), LIC_BUFFER_TOO_SMALL);
    CHECK(w == n);
    CHECK_LAST_ERROR("buffer");

    size_t sizes[] = {0, 1, n};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        memset(buf, SENT_BYTE, sizeof buf);
        w = SENT_SIZE;
        CHECK_RC(get(l, buf, sizes[i], &w), LIC_BUFFER_TOO_SMALL);
        CHECK(w == n);
        for (size_t j = 0; j < sizeof buf; j++) CHECK(buf[j] == SENT_BYTE);
    }

    /* Exactly enough: the text and its NUL, nothing after it. */
    memset(buf, SENT_BYTE, sizeof buf);
    w = SENT_SIZE;
    CHECK_RC(get(l, buf, n + 1, &w), LIC_OK);
    CHECK(w == n);
    CHECK_STR(buf, expected);
    CHECK(buf[n] == '\0');
    for (size_t j = n + 1; j < sizeof buf; j++) CHECK(buf[j] == SENT_BYTE);

    /* A large buffer. */
    w = SENT_SIZE;
    CHECK_RC(get(l, buf, sizeof buf, &w), LIC_OK);
    CHECK(w == n);
    CHECK_STR(buf, expected);

    /* NULL arguments: nothing written anywhere. */
    memset(buf, SENT_BYTE, sizeof buf);
    w = SENT_SIZE;
    CHECK_RC(get(NULL, buf, sizeof buf, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    CHECK_LAST_ERROR("license");
    CHECK_RC(get(l, NULL, sizeof buf, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE);
    CHECK_LAST_ERROR("buf");
    CHECK_RC(get(l, buf, sizeof buf, NULL), LIC_NULL_ARGUMENT);
    CHECK(buf[0] == SENT_BYTE);
    CHECK_LAST_ERROR("written");
    CHECK_RC(get(NULL, NULL, 0, NULL), LIC_NULL_ARGUMENT);
}

/* feature_at / limit_at as string getters at a fixed index. */
static size_t getter_index;
static lic_result feature_at_index(const lic_license *l, char *buf, size_t len, size_t *w) {
    return lic_license_feature_at(l, getter_index, buf, len, w);
}
static lic_result limit_at_index(const lic_license *l, char *buf, size_t len, size_t *w) {
    return lic_license_limit_at(l, getter_index, buf, len, w);
}

/* ---- tests ----------------------------------------------------------- */

static void test_version(void) {
    const char *v = lic_version();
    CHECK(v != NULL);
    CHECK_STR(v, LICENSING_VERSION);
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", LICENSING_VERSION_MAJOR,
             LICENSING_VERSION_MINOR, LICENSING_VERSION_PATCH);
    CHECK_STR(v, expected);
    CHECK(lic_version() == v); /* a static string */
}

static const char *const PROD_FEATURES[] = {
    "api-gateway", "audit-log", "data-export", "ha-cluster", "multi-tenancy",
    "reporting",   "sap-connector", "sso-oidc", "sso-saml",  "workflow",
};
static const struct {
    const char *name;
    uint64_t value;
    lic_enforcement enforcement;
} PROD_LIMITS[] = {
    {"api-calls-per-day", 1000000, LIC_ENFORCEMENT_SOFT},
    {"application-objects", 450, LIC_ENFORCEMENT_HARD},
    {"external-users", 10000, LIC_ENFORCEMENT_SOFT},
    {"internal-users", 100, LIC_ENFORCEMENT_SOFT},
    {"storage-gb", 500, LIC_ENFORCEMENT_HARD},
    {"tenants", 25, LIC_ENFORCEMENT_HARD},
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_prod_license(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    lic_license *l = VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");

    /* State: active, days_left 0; days_left may be NULL. */
    enum lic_state st = SENT_ENUM;
    uint32_t days = SENT_U32;
    CHECK_RC(lic_license_state(l, &st, &days), LIC_OK);
    CHECK(st == LIC_STATE_ACTIVE);
    CHECK(days == 0);
    st = SENT_ENUM;
    CHECK_RC(lic_license_state(l, &st, NULL), LIC_OK);
    CHECK(st == LIC_STATE_ACTIVE);

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

    /* A license outlives its validator. */
    lic_validator_free(v);
    CHECK(lic_license_has_feature(l, "sso-saml"));
    check_string_getter("organization after the validator is freed", lic_license_organization,
                        l, "Acme Corp");
    lic_license_free(l);
}

static void test_text_forms(void) {
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

static void test_never_expires(void) {
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
    lic_license_free(l);
    l = VALIDATE(v, "dev-never-expires.lic", DEV_SERIAL, CODE, INT64_MAX, LIC_OK, "");
    lic_license_free(l);
    lic_validator_free(v);
}

/* States in time, from vectors.json (prod.lic and expired.lic). */
static void test_states(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    struct {
        const char *file;
        int64_t now;
        lic_state state;
        uint32_t days;
    } cases[] = {
        {"prod.lic", INT64_C(1736933100), LIC_STATE_ACTIVE, 0},
        {"prod.lic", INT64_C(1827705599), LIC_STATE_ACTIVE, 0},
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

/* Every license verdict of vectors.json, through the C ABI. */
static void test_verdicts(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    lic_validator *untrusted = make_validator("untrusted-public-key.pem");

    VALIDATE(v, "truncated.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED, "malformed");
    VALIDATE(v, "trailing-garbage.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "malformed");
    VALIDATE(v, "unsorted-features.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "malformed");
    VALIDATE(v, "bad-serial-check.lic", DEV_SERIAL, CODE, AT_2026_06_01, LIC_MALFORMED,
             "malformed");
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

/* Misuse: invalid arguments of lic_validator_new and _validate. */
static void test_argument_errors(void) {
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
static void test_null_arguments(void) {
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
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);

    free(prod.data);
    free(pem.data);
    lic_license_free(l);
    lic_validator_free(v);
}

/* lic_result_message for every code, and lic_last_error_message itself. */
static void test_messages(void) {
    const lic_result codes[] = {
        LIC_OK, LIC_NULL_ARGUMENT, LIC_INVALID_UTF8, LIC_BUFFER_TOO_SMALL,
        LIC_INVALID_SERIAL_NUMBER, LIC_INVALID_ACTIVATION_CODE, LIC_INDEX_OUT_OF_RANGE, LIC_PANIC,
        LIC_BAD_TRUSTED_KEYS, LIC_MALFORMED, LIC_UNSUPPORTED_VERSION, LIC_UNKNOWN_KEY,
        LIC_BAD_SIGNATURE, LIC_WRONG_ACTIVATION_CODE, LIC_WRONG_SERIAL, LIC_NOT_YET_VALID,
        LIC_EXPIRED, LIC_NO_SUCH_LIMIT, LIC_NEVER_EXPIRES, LIC_NO_HARDWARE_IDENTITY,
    };
    /* A word each message must contain, so that it is about its code. */
    const char *words[] = {
        "success", "NULL", "UTF-8", "buffer", "serial", "activation code", "index", "panic",
        "P-256", "malformed", "version", "key", "altered", "activation code", "serial", "clock",
        "expired", "limit", "never expires", "LICENSING_IDENTITY",
    };
    char texts[COUNT(codes)][256];
    for (size_t i = 0; i < COUNT(codes); i++) {
        size_t n = lic_result_message(codes[i], NULL, 0);
        CHECK(n > 0 && n < 256);
        char buf[256];
        /* 0, 1 and exactly n bytes: nothing written. */
        size_t sizes[] = {0, 1, n};
        for (size_t s = 0; s < COUNT(sizes); s++) {
            memset(buf, SENT_BYTE, sizeof buf);
            CHECK(lic_result_message(codes[i], buf, sizes[s]) == n);
            for (size_t j = 0; j < sizeof buf; j++) CHECK(buf[j] == SENT_BYTE);
        }
        memset(buf, SENT_BYTE, sizeof buf);
        CHECK(lic_result_message(codes[i], buf, n + 1) == n);
        CHECK(strlen(buf) == n && buf[n + 1] == SENT_BYTE);
        if (verbose) printf("    %-28s %s\n", code_name(codes[i]), buf);
        if (strstr(buf, words[i]) == NULL) {
            char msg[400];
            snprintf(msg, sizeof msg, "message of %s \"%s\" lacks \"%s\"", code_name(codes[i]),
                     buf, words[i]);
            fail_here(__FILE__, __LINE__, msg);
        }
        strcpy(texts[i], buf);
        for (size_t j = 0; j < i; j++) CHECK(strcmp(texts[i], texts[j]) != 0);
    }
    char buf[64];
    CHECK(lic_result_message(12345, buf, sizeof buf) == strlen("unknown result code"));
    CHECK_STR(buf, "unknown result code");
    CHECK(lic_result_message(UINT32_MAX, buf, sizeof buf) == strlen("unknown result code"));
    CHECK(lic_result_message(7, buf, sizeof buf) == strlen("unknown result code"));
}

/* A fresh thread has no last error; a success does not clear it; each
 * thread has its own. */
static void *fresh_thread(void *arg) {
    (void)arg;
    size_t w = SENT_SIZE;
    char buf[8];
    memset(buf, SENT_BYTE, sizeof buf);
    CHECK_RC(lic_last_error_message(buf, sizeof buf, &w), LIC_OK);
    CHECK(w == 0 && buf[0] == '\0' && buf[1] == SENT_BYTE);
    w = SENT_SIZE;
    CHECK_RC(lic_last_error_message(NULL, 0, &w), LIC_BUFFER_TOO_SMALL);
    CHECK(w == 0);
    return NULL;
}

static void test_last_error(void) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, fresh_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);

    lic_validator *v = make_validator("test-public-key.pem");
    lic_license *l = VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, "");
    uint64_t value;
    CHECK_RC(lic_license_limit(l, "a-quite-long-limit-name-to-make-the-message-long", &value),
             LIC_NO_SUCH_LIMIT);
    const char *msg = last_error();
    size_t n = strlen(msg);
    CHECK(n > 40);
    /* The buffer protocol of lic_last_error_message: 0, 1, n, n + 1. */
    char *buf = malloc(n + 16);
    size_t sizes[] = {0, 1, n};
    for (size_t s = 0; s < COUNT(sizes); s++) {
        memset(buf, SENT_BYTE, n + 16);
        size_t w = SENT_SIZE;
        CHECK_RC(lic_last_error_message(buf, sizes[s], &w), LIC_BUFFER_TOO_SMALL);
        CHECK(w == n);
        for (size_t j = 0; j < n + 16; j++) CHECK(buf[j] == SENT_BYTE);
    }
    memset(buf, SENT_BYTE, n + 16);
    size_t w = SENT_SIZE;
    CHECK_RC(lic_last_error_message(buf, n + 1, &w), LIC_OK);
    CHECK(w == n && buf[n] == '\0' && buf[n + 1] == SENT_BYTE);
    CHECK(strstr(buf, "a-quite-long-limit-name") != NULL);
    free(buf);

    /* A successful call leaves the last failure in place. */
    CHECK_RC(lic_license_limit(l, "tenants", &value), LIC_OK);
    CHECK_LAST_ERROR("a-quite-long-limit-name");
    /* A new failure replaces it. */
    CHECK_RC(lic_license_limit(l, "short", &value), LIC_NO_SUCH_LIMIT);
    CHECK_LAST_ERROR("short");
    CHECK(strstr(last_error(), "a-quite-long") == NULL);
    lic_license_free(l);
    lic_validator_free(v);
}

/* serial_number NULL: this machine's identity, pinned or missing. */
static void test_identity(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    blob prod = fixture("prod.lic");
    char serial[64];
    size_t w;

    /* Pinned by value: a valid serial number, deterministic. */
    CHECK(unsetenv("LICENSING_IDENTITY_FILE") == 0);
    CHECK(setenv("LICENSING_IDENTITY", "c-test-identity-1", 1) == 0);
    w = SENT_SIZE;
    CHECK_RC(lic_serial_number_this_machine(serial, sizeof serial, &w), LIC_OK);
    CHECK(w == 31 && strlen(serial) == 31);
    char again[64];
    CHECK_RC(lic_serial_number_this_machine(again, sizeof again, &w), LIC_OK);
    CHECK_STR(again, serial);
    /* The size protocol: 0, 1, 31 too small; 32 is enough. */
    size_t sizes[] = {0, 1, 31};
    for (size_t s = 0; s < COUNT(sizes); s++) {
        memset(again, SENT_BYTE, sizeof again);
        w = SENT_SIZE;
        CHECK_RC(lic_serial_number_this_machine(again, sizes[s], &w), LIC_BUFFER_TOO_SMALL);
        CHECK(w == 31);
        for (size_t j = 0; j < sizeof again; j++) CHECK(again[j] == SENT_BYTE);
    }
    memset(again, SENT_BYTE, sizeof again);
    CHECK_RC(lic_serial_number_this_machine(again, 32, &w), LIC_OK);
    CHECK_STR(again, serial);
    CHECK(again[32] == SENT_BYTE);
    /* It is a well-formed serial number: validating with it is a wrong
     * serial, not an invalid one; and NULL means the same serial. */
    VALIDATE(v, "prod.lic", serial, CODE, AT_2026_06_01, LIC_WRONG_SERIAL, serial);
    VALIDATE(v, "prod.lic", NULL, CODE, AT_2026_06_01, LIC_WRONG_SERIAL, serial);
    /* Another identity, another serial. */
    CHECK(setenv("LICENSING_IDENTITY", "c-test-identity-2", 1) == 0);
    CHECK_RC(lic_serial_number_this_machine(again, sizeof again, &w), LIC_OK);
    CHECK(strcmp(again, serial) != 0);

    /* Pinned by a file that is missing: no hardware identity. */
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    const char *missing = "/nonexistent/licensing-c-test/identity";
    CHECK(setenv("LICENSING_IDENTITY_FILE", missing, 1) == 0);
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_validator_validate(v, prod.data, prod.len, NULL, CODE, AT_2026_06_01, &l),
             LIC_NO_HARDWARE_IDENTITY);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR(missing);
    CHECK_LAST_ERROR("LICENSING_IDENTITY_FILE");
    memset(serial, SENT_BYTE, sizeof serial);
    w = SENT_SIZE;
    CHECK_RC(lic_serial_number_this_machine(serial, sizeof serial, &w), LIC_NO_HARDWARE_IDENTITY);
    CHECK(w == SENT_SIZE && serial[0] == SENT_BYTE);
    CHECK_LAST_ERROR(missing);
    /* An explicit serial does not read the identity. */
    lic_license_free(VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));

    /* Pinned by a file: its contents are the identity. */
    char path[] = "/tmp/licensing-c-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CHECK(f != NULL);
    fputs("c-test-identity-1\n", f);
    fclose(f);
    CHECK(setenv("LICENSING_IDENTITY_FILE", path, 1) == 0);
    CHECK(setenv("LICENSING_IDENTITY", "c-test-identity-1", 1) == 0);
    char from_value[64], from_file[64];
    CHECK_RC(lic_serial_number_this_machine(from_value, sizeof from_value, &w), LIC_OK);
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    CHECK_RC(lic_serial_number_this_machine(from_file, sizeof from_file, &w), LIC_OK);
    CHECK_STR(from_file, from_value);
    /* An empty identity file: no hardware identity. */
    f = fopen(path, "w");
    CHECK(f != NULL);
    fclose(f);
    CHECK_RC(lic_serial_number_this_machine(from_file, sizeof from_file, &w),
             LIC_NO_HARDWARE_IDENTITY);
    CHECK_LAST_ERROR("empty");
    CHECK(remove(path) == 0);
    CHECK(unsetenv("LICENSING_IDENTITY_FILE") == 0);

    free(prod.data);
    lic_validator_free(v);
}

/* ---- concurrency ----------------------------------------------------- */

#define THREADS 8
static lic_validator *shared_validator;
static blob shared_prod, shared_dev, shared_expired;
static pthread_barrier_t start_line;
static long iterations;

static void *worker(void *arg) {
    long id = (long)(intptr_t)arg;
    int rc = pthread_barrier_wait(&start_line);
    CHECK(rc == 0 || rc == PTHREAD_BARRIER_SERIAL_THREAD);
    for (long i = 0; i < iterations; i++) {
        /* A success with lookups. */
        lic_license *l = NULL;
        CHECK_RC(lic_validator_validate(shared_validator, shared_prod.data, shared_prod.len,
                                        PROD_SERIAL, CODE, AT_2026_06_01, &l),
                 LIC_OK);
        enum lic_state st = SENT_ENUM;
        CHECK_RC(lic_license_state(l, &st, NULL), LIC_OK);
        CHECK(st == LIC_STATE_ACTIVE);
        CHECK(lic_license_has_feature(l, "sso-saml"));
        CHECK(!lic_license_has_feature(l, "nope"));
        enum lic_usage u = SENT_ENUM;
        CHECK_RC(lic_license_check_usage(l, "tenants", (uint64_t)(i % 30), &u), LIC_OK);
        CHECK(u == (i % 30 < 23 ? LIC_USAGE_WITHIN
                    : i % 30 <= 25 ? LIC_USAGE_NEAR
                                   : LIC_USAGE_OVER_HARD_LIMIT));
        char org[16];
        size_t w;
        CHECK_RC(lic_license_organization(l, org, sizeof org, &w), LIC_OK);
        CHECK(w == 9 && strcmp(org, "Acme Corp") == 0);

        /* Another file through the same validator. */
        lic_license *d = NULL;
        CHECK_RC(lic_validator_validate(shared_validator, shared_dev.data, shared_dev.len,
                                        DEV_SERIAL, NULL, AT_2026_06_01, &d),
                 LIC_OK);
        int64_t t = SENT_I64;
        CHECK_RC(lic_license_expires_at(d, &t), LIC_NEVER_EXPIRES);
        CHECK(t == SENT_I64);

        /* A thread-specific failure: the last error is this thread's. */
        lic_license *x = SENT_PTR;
        if (id % 2 == 0) {
            CHECK_RC(lic_validator_validate(shared_validator, shared_prod.data, shared_prod.len,
                                            DEV_SERIAL, CODE, AT_2026_06_01, &x),
                     LIC_WRONG_SERIAL);
        } else {
            CHECK_RC(lic_validator_validate(shared_validator, shared_expired.data,
                                            shared_expired.len, PROD_SERIAL, CODE,
                                            AT_2026_06_01 + id, &x),
                     LIC_EXPIRED);
        }
        CHECK(x == SENT_PTR);
        /* Successes on this thread in between do not change it. */
        CHECK(lic_license_has_feature(l, "workflow"));
        uint64_t value = 0;
        CHECK_RC(lic_license_limit(l, "tenants", &value), LIC_OK);
        CHECK(value == 25);
        const char *le = last_error();
        if (id % 2 == 0) {
            CHECK(strstr(le, DEV_SERIAL) != NULL);
        } else {
            CHECK(strstr(le, "expired") != NULL);
            CHECK(strstr(le, DEV_SERIAL) == NULL);
        }
        lic_license_free(d);
        lic_license_free(l);
    }
    return NULL;
}

static void test_threads(void) {
    shared_validator = make_validator("test-public-key.pem");
    shared_prod = fixture("prod.lic");
    shared_dev = fixture("dev-never-expires.lic");
    shared_expired = fixture("expired.lic");
    CHECK(pthread_barrier_init(&start_line, NULL, THREADS) == 0);
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i) == 0);
    for (int i = 0; i < THREADS; i++) CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(pthread_barrier_destroy(&start_line) == 0);
    lic_validator_free(shared_validator);
    free(shared_prod.data);
    free(shared_dev.data);
    free(shared_expired.data);
}

/* ---- main ------------------------------------------------------------ */

/* ---- the license store ------------------------------------------------ */

static char *store_warnings(const lic_status *st) {
    static char all[4096];
    size_t count = SENT_SIZE;
    all[0] = '\0';
    CHECK_RC(lic_status_warning_count(st, &count), LIC_OK);
    for (size_t i = 0; i < count; i++) {
        char w[512];
        size_t written = SENT_SIZE;
        CHECK_RC(lic_status_warning_at(st, i, w, sizeof w, &written), LIC_OK);
        CHECK(strlen(w) == written);
        strncat(all, w, sizeof all - strlen(all) - 2);
        strncat(all, "\n", sizeof all - strlen(all) - 1);
    }
    size_t w2 = SENT_SIZE;
    CHECK_RC(lic_status_warning_at(st, count, NULL, 0, &w2), LIC_INDEX_OUT_OF_RANGE);
    return all;
}

static void test_store(void) {
    char dir[] = "/tmp/lic-store-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    lic_validator *v = make_validator("test-public-key.pem");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_open(NULL, &store), LIC_NULL_ARGUMENT);
    CHECK(store == SENT_PTR);
    CHECK_RC(lic_store_open(dir, &store), LIC_OK);
    CHECK(store != NULL && store != SENT_PTR);

    /* No license yet: the trial starts, everything may run. */
    const int64_t t0 = AT_2026_06_01;
    lic_status *st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, NULL, 0, &st), LIC_OK);
    lic_standing standing = (lic_standing)99;
    uint32_t days = 99;
    CHECK_RC(lic_status_standing(st, &standing, &days), LIC_OK);
    CHECK(standing == LIC_STANDING_TRIAL && days == 30);
    CHECK(lic_status_may_run(st) && lic_status_may_publish(st) && lic_status_may_administer(st));
    lic_license *none = SENT_PTR;
    CHECK_RC(lic_status_license(st, &none), LIC_NO_LICENSE);
    CHECK(none == SENT_PTR);
    lic_status_free(st);
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0 + 31 * 86400, NULL, 0, &st), LIC_OK);
    CHECK_RC(lic_status_standing(st, &standing, NULL), LIC_OK);
    CHECK(standing == LIC_STANDING_TRIAL_OVER);
    CHECK(!lic_status_may_run(st) && !lic_status_may_publish(st) && lic_status_may_administer(st));
    CHECK(strstr(store_warnings(st), "the trial is over") != NULL);
    lic_status_free(st);

    /* A damaged file is refused; nothing to restore yet. */
    blob bad = fixture("tampered-body.lic");
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, bad.data, bad.len, PROD_SERIAL, t0 + 31 * 86400, false, &l),
             LIC_BAD_SIGNATURE);
    CHECK(l == SENT_PTR);
    free(bad.data);
    CHECK_RC(lic_store_restore(store, v, PROD_SERIAL, t0, &l), LIC_NO_BACKUP);
    CHECK_LAST_ERROR("no previous license");
    CHECK_RC(lic_store_backup(store, v, PROD_SERIAL, t0, &l), LIC_NO_BACKUP);
    CHECK(l == SENT_PTR);

    /* Install prod.lic (the clock has been seen 31 days on: still valid). */
    blob prod = fixture("prod.lic");
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0 + 31 * 86400, false, &l),
             LIC_OK);
    CHECK(l != NULL && l != SENT_PTR);
    uint32_t revision = 0;
    CHECK_RC(lic_license_revision(l, &revision), LIC_OK);
    CHECK(revision == 7);
    lic_license_free(l);
    /* Installing it again (same revision) is fine, and keeps a backup. */
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0 + 31 * 86400, false, &l),
             LIC_OK);
    lic_license_free(l);
    CHECK_RC(lic_store_restore(store, v, PROD_SERIAL, t0 + 31 * 86400, &l), LIC_OK);
    lic_license_free(l);

    /* The renewal (revision 8) replaces it; revision 7 over 8 is then a
     * downgrade: refused, out-parameter untouched, unless forced; restore
     * brings 8 back. Both files are valid on these days. */
    blob renewal = fixture("prod-renewal.lic");
    CHECK_RC(lic_store_install(store, v, renewal.data, renewal.len, PROD_SERIAL, t0 + 31 * 86400,
                               false, &l),
             LIC_OK);
    CHECK_RC(lic_license_revision(l, &revision), LIC_OK);
    CHECK(revision == 8);
    lic_license_free(l);
    /* The backup is the license the renewal replaced; looking changes nothing. */
    for (int twice = 0; twice < 2; twice++) {
        CHECK_RC(lic_store_backup(store, v, PROD_SERIAL, t0 + 31 * 86400, &l), LIC_OK);
        CHECK_RC(lic_license_revision(l, &revision), LIC_OK);
        CHECK(revision == 7);
        lic_license_free(l);
    }
    /* Not for this serial number: refused as the validation says. */
    l = SENT_PTR;
    CHECK_RC(lic_store_backup(store, v, DEV_SERIAL, t0 + 31 * 86400, &l), LIC_WRONG_SERIAL);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR("issued for serial");
    l = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0 + 31 * 86400, false,
                               &l),
             LIC_DOWNGRADE);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR("revision 7 but revision 8");
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0 + 31 * 86400, NULL, 0, &st), LIC_OK);
    CHECK_RC(lic_status_license(st, &l), LIC_OK);
    CHECK_RC(lic_license_revision(l, &revision), LIC_OK);
    CHECK(revision == 8); /* the refused file changed nothing */
    lic_license_free(l);
    lic_status_free(st);
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0 + 31 * 86400, true,
                               &l),
             LIC_OK);
    CHECK_RC(lic_license_revision(l, &revision), LIC_OK);
    CHECK(revision == 7);
    lic_license_free(l);
    CHECK_RC(lic_store_restore(store, v, PROD_SERIAL, t0 + 31 * 86400, &l), LIC_OK);
    CHECK_RC(lic_license_revision(l, &revision), LIC_OK);
    CHECK(revision == 8);
    lic_license_free(l);
    CHECK_RC(lic_store_backup(store, v, PROD_SERIAL, t0 + 31 * 86400, &l), LIC_OK);
    CHECK_RC(lic_license_revision(l, &revision), LIC_OK);
    CHECK(revision == 7); /* the one the restore replaced */
    lic_license_free(l);
    /* Back to revision 7 (forced) for the checks below. */
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0 + 31 * 86400, true,
                               &l),
             LIC_OK);
    lic_license_free(l);
    free(renewal.data);
    free(prod.data);

    /* Over the hard application-objects limit: runs, does not publish. */
    lic_usage_entry usage[] = {{"application-objects", 451}, {"internal-users", 50}};
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0 + 32 * 86400, usage, 2, &st), LIC_OK);
    CHECK_RC(lic_status_standing(st, &standing, &days), LIC_OK);
    CHECK(standing == LIC_STANDING_ACTIVE && days == 0);
    CHECK(lic_status_may_run(st) && !lic_status_may_publish(st) && lic_status_may_administer(st));
    CHECK(strstr(store_warnings(st), "application-objects 451/450") != NULL);
    {
        char why[256];
        size_t w = SENT_SIZE;
        CHECK_RC(lic_status_publish_reason(st, why, sizeof why, &w), LIC_OK);
        CHECK(strstr(why, "over a hard limit: application-objects 451/450") != NULL);
        CHECK_RC(lic_status_run_reason(st, why, sizeof why, &w), LIC_OK);
        CHECK(strcmp(why, "licensed") == 0 && w == 8);
        CHECK_RC(lic_status_administer_reason(st, why, 4, &w), LIC_BUFFER_TOO_SMALL);
        CHECK(w > 4);
        int64_t judged = 0;
        CHECK_RC(lic_status_judged_at(st, &judged), LIC_OK);
        CHECK(judged == t0 + 32 * 86400);
        CHECK_RC(lic_status_judged_at(st, NULL), LIC_NULL_ARGUMENT);
        CHECK_RC(lic_status_run_reason(NULL, why, sizeof why, &w), LIC_NULL_ARGUMENT);
    }
    CHECK_RC(lic_status_license(st, &l), LIC_OK);
    CHECK(lic_license_has_feature(l, "sso-saml"));
    lic_license_free(l);
    lic_status_free(st);
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, usage, 0, &st), LIC_OK);
    CHECK(strstr(store_warnings(st), "the clock was turned back") != NULL);
    {
        int64_t judged = 0;
        CHECK_RC(lic_status_judged_at(st, &judged), LIC_OK);
        CHECK(judged == t0 + 32 * 86400); /* the latest time seen, not the clock */
    }
    lic_status_free(st);
    /* A store that tolerates 40 days of clock lag stays quiet. */
    lic_store *tolerant = SENT_PTR;
    CHECK_RC(lic_store_open_with_clock_tolerance(NULL, 40 * 86400, &tolerant), LIC_NULL_ARGUMENT);
    CHECK(tolerant == SENT_PTR);
    CHECK_RC(lic_store_open_with_clock_tolerance(dir, 40 * 86400, &tolerant), LIC_OK);
    CHECK_RC(lic_store_status(tolerant, v, PROD_SERIAL, t0, NULL, 0, &st), LIC_OK);
    CHECK(strstr(store_warnings(st), "clock") == NULL);
    lic_status_free(st);
    lic_store_free(tolerant);
    st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, NULL, 1, &st), LIC_NULL_ARGUMENT);
    CHECK(st == SENT_PTR);
    lic_usage_entry unnamed[] = {{NULL, 1}};
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, unnamed, 1, &st), LIC_NULL_ARGUMENT);

    /* NULL handles. */
    CHECK(!lic_status_may_run(NULL) && !lic_status_may_publish(NULL) && !lic_status_may_administer(NULL));
    CHECK_RC(lic_store_status(NULL, v, PROD_SERIAL, t0, NULL, 0, &st), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_status(store, NULL, PROD_SERIAL, t0, NULL, 0, &st), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, NULL, 0, NULL), LIC_NULL_ARGUMENT);
    lic_license *none_l = SENT_PTR;
    CHECK_RC(lic_store_backup(NULL, v, PROD_SERIAL, t0, &none_l), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("store");
    CHECK_RC(lic_store_backup(store, NULL, PROD_SERIAL, t0, &none_l), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("validator");
    CHECK(none_l == SENT_PTR);
    CHECK_RC(lic_store_backup(store, v, PROD_SERIAL, t0, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_status_standing(NULL, &standing, &days), LIC_NULL_ARGUMENT);
    lic_status_free(NULL);
    lic_store_free(NULL);

    lic_store_free(store);
    lic_validator_free(v);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <path to tests/vectors>\n", argv[0]);
        return 2;
    }
    vectors_dir = argv[1];
    verbose = getenv("LIC_TEST_VERBOSE") != NULL && strcmp(getenv("LIC_TEST_VERBOSE"), "0") != 0;
    const char *it = getenv("LIC_TEST_ITERATIONS");
    iterations = it ? strtol(it, NULL, 10) : 2000;
    if (iterations <= 0) iterations = 1;
    /* Start from a known identity environment. */
    unsetenv("LICENSING_IDENTITY");
    unsetenv("LICENSING_IDENTITY_FILE");

    static const struct {
        const char *name;
        void (*run)(void);
    } tests[] = {
        {"version", test_version},
        {"fresh thread and last error", test_last_error},
        {"result messages", test_messages},
        {"prod.lic: state, features, limits, usage, times, getters", test_prod_license},
        {"text forms (prod.pem, prod-mail.txt)", test_text_forms},
        {"dev-never-expires.lic", test_never_expires},
        {"states in time and LIC_NOW", test_states},
        {"verdicts of every fixture", test_verdicts},
        {"invalid arguments", test_argument_errors},
        {"NULL for every pointer argument", test_null_arguments},
        {"identity: pinned, file, missing", test_identity},
        {"8 threads sharing one validator", test_threads},
        {"the license store: trial, install, restore, status, decisions", test_store},
    };
    size_t n = sizeof tests / sizeof tests[0];
    printf("1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        unsigned long before = atomic_load(&checks_passed);
        tests[i].run();
        printf("ok %zu - %s (%lu checks)\n", i + 1, tests[i].name,
               atomic_load(&checks_passed) - before);
        fflush(stdout);
    }
    printf("# passed: %zu/%zu tests, %lu checks, 0 failed (threads: %d x %ld iterations)\n", n, n,
           atomic_load(&checks_passed), THREADS, iterations);
    return 0;
}
