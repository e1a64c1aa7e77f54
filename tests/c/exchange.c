/*
 * The offline exchange through the store: the environment's activation
 * request (lic_store_activation_request), its usage report
 * (lic_store_usage_report) with the daily peaks lic_store_status records,
 * and the infrastructure's usage summary (lic_store_install_usage_summary),
 * after which a production store judges the limits summed across the
 * production environments on the infrastructure's total.
 *
 * The whole exchange (test_exchange) runs the vendor's steps with the
 * licensing CLI, on the vendor run.sh makes. It passes:
 *   LIC_TEST_LICENSING         the CLI
 *   LIC_TEST_EXCHANGE_VENDOR   a directory with vendor-private.pem,
 *                              vendor-public.pem and subscription.json (two
 *                              production slots, application-objects 450
 *                              hard, nobody registered; copied, not changed)
 *   LIC_TEST_EXCHANGE_CODE     the subscription's activation code
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>

#define DAY INT64_C(86400)

#define REQUEST_BEGIN "-----BEGIN LICENSING ACTIVATION REQUEST-----\n"
#define REQUEST_END "-----END LICENSING ACTIVATION REQUEST-----"
#define REPORT_BEGIN "-----BEGIN LICENSING USAGE REPORT-----\n"
#define REPORT_END "-----END LICENSING USAGE REPORT-----"

/* A string getter's text, through the two-call protocol: the length with
 * (NULL, 0), then a buffer of exactly that length + 1 (malloc'd, with a
 * sentinel byte after it that must stay). */
typedef lic_result (*text_call)(const void *context, char *buf, size_t len, size_t *written);

static char *read_text(text_call call, const void *context, const char *file, int line) {
    size_t n = SENT_SIZE;
    lic_result rc = call(context, NULL, 0, &n);
    if (rc != LIC_BUFFER_TOO_SMALL || n == SENT_SIZE || n == 0) {
        char msg[1400];
        snprintf(msg, sizeof msg, "the size query returned %s with written %zu; last error: %s",
                 code_name(rc), n, last_error());
        fail_here(file, line, msg);
    }
    char *text = malloc(n + 2);
    CHECK(text != NULL);
    memset(text, SENT_BYTE, n + 2);
    size_t w = SENT_SIZE;
    rc = call(context, text, n + 1, &w);
    if (rc != LIC_OK || w != n || text[n] != '\0' || text[n + 1] != SENT_BYTE ||
        strlen(text) != n) {
        char msg[1400];
        snprintf(msg, sizeof msg,
                 "the second call returned %s, written %zu of %zu; last error: %s",
                 code_name(rc), w, n, last_error());
        fail_here(file, line, msg);
    }
    atomic_fetch_add(&checks_passed, 1);
    return text;
}

static bool starts_with(const char *text, const char *prefix) {
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* Whether the armored text ends with `end` and a newline or not. */
static bool ends_with_line(const char *text, const char *end) {
    size_t n = strlen(text), e = strlen(end);
    while (n > 0 && text[n - 1] == '\n') n--;
    return n >= e && memcmp(text + n - e, end, e) == 0;
}

/* Writes `text` to the file `path` (replacing it). */
static void write_path(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fputs(text, f) >= 0);
    CHECK(fclose(f) == 0);
}

/* ---- the activation request ------------------------------------------- */

typedef struct {
    const lic_store *store;
    const char *code;
    const char *name;
    int32_t purpose;
    const char *version;
    int64_t at;
} request_args;

static lic_result request_call(const void *context, char *buf, size_t len, size_t *written) {
    const request_args *a = context;
    return lic_store_activation_request(a->store, a->code, a->name, a->purpose, a->version,
                                        a->at, buf, len, written);
}

/* The request for `a`, which must be refused with `want`: the buffer and
 * `written` untouched, the last error naming `word`. */
static void check_request_refused(request_args a, lic_result want, const char *word, int line) {
    char buf[2048];
    memset(buf, SENT_BYTE, sizeof buf);
    size_t w = SENT_SIZE;
    lic_result rc = lic_store_activation_request(a.store, a.code, a.name, a.purpose, a.version,
                                                 a.at, buf, sizeof buf, &w);
    const char *le = last_error();
    if (verbose) printf("    request refused with %s: %s\n", code_name(rc), le);
    if (rc != want || w != SENT_SIZE || buf[0] != SENT_BYTE || buf[sizeof buf - 1] != SENT_BYTE ||
        strstr(le, word) == NULL) {
        char msg[2400];
        snprintf(msg, sizeof msg,
                 "the request (code \"%s\", name \"%s\", purpose %d, version \"%s\") returned %s, "
                 "expected %s naming \"%s\", written %s, buffer %s; last error: %s",
                 a.code ? a.code : "(null)", a.name ? a.name : "(null)", (int)a.purpose,
                 a.version ? a.version : "(null)", code_name(rc), code_name(want), word,
                 w == SENT_SIZE ? "untouched" : "WRITTEN",
                 buf[0] == SENT_BYTE ? "untouched" : "WRITTEN", le);
        fail_here(__FILE__, line, msg);
    }
    atomic_fetch_add(&checks_passed, 1);
}

void test_activation_request(void) {
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-request");
    CHECK(setenv("LICENSING_IDENTITY", "c-test-activation-request", 1) == 0);
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    const int64_t t0 = AT_2026_06_01;
    request_args ok = {store, CODE, "Production", LIC_PURPOSE_PRODUCTION, "11.14", t0};

    /* The size query, buffers too small (untouched, the length needed in
     * written), then exactly enough. */
    size_t n = SENT_SIZE;
    CHECK_RC(request_call(&ok, NULL, 0, &n), LIC_BUFFER_TOO_SMALL);
    CHECK(n > strlen(REQUEST_BEGIN) + strlen(REQUEST_END) && n < 1024);
    CHECK_LAST_ERROR("buffer");
    char buf[1100];
    size_t sizes[] = {0, 1, n / 2, n};
    for (size_t i = 0; i < COUNT(sizes); i++) {
        memset(buf, SENT_BYTE, sizeof buf);
        size_t w = SENT_SIZE;
        CHECK_RC(request_call(&ok, buf, sizes[i], &w), LIC_BUFFER_TOO_SMALL);
        CHECK_EQ_U(w, n);
        for (size_t j = 0; j < sizeof buf; j++) CHECK(buf[j] == SENT_BYTE);
    }
    char *text = read_text(request_call, &ok, __FILE__, __LINE__);
    if (verbose) printf("%s", text);
    CHECK(starts_with(text, REQUEST_BEGIN));
    CHECK(ends_with_line(text, REQUEST_END));
    /* A large buffer: the same text. */
    memset(buf, SENT_BYTE, sizeof buf);
    size_t w = SENT_SIZE;
    CHECK_RC(request_call(&ok, buf, sizeof buf, &w), LIC_OK);
    CHECK_EQ_U(w, n);
    CHECK(strcmp(buf, text) == 0);
    CHECK(buf[n + 1] == SENT_BYTE);

    /* The same arguments give the same request; each argument is in it. */
    request_args other = ok;
    other.version = NULL; /* not known */
    char *unversioned = read_text(request_call, &other, __FILE__, __LINE__);
    CHECK(starts_with(unversioned, REQUEST_BEGIN) && strcmp(unversioned, text) != 0);
    other = ok;
    other.name = "Staging";
    other.purpose = LIC_PURPOSE_NON_PRODUCTION;
    char *staging = read_text(request_call, &other, __FILE__, __LINE__);
    CHECK(strcmp(staging, text) != 0);
    other = ok;
    other.at = t0 + DAY;
    char *later = read_text(request_call, &other, __FILE__, __LINE__);
    CHECK(strcmp(later, text) != 0);
    char *again = read_text(request_call, &ok, __FILE__, __LINE__);
    CHECK(strcmp(again, text) == 0);
    free(again);
    free(later);
    free(staging);
    free(unversioned);
    /* Every purpose; the clock (LIC_NOW); a name of 100 characters, with
     * spaces around it (trimmed, as registration trims it). */
    for (int32_t purpose = LIC_PURPOSE_DEVELOPMENT; purpose <= LIC_PURPOSE_MANAGEMENT; purpose++) {
        other = ok;
        other.purpose = purpose;
        free(read_text(request_call, &other, __FILE__, __LINE__));
    }
    other = ok;
    other.at = LIC_NOW;
    free(read_text(request_call, &other, __FILE__, __LINE__));
    char longest[104];
    memset(longest, 'x', sizeof longest);
    longest[0] = ' ';
    longest[101] = ' ';
    longest[102] = '\0';
    other = ok;
    other.name = longest;
    free(read_text(request_call, &other, __FILE__, __LINE__));

    /* Misuse: each refused with its code, nothing written. */
    const char *bad_codes[] = {
        "", "XYZ", "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRR", /* a typo: the check characters */
        "4QZ-8K1-M3X-J7P-D2R-A6T-WN0-HRQ", PROD_SERIAL,
    };
    for (size_t i = 0; i < COUNT(bad_codes); i++) {
        other = ok;
        other.code = bad_codes[i];
        check_request_refused(other, LIC_INVALID_ACTIVATION_CODE, "activation code", __LINE__);
    }
    char too_long[102];
    memset(too_long, 'x', sizeof too_long);
    too_long[101] = '\0';
    const char *bad_names[] = {"", "   ", too_long, "Prod\x01uction", "Prod\nuction", "\x7f"};
    for (size_t i = 0; i < COUNT(bad_names); i++) {
        other = ok;
        other.name = bad_names[i];
        check_request_refused(other, LIC_INVALID_ENVIRONMENT_NAME, "name", __LINE__);
    }
    const int32_t bad_purposes[] = {-1, 4, 99, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < COUNT(bad_purposes); i++) {
        other = ok;
        other.purpose = bad_purposes[i];
        check_request_refused(other, LIC_INVALID_PURPOSE, "LIC_PURPOSE_PRODUCTION", __LINE__);
    }
    const char *bad_versions[] = {"11.x", "", "v11.14", "11..14", "-1"};
    for (size_t i = 0; i < COUNT(bad_versions); i++) {
        other = ok;
        other.version = bad_versions[i];
        check_request_refused(other, LIC_INVALID_PLATFORM_VERSION, "", __LINE__);
    }
    other = ok;
    other.version = "11.x";
    check_request_refused(other, LIC_INVALID_PLATFORM_VERSION, "part 2 ('x') is not a number",
                          __LINE__);
    other = ok;
    other.name = "Prod\xff";
    check_request_refused(other, LIC_INVALID_UTF8, "environment_name", __LINE__);
    other = ok;
    other.code = "4QZ\xe2\x82";
    check_request_refused(other, LIC_INVALID_UTF8, "activation_code", __LINE__);
    other = ok;
    other.version = "11.\xff";
    check_request_refused(other, LIC_INVALID_UTF8, "platform_version", __LINE__);
    CHECK(lic_result_is_misuse(LIC_INVALID_ENVIRONMENT_NAME));
    CHECK(lic_result_is_misuse(LIC_INVALID_PURPOSE));
    lic_store_free(store);

    /* No identity (a pinned file that is missing): the request needs the
     * serial, so the store's problem is an environment problem. */
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    const char *missing = "/nonexistent/licensing-c-test/identity";
    CHECK(setenv("LICENSING_IDENTITY_FILE", missing, 1) == 0);
    CHECK_RC(lic_store_open(dir, &store), LIC_OK);
    ok.store = store;
    check_request_refused(ok, LIC_NO_HARDWARE_IDENTITY, missing, __LINE__);
    lic_store_free(store);
    CHECK(unsetenv("LICENSING_IDENTITY_FILE") == 0);

    free(text);
    remove_tree(dir);
}

/* ---- the usage report --------------------------------------------------- */

typedef struct {
    const lic_store *store;
    const lic_validator *validator;
    const char *serial;
    int64_t at;
} report_args;

static lic_result report_call(const void *context, char *buf, size_t len, size_t *written) {
    const report_args *a = context;
    return lic_store_usage_report(a->store, a->validator, a->serial, a->at, buf, len, written);
}

/* The status at `at` with `objects` application objects in use (none when
 * `objects` is 0), freed. */
static void status_with_objects(lic_store *store, const lic_validator *v, const char *serial,
                                int64_t at, uint64_t objects) {
    lic_usage_entry usage[] = {{"application-objects", objects}};
    lic_status *st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, serial, at, objects ? usage : NULL, objects ? 1 : 0, &st),
             LIC_OK);
    CHECK(lic_status_may_run(st));
    lic_status_free(st);
}

void test_usage_report(void) {
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-usage-report");
    lic_validator *v = make_validator("test-public-key.pem");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    const int64_t t0 = AT_2026_06_01;
    report_args a = {store, v, PROD_SERIAL, t0};

    /* No license installed: nothing to report, nothing written. */
    char buf[64];
    memset(buf, SENT_BYTE, sizeof buf);
    size_t w = SENT_SIZE;
    CHECK_RC(report_call(&a, buf, sizeof buf, &w), LIC_NO_LICENSE);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    CHECK_LAST_ERROR(dir);
    CHECK_RC(report_call(&a, NULL, 0, &w), LIC_NO_LICENSE);
    CHECK(w == SENT_SIZE);
    /* A status without a license records the usage, but there is still no
     * license to report it under. */
    status_with_objects(store, v, PROD_SERIAL, t0, 10);
    CHECK_RC(report_call(&a, NULL, 0, &w), LIC_NO_LICENSE);

    blob prod = fixture("prod.lic");
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0, false, &l), LIC_OK);
    lic_license_free(l);
    free(prod.data);

    /* Installed: a report, of the usage recorded so far. */
    char *before = read_text(report_call, &a, __FILE__, __LINE__);
    CHECK(starts_with(before, REPORT_BEGIN));
    CHECK(ends_with_line(before, REPORT_END));

    /* The status with usage records each limit's daily peak in the store's
     * file `usage` (lines "DATE NAME PEAK"); the report carries them. */
    lic_usage_entry usage[] = {{"application-objects", 300}, {"internal-users", 50}};
    lic_status *st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, usage, COUNT(usage), &st), LIC_OK);
    CHECK(lic_status_may_run(st) && lic_status_may_publish(st));
    lic_status_free(st);
    char path[128];
    snprintf(path, sizeof path, "%s/usage", dir);
    blob record = read_file(path);
    char *recorded = malloc(record.len + 1);
    CHECK(recorded != NULL);
    memcpy(recorded, record.data, record.len);
    recorded[record.len] = '\0';
    if (verbose) printf("%s", recorded);
    CHECK(strstr(recorded, "\n2026-06-01 application-objects 300\n") != NULL);
    CHECK(strstr(recorded, "\n2026-06-01 internal-users 50\n") != NULL);
    free(recorded);
    free(record.data);

    char *report = read_text(report_call, &a, __FILE__, __LINE__);
    if (verbose) printf("%s", report);
    CHECK(starts_with(report, REPORT_BEGIN));
    CHECK(ends_with_line(report, REPORT_END));
    CHECK(strcmp(report, before) != 0); /* the peaks are in it */
    /* Buffers too small: untouched, the length needed in written. */
    size_t n = strlen(report);
    char *small = malloc(n + 1);
    CHECK(small != NULL);
    size_t sizes[] = {0, 1, n};
    for (size_t i = 0; i < COUNT(sizes); i++) {
        memset(small, SENT_BYTE, n + 1);
        w = SENT_SIZE;
        CHECK_RC(report_call(&a, small, sizes[i], &w), LIC_BUFFER_TOO_SMALL);
        CHECK_EQ_U(w, n);
        for (size_t j = 0; j < n + 1; j++) CHECK(small[j] == SENT_BYTE);
    }
    free(small);
    /* A lower usage the same day keeps the peak: the same report. */
    status_with_objects(store, v, PROD_SERIAL, t0 + 60, 120);
    char *same = read_text(report_call, &a, __FILE__, __LINE__);
    CHECK(strcmp(same, report) == 0);
    /* A higher one raises it: another report. */
    status_with_objects(store, v, PROD_SERIAL, t0 + 120, 301);
    char *raised = read_text(report_call, &a, __FILE__, __LINE__);
    CHECK(strcmp(raised, report) != 0);
    /* NULL serial: the store's own, from the pinned identity (not the
     * license's serial, so the license is refused as not this
     * environment's). */
    CHECK(setenv("LICENSING_IDENTITY", "c-test-usage-report", 1) == 0);
    lic_store *mine = SENT_PTR;
    CHECK_RC(lic_store_open(dir, &mine), LIC_OK);
    report_args own = {mine, v, NULL, t0};
    memset(buf, SENT_BYTE, sizeof buf);
    w = SENT_SIZE;
    CHECK_RC(report_call(&own, buf, sizeof buf, &w), LIC_WRONG_SERIAL);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    lic_store_free(mine);
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    /* Another environment's serial: the license is not valid for it. */
    report_args wrong = a;
    wrong.serial = DEV_SERIAL;
    CHECK_RC(report_call(&wrong, buf, sizeof buf, &w), LIC_WRONG_SERIAL);
    CHECK(w == SENT_SIZE);
    CHECK_LAST_ERROR(DEV_SERIAL);
    wrong.serial = "not-a-serial";
    CHECK_RC(report_call(&wrong, buf, sizeof buf, &w), LIC_INVALID_SERIAL_NUMBER);
    CHECK(w == SENT_SIZE);
    /* A validator that does not trust the key: refused as validation says. */
    lic_validator *untrusted = make_validator("untrusted-public-key.pem");
    report_args foreign = {store, untrusted, PROD_SERIAL, t0};
    CHECK_RC(report_call(&foreign, buf, sizeof buf, &w), LIC_UNKNOWN_KEY);
    CHECK(w == SENT_SIZE && buf[0] == SENT_BYTE);
    lic_validator_free(untrusted);
    /* Expired past its grace period, the license still reports its usage. */
    report_args expired = {store, v, PROD_SERIAL, INT64_C(1893456000)};
    char *late = read_text(report_call, &expired, __FILE__, __LINE__);
    CHECK(starts_with(late, REPORT_BEGIN));
    free(late);

    free(raised);
    free(same);
    free(report);
    free(before);
    lic_store_free(store);
    lic_validator_free(v);
    remove_tree(dir);
}

/* ---- the whole exchange: request, register, issue, report, summary ---- */

static const char *exchange_env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "%s is not set: the exchange test needs the vendor and the CLI tests/c/run.sh "
                 "makes (run it)",
                 name);
        fail_here(__FILE__, __LINE__, msg);
    }
    return value;
}

/* Runs the licensing CLI with the arguments `fmt` makes (each quoted by the
 * caller), its output appended to `dir`/cli.log; it must exit `want`. */
static void run_cli(const char *dir, int want, int line, const char *fmt, ...) {
    char args[3000];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    CHECK(n > 0 && (size_t)n < sizeof args);
    char command[4200];
    n = snprintf(command, sizeof command, "'%s' %s >>'%s/cli.log' 2>&1",
                 exchange_env("LIC_TEST_LICENSING"), args, dir);
    CHECK(n > 0 && (size_t)n < sizeof command);
    fflush(stdout);
    int status = system(command);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != want) {
        char msg[4800];
        snprintf(msg, sizeof msg, "licensing %s: expected exit %d, got status %d (see %s/cli.log)",
                 args, want, status, dir);
        fail_here(__FILE__, line, msg);
    }
    atomic_fetch_add(&checks_passed, 1);
}

/* One production environment of the exchange: its store, its identity
 * (pinned: the calls given a NULL serial read it at each call, so pin()
 * pins it before them) and its serial. */
typedef struct {
    lic_store *store;
    char identity[64];
    char serial[64];
} environment;

static void pin(const environment *e) {
    CHECK(setenv("LICENSING_IDENTITY", e->identity, 1) == 0);
}

/* Makes the environment `letter` ('a' or 'b'): a store whose identity is
 * pinned, whose request the vendor registers and whose license the vendor
 * issues (the CLI), installed with a NULL serial. */
static environment make_environment(const char *dir, char letter, const char *code,
                                    const lic_validator *v, int64_t at) {
    const char *vendor = exchange_env("LIC_TEST_EXCHANGE_VENDOR");
    environment e = {SENT_PTR, {0}, {0}};
    char store_dir[256], name[32], path[300];
    snprintf(e.identity, sizeof e.identity, "c-test-exchange-%c", letter);
    snprintf(store_dir, sizeof store_dir, "%s/store-%c", dir, letter);
    snprintf(name, sizeof name, "Production %c", letter - 'a' + 'A');
    pin(&e);
    CHECK_RC(lic_store_create(store_dir, &e.store), LIC_OK);
    size_t w = SENT_SIZE;
    CHECK_RC(lic_store_serial_number(e.store, e.serial, sizeof e.serial, &w), LIC_OK);

    /* The environment writes its request; the vendor registers it and
     * issues the license (2026-01-01, ending 2027-12-31). */
    request_args r = {e.store, code, name, LIC_PURPOSE_PRODUCTION, "11.14", at};
    char *request = read_text(request_call, &r, __FILE__, __LINE__);
    snprintf(path, sizeof path, "%s/%c.request", dir, letter);
    write_path(path, request);
    free(request);
    run_cli(dir, 0, __LINE__, "register '%s/subscription.json' --request '%s'", dir, path);
    char license_path[300];
    snprintf(license_path, sizeof license_path, "%s/%c.lic", dir, letter);
    run_cli(dir, 0, __LINE__,
            "issue '%s/subscription.json' --key '%s/vendor-private.pem' --serial '%s' "
            "--at 2026-01-01T00:00:00Z --out '%s'",
            dir, vendor, e.serial, license_path);

    /* Installed with a NULL serial: the license is this environment's, with
     * the name and purpose of its request. */
    blob file = read_file(license_path);
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_store_install(e.store, v, file.data, file.len, NULL, at, false, &l), LIC_OK);
    free(file.data);
    char text[128];
    CHECK_RC(lic_license_environment_name(l, text, sizeof text, &w), LIC_OK);
    CHECK_STR(text, name);
    CHECK_RC(lic_license_serial_number(l, text, sizeof text, &w), LIC_OK);
    CHECK_STR(text, e.serial);
    CHECK_RC(lic_license_activation_code(l, text, sizeof text, &w), LIC_OK);
    CHECK_STR(text, code);
    lic_purpose purpose = SENT_ENUM;
    CHECK_RC(lic_license_purpose(l, &purpose), LIC_OK);
    CHECK(purpose == LIC_PURPOSE_PRODUCTION);
    uint64_t limit = SENT_U64;
    CHECK_RC(lic_license_limit(l, "application-objects", &limit), LIC_OK);
    CHECK_EQ_U(limit, 450);
    lic_license_free(l);
    return e;
}

/* The status of `e` at `at` with `objects` application objects: may it
 * publish (run it must), and why. */
static bool publishes(const environment *e, const lic_validator *v, int64_t at, uint64_t objects,
                      char *why, size_t why_len) {
    lic_usage_entry usage[] = {{"application-objects", objects}};
    lic_status *st = SENT_PTR;
    pin(e);
    CHECK_RC(lic_store_status(e->store, v, NULL, at, objects ? usage : NULL, objects ? 1 : 0, &st),
             LIC_OK);
    lic_standing standing = SENT_ENUM;
    CHECK_RC(lic_status_standing(st, &standing, NULL), LIC_OK);
    CHECK(standing == LIC_STANDING_ACTIVE);
    CHECK(lic_status_may_run(st) && lic_status_may_administer(st));
    size_t w = SENT_SIZE;
    CHECK_RC(lic_status_publish_reason(st, why, why_len, &w), LIC_OK);
    if (verbose) printf("    %s, %llu objects: %s\n", e->serial, (unsigned long long)objects, why);
    bool may = lic_status_may_publish(st);
    lic_status_free(st);
    return may;
}

/* The summary `bytes` given to `store` must be refused with `want`, the
 * last error naming `word`. */
static void check_summary_refused(const lic_store *store, const lic_validator *v,
                                  const uint8_t *bytes, size_t len, lic_result want,
                                  const char *word, int line) {
    lic_result rc = lic_store_install_usage_summary(store, v, bytes, len, NULL, AT_2026_06_01);
    const char *le = last_error();
    if (verbose) printf("    summary refused with %s: %s\n", code_name(rc), le);
    if (rc != want || strstr(le, word) == NULL) {
        char msg[2400];
        snprintf(msg, sizeof msg, "the summary returned %s, expected %s naming \"%s\"; last error: %s",
                 code_name(rc), code_name(want), word, le);
        fail_here(__FILE__, line, msg);
    }
    atomic_fetch_add(&checks_passed, 1);
}

void test_exchange(void) {
    const char *vendor = exchange_env("LIC_TEST_EXCHANGE_VENDOR");
    const char *code = exchange_env("LIC_TEST_EXCHANGE_CODE");
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-exchange");
    /* The vendor's subscription, copied: registering changes it. */
    char command[600];
    snprintf(command, sizeof command, "cp '%s/subscription.json' '%s/subscription.json'", vendor,
             dir);
    CHECK(system(command) == 0);
    char keys[300];
    snprintf(keys, sizeof keys, "%s/vendor-public.pem", vendor);
    lic_validator *v = make_validator_from(keys);
    const int64_t t0 = AT_2026_06_01;
    char why[512];

    /* Two production environments, 300 application objects each: each is
     * within its own limit of 450. */
    environment a = make_environment(dir, 'a', code, v, t0);
    environment b = make_environment(dir, 'b', code, v, t0);
    CHECK(strcmp(a.serial, b.serial) != 0);
    CHECK(publishes(&a, v, t0, 300, why, sizeof why));
    CHECK(publishes(&b, v, t0, 300, why, sizeof why));

    /* A store without a license has nothing to give a summary to. */
    char empty_dir[300];
    snprintf(empty_dir, sizeof empty_dir, "%s/store-empty", dir);
    lic_store *empty = SENT_PTR;
    CHECK_RC(lic_store_create(empty_dir, &empty), LIC_OK);

    /* Their reports (NULL serial: the store's), summed by the CLI: 600 of
     * 450 across production (it says so with exit 1, and writes the
     * summary). */
    environment *both[] = {&a, &b};
    char report_path[2][300];
    for (size_t i = 0; i < 2; i++) {
        report_args r = {both[i]->store, v, NULL, t0};
        pin(both[i]);
        char *report = read_text(report_call, &r, __FILE__, __LINE__);
        CHECK(starts_with(report, REPORT_BEGIN));
        snprintf(report_path[i], sizeof report_path[i], "%s/%c.report", dir, (char)('a' + i));
        write_path(report_path[i], report);
        free(report);
    }
    char summary_path[300];
    snprintf(summary_path, sizeof summary_path, "%s/infrastructure.summary", dir);
    run_cli(dir, 1, __LINE__, "usage-summary '%s' '%s' --out '%s'", report_path[0],
            report_path[1], summary_path);
    blob summary = read_file(summary_path);
    CHECK(summary.len > 0);

    /* What is not this infrastructure's summary is refused, as an
     * environment problem, and changes nothing. */
    CHECK_RC(lic_store_install_usage_summary(empty, v, summary.data, summary.len, NULL, t0),
             LIC_NO_LICENSE);
    CHECK_LAST_ERROR(empty_dir);
    pin(&a);
    const char hello[] = "hello, this is not a usage summary";
    check_summary_refused(a.store, v, (const uint8_t *)hello, sizeof hello - 1,
                          LIC_BAD_USAGE_SUMMARY, "summary", __LINE__);
    check_summary_refused(a.store, v, NULL, 0, LIC_BAD_USAGE_SUMMARY, "summary", __LINE__);
    blob report = read_file(report_path[0]);
    check_summary_refused(a.store, v, report.data, report.len, LIC_BAD_USAGE_SUMMARY, "summary",
                          __LINE__);
    free(report.data);
    /* Damaged in transit: one character of its text changed. */
    blob damaged = {malloc(summary.len), summary.len};
    CHECK(damaged.data != NULL);
    memcpy(damaged.data, summary.data, summary.len);
    size_t middle = strlen("-----BEGIN LICENSING USAGE SUMMARY-----\n") + 10;
    CHECK(middle < damaged.len);
    damaged.data[middle] = damaged.data[middle] == 'A' ? 'B' : 'A';
    check_summary_refused(a.store, v, damaged.data, damaged.len, LIC_BAD_USAGE_SUMMARY, "",
                          __LINE__);
    free(damaged.data);
    CHECK(lic_result_is_environment(LIC_BAD_USAGE_SUMMARY));
    /* Another infrastructure's store (prod.lic's activation code). */
    char other_dir[300];
    snprintf(other_dir, sizeof other_dir, "%s/store-other", dir);
    lic_store *other = SENT_PTR;
    CHECK_RC(lic_store_create(other_dir, &other), LIC_OK);
    lic_validator *vectors_key = make_validator("test-public-key.pem");
    blob prod = fixture("prod.lic");
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_store_install(other, vectors_key, prod.data, prod.len, PROD_SERIAL, t0, false, &l),
             LIC_OK);
    lic_license_free(l);
    free(prod.data);
    CHECK_RC(lic_store_install_usage_summary(other, vectors_key, summary.data, summary.len,
                                             PROD_SERIAL, t0),
             LIC_BAD_USAGE_SUMMARY);
    CHECK_LAST_ERROR(code);
    lic_store_free(other);
    lic_validator_free(vectors_key);
    CHECK(publishes(&a, v, t0, 300, why, sizeof why)); /* nothing was installed */

    /* Given the summary, A judges the limit summed across production on the
     * infrastructure's total: its 300 and B's 300 are over 450, so
     * publishing is refused; running goes on. */
    pin(&a);
    CHECK_RC(lic_store_install_usage_summary(a.store, v, summary.data, summary.len, NULL, t0),
             LIC_OK);
    CHECK(!publishes(&a, v, t0 + 60, 300, why, sizeof why));
    CHECK(strstr(why, "application-objects 600/450 summed across 2 production environments") !=
          NULL);
    /* 100 here and 300 elsewhere is within; without usage, nothing to sum. */
    CHECK(publishes(&a, v, t0 + 120, 100, why, sizeof why));
    CHECK(publishes(&a, v, t0 + 180, 0, why, sizeof why));
    /* Installed again (it replaces the one kept), and given a serial. */
    CHECK_RC(lic_store_install_usage_summary(a.store, v, summary.data, summary.len, a.serial,
                                             t0 + 240),
             LIC_OK);
    CHECK(!publishes(&a, v, t0 + 300, 151, why, sizeof why));
    CHECK(strstr(why, "451/450 summed across 2 production environments") != NULL);
    /* B was given no summary: its own 300 of 450. */
    CHECK(publishes(&b, v, t0 + 60, 300, why, sizeof why));
    /* Another environment's serial is not this store's license's. */
    CHECK_RC(lic_store_install_usage_summary(a.store, v, summary.data, summary.len, b.serial, t0),
             LIC_WRONG_SERIAL);

    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    free(summary.data);
    lic_store_free(empty);
    lic_store_free(a.store);
    lic_store_free(b.store);
    lic_validator_free(v);
    remove_tree(dir);
}
