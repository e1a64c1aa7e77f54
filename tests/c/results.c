/*
 * The library's version, the result codes (their messages and classes) and
 * lic_last_error_message: what a caller reads after any call.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <pthread.h>
#include <stdlib.h>

void test_version(void) {
    const char *v = lic_version();
    CHECK(v != NULL);
    CHECK_STR(v, LICENSING_VERSION);
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", LICENSING_VERSION_MAJOR,
             LICENSING_VERSION_MINOR, LICENSING_VERSION_PATCH);
    CHECK_STR(v, expected);
    CHECK(lic_version() == v); /* a static string */
}

/* The first value from `start` on that is no lic_result (code_name knows
 * every one): the value after the last code of a group, found rather than
 * written down, so that a code added to the group moves it. */
static uint32_t first_unnamed_from(uint32_t start) {
    uint32_t code = start;
    while (strcmp(code_name(code), "(not a lic_result)") != 0) code++;
    return code;
}

/* Where each group of codes starts (the header's ranges). */
static const uint32_t GROUP_STARTS[] = {1, 100, 200, 300, 400, 500};

/* lic_result_message for every code, and lic_last_error_message itself. */
void test_messages(void) {
    const lic_result codes[] = {
        LIC_OK, LIC_NULL_ARGUMENT, LIC_INVALID_UTF8, LIC_BUFFER_TOO_SMALL,
        LIC_INVALID_SERIAL_NUMBER, LIC_INVALID_ACTIVATION_CODE, LIC_INDEX_OUT_OF_RANGE,
        LIC_INVALID_PLATFORM_VERSION, LIC_INVALID_ENVIRONMENT_NAME, LIC_INVALID_PURPOSE,
        LIC_PANIC, LIC_BAD_TRUSTED_KEYS, LIC_MALFORMED,
        LIC_UNSUPPORTED_VERSION, LIC_UNKNOWN_KEY, LIC_BAD_SIGNATURE, LIC_WRONG_ACTIVATION_CODE,
        LIC_WRONG_SERIAL, LIC_NOT_YET_VALID, LIC_EXPIRED, LIC_UNKNOWN_CRITICAL_EXTENSION,
        LIC_PLATFORM_VERSION_NOT_COVERED, LIC_NO_SUCH_LIMIT, LIC_NEVER_EXPIRES,
        LIC_NO_HARDWARE_IDENTITY, LIC_BAD_USAGE_SUMMARY,
    };
    /* A word each message must contain, so that it is about its code. */
    const char *words[] = {
        "success", "NULL", "UTF-8", "buffer", "serial", "activation code", "index",
        "platform version", "environment name", "lic_purpose", "panic", "P-256", "malformed", "version", "key", "altered",
        "activation code", "serial", "clock", "expired", "newer runtime", "platform version",
        "limit", "never expires", "LICENSING_IDENTITY", "usage summary",
    };
    _Static_assert(COUNT(codes) == COUNT(words), "one word per code");
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
    for (size_t i = 0; i < COUNT(GROUP_STARTS); i++) {
        memset(buf, SENT_BYTE, sizeof buf);
        CHECK(lic_result_message(first_unnamed_from(GROUP_STARTS[i]), buf, sizeof buf) ==
              strlen("unknown result code"));
        CHECK_STR(buf, "unknown result code");
    }
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

void test_last_error(void) {
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

/* Every lic_result value in exactly the class its number range promises
 * (200-209 license invalid; 1-9 and 100 misuse; 400, 500, 503, 504 and 506
 * environment), or in none (success, a panic, the answers of lookups, a
 * downgrade refused, no backup); values that are no lic_result in none. */
enum result_class { NONE, LICENSE_INVALID, MISUSE, ENVIRONMENT };

static const char *class_name(enum result_class c) {
    switch (c) {
    case LICENSE_INVALID: return "license invalid";
    case MISUSE: return "misuse";
    case ENVIRONMENT: return "environment";
    default: return "none";
    }
}

static void check_class(uint32_t code, enum result_class want, int line) {
    bool invalid = lic_result_is_license_invalid(code);
    bool misuse = lic_result_is_misuse(code);
    bool environment = lic_result_is_environment(code);
    if (invalid != (want == LICENSE_INVALID) || misuse != (want == MISUSE) ||
        environment != (want == ENVIRONMENT)) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "%s (%u): expected class %s, found is_license_invalid %d, is_misuse %d, "
                 "is_environment %d",
                 code_name(code), (unsigned)code, class_name(want), invalid, misuse, environment);
        fail_here(__FILE__, line, msg);
    }
    atomic_fetch_add(&checks_passed, 1);
}

void test_result_classes(void) {
    static const struct {
        lic_result code;
        enum result_class want;
    } every[] = {
        {LIC_OK, NONE},
        {LIC_NULL_ARGUMENT, MISUSE},
        {LIC_INVALID_UTF8, MISUSE},
        {LIC_BUFFER_TOO_SMALL, MISUSE},
        {LIC_INVALID_SERIAL_NUMBER, MISUSE},
        {LIC_INVALID_ACTIVATION_CODE, MISUSE},
        {LIC_INDEX_OUT_OF_RANGE, MISUSE},
        {LIC_INVALID_PLATFORM_VERSION, MISUSE},
        {LIC_INVALID_ENVIRONMENT_NAME, MISUSE},
        {LIC_INVALID_PURPOSE, MISUSE},
        {LIC_PANIC, NONE},
        {LIC_BAD_TRUSTED_KEYS, MISUSE},
        {LIC_MALFORMED, LICENSE_INVALID},
        {LIC_UNSUPPORTED_VERSION, LICENSE_INVALID},
        {LIC_UNKNOWN_KEY, LICENSE_INVALID},
        {LIC_BAD_SIGNATURE, LICENSE_INVALID},
        {LIC_WRONG_ACTIVATION_CODE, LICENSE_INVALID},
        {LIC_WRONG_SERIAL, LICENSE_INVALID},
        {LIC_NOT_YET_VALID, LICENSE_INVALID},
        {LIC_EXPIRED, LICENSE_INVALID},
        {LIC_UNKNOWN_CRITICAL_EXTENSION, LICENSE_INVALID},
        {LIC_PLATFORM_VERSION_NOT_COVERED, LICENSE_INVALID},
        {LIC_NO_SUCH_LIMIT, NONE},
        {LIC_NEVER_EXPIRES, NONE},
        {LIC_NO_LICENSE, NONE},
        {LIC_NO_HARDWARE_IDENTITY, ENVIRONMENT},
        {LIC_STORE_IO, ENVIRONMENT},
        {LIC_DOWNGRADE, NONE},
        {LIC_NO_BACKUP, NONE},
        {LIC_CORRUPT_STATE, ENVIRONMENT},
        {LIC_NO_STORE, ENVIRONMENT},
        {LIC_CLOCK_RESET_USED, NONE},
        {LIC_BAD_USAGE_SUMMARY, ENVIRONMENT},
    };
    /* The table is every value code_name knows, so a new lic_result must
     * be added here (with its class) to pass. */
    size_t named = 0;
    for (uint32_t code = 0; code < 1000; code++)
        if (strcmp(code_name(code), "(not a lic_result)") != 0) named++;
    CHECK_EQ_U(named, COUNT(every));
    for (size_t i = 0; i < COUNT(every); i++) check_class(every[i].code, every[i].want, __LINE__);
    /* The codes the header's documentation groups, by number. */
    for (uint32_t code = 200; code <= 209; code++) check_class(code, LICENSE_INVALID, __LINE__);
    for (uint32_t code = 1; code <= 9; code++) check_class(code, MISUSE, __LINE__);
    /* Not lic_result values, also next to the ranges: in no class. */
    const uint32_t unknown[] = {12345, 98, 199, 299, 399, 499, 599, UINT32_MAX};
    for (size_t i = 0; i < COUNT(unknown); i++) check_class(unknown[i], NONE, __LINE__);
    /* The value just after each group's last code (10, 101, 210, 303, 401 and
     * 507 with the codes of this header). */
    for (size_t i = 0; i < COUNT(GROUP_STARTS); i++)
        check_class(first_unnamed_from(GROUP_STARTS[i]), NONE, __LINE__);
    CHECK_EQ_U(first_unnamed_from(200), 210); /* 200-209: license invalid, as above */
    CHECK_EQ_U(first_unnamed_from(1), 10);    /* 1-9: misuse, as above */
}
