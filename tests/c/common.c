/*
 * The shared part of the C ABI tests: assertions, fixtures and helpers
 * (declared in common.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <errno.h>
#include <stdlib.h>

/* ---- assertions ------------------------------------------------------ */

atomic_ulong checks_passed;
bool verbose;
long iterations = 2000;
const char *vectors_dir;

void fail_here(const char *file, int line, const char *what) {
    fflush(stdout); /* the tests that passed first */
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
    fflush(stderr);
    exit(1);
}

const char *code_name(lic_result r) {
    switch (r) {
    case LIC_OK: return "LIC_OK";
    case LIC_NULL_ARGUMENT: return "LIC_NULL_ARGUMENT";
    case LIC_INVALID_UTF8: return "LIC_INVALID_UTF8";
    case LIC_BUFFER_TOO_SMALL: return "LIC_BUFFER_TOO_SMALL";
    case LIC_INVALID_SERIAL_NUMBER: return "LIC_INVALID_SERIAL_NUMBER";
    case LIC_INVALID_ACTIVATION_CODE: return "LIC_INVALID_ACTIVATION_CODE";
    case LIC_INDEX_OUT_OF_RANGE: return "LIC_INDEX_OUT_OF_RANGE";
    case LIC_INVALID_PLATFORM_VERSION: return "LIC_INVALID_PLATFORM_VERSION";
    case LIC_INVALID_ENVIRONMENT_NAME: return "LIC_INVALID_ENVIRONMENT_NAME";
    case LIC_INVALID_PURPOSE: return "LIC_INVALID_PURPOSE";
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
    case LIC_UNKNOWN_CRITICAL_EXTENSION: return "LIC_UNKNOWN_CRITICAL_EXTENSION";
    case LIC_PLATFORM_VERSION_NOT_COVERED: return "LIC_PLATFORM_VERSION_NOT_COVERED";
    case LIC_NO_SUCH_LIMIT: return "LIC_NO_SUCH_LIMIT";
    case LIC_NEVER_EXPIRES: return "LIC_NEVER_EXPIRES";
    case LIC_NO_HARDWARE_IDENTITY: return "LIC_NO_HARDWARE_IDENTITY";
    case LIC_NO_LICENSE: return "LIC_NO_LICENSE";
    case LIC_STORE_IO: return "LIC_STORE_IO";
    case LIC_DOWNGRADE: return "LIC_DOWNGRADE";
    case LIC_NO_BACKUP: return "LIC_NO_BACKUP";
    case LIC_CORRUPT_STATE: return "LIC_CORRUPT_STATE";
    case LIC_NO_STORE: return "LIC_NO_STORE";
    case LIC_CLOCK_RESET_USED: return "LIC_CLOCK_RESET_USED";
    case LIC_BAD_USAGE_SUMMARY: return "LIC_BAD_USAGE_SUMMARY";
    default: return "(not a lic_result)";
    }
}

const char *last_error(void) {
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

/* ---- fixtures --------------------------------------------------------- */

blob read_file(const char *path) {
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

blob fixture(const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", vectors_dir, name);
    return read_file(path);
}

blob concat(blob a, blob b) {
    blob c = {malloc(a.len + b.len), a.len + b.len};
    if (!c.data) exit(2);
    memcpy(c.data, a.data, a.len);
    memcpy(c.data + a.len, b.data, b.len);
    return c;
}

const char *const PROD_FEATURES[10] = {
    "api-gateway", "audit-log", "data-export", "ha-cluster", "multi-tenancy",
    "reporting",   "sap-connector", "sso-oidc", "sso-saml",  "workflow",
};
const prod_limit PROD_LIMITS[6] = {
    {"api-calls-per-day", 1000000, LIC_ENFORCEMENT_SOFT},
    {"application-objects", 450, LIC_ENFORCEMENT_HARD},
    {"external-users", 10000, LIC_ENFORCEMENT_SOFT},
    {"internal-users", 100, LIC_ENFORCEMENT_SOFT},
    {"storage-gb", 500, LIC_ENFORCEMENT_HARD},
    {"tenants", 25, LIC_ENFORCEMENT_HARD},
};

/* ---- helpers ---------------------------------------------------------- */

lic_validator *make_validator_from(const char *path) {
    blob pem = read_file(path);
    lic_validator *v = SENT_PTR;
    CHECK_RC(lic_validator_new(pem.data, pem.len, &v), LIC_OK);
    CHECK(v != NULL && v != SENT_PTR);
    free(pem.data);
    return v;
}

lic_validator *make_validator(const char *pem_name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", vectors_dir, pem_name);
    return make_validator_from(path);
}

lic_license *validate_as(const lic_validator *v, const char *name, const char *serial,
                         const char *code, int64_t now, lic_result want, const char *word,
                         const char *file, int line) {
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

void check_string_getter(const char *what, string_getter get, const lic_license *l,
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

char *store_warnings(const lic_status *st) {
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

void make_temp_dir(char *dir, size_t len, const char *prefix) {
    int n = snprintf(dir, len, "/tmp/%s-XXXXXX", prefix);
    CHECK(n > 0 && (size_t)n < len);
    CHECK(mkdtemp(dir) != NULL);
}

void remove_tree(const char *dir) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

void write_file_in(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fputs(text, f) >= 0);
    CHECK(fclose(f) == 0);
}
