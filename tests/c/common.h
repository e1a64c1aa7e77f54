/*
 * What the C ABI tests share: the check macros, the fixtures of
 * tests/vectors and the values vectors.json gives them, the helpers that
 * validate and read licenses, and the list of tests (one file per concept;
 * main.c runs them in order).
 *
 * Every CHECK stops the program with file:line and exit status 1, so a
 * broken promise of the ABI fails the run.
 */
#ifndef LIC_TEST_COMMON_H
#define LIC_TEST_COMMON_H

#include "licensing.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- assertions ------------------------------------------------------ */

/* Checks passed so far, over all threads (main prints them per test). */
extern atomic_ulong checks_passed;
/* LIC_TEST_VERBOSE=1: print every failure message checked. */
extern bool verbose;
/* The concurrency test's threads, and iterations per thread in it
 * (LIC_TEST_ITERATIONS). */
#define THREADS 8
extern long iterations;

/* Prints "file:line: FAILED: what" and exits 1. */
_Noreturn void fail_here(const char *file, int line, const char *what);

/* The name of a lic_result value, for messages. */
const char *code_name(lic_result r);

/* This thread's last error message, through the documented two-call
 * protocol (ask the length, then allocate written + 1). */
const char *last_error(void);

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

/* The unsigned value `actual` must equal `expected`; prints both. */
#define CHECK_EQ_U(actual, expected)                                                           \
    do {                                                                                       \
        unsigned long long a_ = (unsigned long long)(actual);                                  \
        unsigned long long e_ = (unsigned long long)(expected);                                \
        if (a_ != e_) {                                                                        \
            char msg_[600];                                                                    \
            snprintf(msg_, sizeof msg_, "%s is %llu, expected %s = %llu", #actual, a_,         \
                     #expected, e_);                                                           \
            fail_here(__FILE__, __LINE__, msg_);                                               \
        }                                                                                      \
        atomic_fetch_add(&checks_passed, 1);                                                   \
    } while (0)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- fixtures: tests/vectors and vectors.json ------------------------- */

#define PROD_SERIAL "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T"
#define DEV_SERIAL "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6"
#define CODE "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ"
#define OTHER_CODE "9B5.EG7.HQ2.VY0.CK3.MS8.RZ1.D0V"
#define AT_2026_06_01 INT64_C(1780315200) /* prod.lic: active */
#define DEV_ISSUED INT64_C(1740816000)
#define PROD_EXPIRES INT64_C(1830297600) /* prod.lic's expires_at */

/* Sentinels: out-parameters are pre-filled with these to prove that a
 * failing call leaves them alone. */
#define SENT_U32 UINT32_C(0xDEADBEEF)
#define SENT_U64 UINT64_C(0xDEADBEEFCAFEF00D)
#define SENT_I64 INT64_C(-0x2152411035010FF3)
#define SENT_SIZE ((size_t)0xABADCAFE)
#define SENT_ENUM 0x5A5A5A
#define SENT_PTR ((void *)(uintptr_t)0x0BADF00D)
#define SENT_BYTE 'X'

/* The directory of the fixtures (main's argument). */
extern const char *vectors_dir;

typedef struct {
    uint8_t *data;
    size_t len;
} blob;

/* The whole file at `path` (malloc'd; exits 2 when it cannot be read). */
blob read_file(const char *path);
/* The fixture `name` in vectors_dir. */
blob fixture(const char *name);
/* a then b, in a new buffer. */
blob concat(blob a, blob b);

/* prod.lic's features and limits, in sorted order. */
extern const char *const PROD_FEATURES[10];
typedef struct {
    const char *name;
    uint64_t value;
    lic_enforcement enforcement;
} prod_limit;
extern const prod_limit PROD_LIMITS[6];

/* ---- helpers ---------------------------------------------------------- */

/* A validator trusting the keys of fixture `pem_name`. */
lic_validator *make_validator(const char *pem_name);
/* A validator trusting the keys in the file at `path`. */
lic_validator *make_validator_from(const char *path);

/* Validates fixture `name`; expects `want`. On success returns the license;
 * on failure checks that *out was left alone and the last error names
 * `word`. */
lic_license *validate_as(const lic_validator *v, const char *name, const char *serial,
                         const char *code, int64_t now, lic_result want, const char *word,
                         const char *file, int line);
#define VALIDATE(v, name, serial, code, now, want, word)                                       \
    validate_as((v), (name), (serial), (code), (now), (want), (word), __FILE__, __LINE__)

typedef lic_result (*string_getter)(const lic_license *, char *, size_t, size_t *);

/* Checks a string getter's whole protocol on `l`: the size query, buffers
 * of 0, 1, exactly the length and length + 1 bytes (too small ones are
 * left untouched), and the value. */
void check_string_getter(const char *what, string_getter get, const lic_license *l,
                         const char *expected);

/* The status's warnings, one a line (a static buffer); checks the count,
 * each length and that the index after the last is out of range. */
char *store_warnings(const lic_status *st);

/* A new empty directory /tmp/<prefix>-XXXXXX, written into `dir`. */
void make_temp_dir(char *dir, size_t len, const char *prefix);
/* Writes `text` as the file `name` in `dir` (replacing it). */
void write_file_in(const char *dir, const char *name, const char *text);
/* Removes `dir` and what is in it. */
void remove_tree(const char *dir);

/* ---- the tests, by file ----------------------------------------------- */

/* results.c: the library's version, result codes, last error */
void test_version(void);
void test_last_error(void);
void test_messages(void);
void test_result_classes(void);
/* license.c: what a valid license says */
void test_prod_license(void);
void test_text_forms(void);
void test_never_expires(void);
void test_states(void);
/* lookups.c: features and limits by name */
void test_prod_lookups(void);
/* validator.c: the verdict on every fixture */
void test_verdicts(void);
void test_license_source(void);
void test_platform_version(void);
/* null_args.c: NULL and garbage arguments */
void test_argument_errors(void);
void test_null_arguments(void);
/* identity.c: this machine's serial, pinned or missing */
void test_identity(void);
/* threads.c: one validator, many threads */
void test_threads(void);
/* store.c: the license store */
void test_store(void);
void test_store_serial_number(void);
void test_store_preview(void);
void test_store_altered_state(void);
/* status.c: what a status says */
void test_status_days_left(void);
/* grants.c: trial extensions, clock resets, and an anchor of the host's */
void test_trial_extension(void);
void test_clock_reset(void);
void test_anchor_callbacks(void);
/* exchange.c: activation requests, usage reports and summaries */
void test_activation_request(void);
void test_usage_report(void);
void test_exchange(void);
/* hardware.c: a hardware change through the store, with a NULL serial */
void test_hardware_change(void);

#endif /* LIC_TEST_COMMON_H */
