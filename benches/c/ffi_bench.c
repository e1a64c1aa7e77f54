/*
 * The cost of calls through the C ABI, as a C program sees it.
 *
 * Usage: ffi_bench <path to tests/vectors> [calls per round [rounds]]
 * (defaults 1000000 and 101).
 *
 * Every round times each call in turn (`calls per round` calls each), so
 * all calls see the same moments of the machine: on a shared VM the speed
 * of a tight loop drifts by 2x over seconds, and timing one call's runs
 * back to back would measure the drift. Times are this thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID, which leaves out preemption) and the wall
 * clock (CLOCK_MONOTONIC). Printed per call: the median, 10th and 90th
 * percentile of the rounds' CPU ns per call, and the median wall ns; and
 * the median over rounds of the call's cost above the bare C call timed
 * in the same round.
 *
 * Results go to a volatile sink so that the compiler cannot drop or hoist
 * the calls (they are calls into another library, opaque to it anyway).
 */
#define _POSIX_C_SOURCE 200809L

#include "licensing.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile uintptr_t sink;

static lic_license *license;
static const char *volatile feature_name = "sso-saml";
static const char *volatile missing_name = "no-such-feature";
static const char *volatile limit_name = "tenants";

/* A C function the compiler may not inline: the floor of any call. */
__attribute__((noinline)) static const char *c_baseline(void) {
    __asm__ volatile("");
    return "0.1.0";
}

static double now_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Each body makes `n` calls. The argument pointers are read once before
 * the loop (from volatiles) and passed through an asm barrier each
 * iteration, so each call really happens with its arguments. */
static void run_c_baseline(long n) {
    uintptr_t acc = 0;
    for (long i = 0; i < n; i++) acc += (uintptr_t)c_baseline();
    sink = acc;
}

/* The same lookup written in plain C, for comparison: strlen, the name's
 * first 24 bytes as zero-padded words, one 64x64->128 multiply, one
 * 32-byte slot compared. What is left between it and the library's call
 * is the cost of the C ABI layer (NULL checks, the panic boundary, the
 * handle). */
struct c_slot {
    uint64_t head[3];
    uint32_t len;
    uint16_t entry;
} __attribute__((aligned(32)));

#define C_SLOTS 128
static struct c_slot c_table[C_SLOTS];
static uint64_t c_seed = 0x9E3779B97F4A7C15u;

static uint64_t load64(const char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static uint32_t load32(const char *p) {
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

/* The first 24 bytes of a name of n <= 24 bytes, zero-padded. */
static void c_head(const char *s, size_t n, uint64_t w[3]) {
    w[0] = w[1] = w[2] = 0;
    if (n == 0) return;
    if (n < 4) {
        w[0] = (uint64_t)(uint8_t)s[0] | (uint64_t)(uint8_t)s[n / 2] << (8 * (n / 2)) |
               (uint64_t)(uint8_t)s[n - 1] << (8 * (n - 1));
    } else if (n < 8) {
        w[0] = (uint64_t)load32(s) | (uint64_t)load32(s + n - 4) << (8 * (n - 4));
    } else if (n <= 8) {
        w[0] = load64(s);
    } else if (n <= 16) {
        w[0] = load64(s);
        w[1] = load64(s + n - 8) >> (8 * (16 - n));
    } else {
        w[0] = load64(s);
        w[1] = load64(s + 8);
        w[2] = load64(s + n - 8) >> (8 * (24 - n));
    }
}

static size_t c_home(const uint64_t w[3], size_t n) {
    uint64_t b = w[1] ^ ((w[2] << 29) | (w[2] >> 35)) ^ (uint64_t)n ^ 0xBF58476D1CE4E5B9u;
    __extension__ typedef unsigned __int128 u128;
    u128 r = (u128)(w[0] ^ c_seed) * b;
    return (size_t)((uint64_t)r ^ (uint64_t)(r >> 64)) & (C_SLOTS - 1);
}

static void c_table_add(const char *name, uint16_t entry) {
    size_t n = strlen(name);
    uint64_t w[3];
    c_head(name, n, w);
    size_t at = c_home(w, n);
    while (c_table[at].len != UINT32_MAX) at = (at + 1) & (C_SLOTS - 1);
    memcpy(c_table[at].head, w, sizeof w);
    c_table[at].len = (uint32_t)n;
    c_table[at].entry = entry;
}

/* Like the library, the first probe answers (the table is sparse). */
__attribute__((noinline)) static bool c_has_feature(const char *name) {
    if (name == NULL) return false;
    size_t n = strlen(name);
    if (n > 24) return false;
    uint64_t w[3];
    c_head(name, n, w);
    const struct c_slot *slot = &c_table[c_home(w, n)];
    return ((slot->head[0] ^ w[0]) | (slot->head[1] ^ w[1]) | (slot->head[2] ^ w[2]) |
            (slot->len ^ (uint64_t)n)) == 0;
}

static void run_c_has_feature(long n) {
    const char *name = feature_name;
    uintptr_t acc = 0;
    for (long i = 0; i < n; i++) {
        __asm__ volatile("" : "+r"(name));
        acc += c_has_feature(name);
    }
    sink = acc;
    if (acc != (uintptr_t)n) {
        fprintf(stderr, "the C lookup of sso-saml was not always true\n");
        exit(1);
    }
}

static void run_version(long n) {
    uintptr_t acc = 0;
    for (long i = 0; i < n; i++) acc += (uintptr_t)lic_version();
    sink = acc;
}

static void run_has_feature(long n) {
    const lic_license *l = license;
    const char *name = feature_name;
    uintptr_t acc = 0;
    for (long i = 0; i < n; i++) {
        __asm__ volatile("" : "+r"(name));
        acc += lic_license_has_feature(l, name);
    }
    sink = acc;
    if (acc != (uintptr_t)n) {
        fprintf(stderr, "has_feature(sso-saml) was not always true\n");
        exit(1);
    }
}

static void run_has_feature_missing(long n) {
    const lic_license *l = license;
    const char *name = missing_name;
    uintptr_t acc = 0;
    for (long i = 0; i < n; i++) {
        __asm__ volatile("" : "+r"(name));
        acc += lic_license_has_feature(l, name);
    }
    sink = acc;
    if (acc != 0) {
        fprintf(stderr, "has_feature(no-such-feature) was true\n");
        exit(1);
    }
}

static void run_check_usage(long n) {
    const lic_license *l = license;
    const char *name = limit_name;
    uintptr_t acc = 0;
    for (long i = 0; i < n; i++) {
        enum lic_usage u;
        __asm__ volatile("" : "+r"(name));
        acc += lic_license_check_usage(l, name, 20, &u);
        acc += (uintptr_t)u;
    }
    sink = acc;
    if (acc != (uintptr_t)n * LIC_USAGE_WITHIN) {
        fprintf(stderr, "check_usage(tenants, 20) was not always LIC_OK/WITHIN\n");
        exit(1);
    }
}

/* The same two calls with the name's length given (no strlen), as the
 * .NET, Java and Python bindings call them. */
static void run_has_feature_n(long n) {
    const lic_license *l = license;
    const char *name = feature_name;
    size_t len = strlen(name);
    uintptr_t acc = 0;
    for (long i = 0; i < n; i++) {
        __asm__ volatile("" : "+r"(name), "+r"(len));
        acc += lic_license_has_feature_n(l, (const uint8_t *)name, len);
    }
    sink = acc;
    if (acc != (uintptr_t)n) {
        fprintf(stderr, "has_feature_n(sso-saml) was not always true\n");
        exit(1);
    }
}

static void run_check_usage_n(long n) {
    const lic_license *l = license;
    const char *name = limit_name;
    size_t len = strlen(name);
    uintptr_t acc = 0;
    for (long i = 0; i < n; i++) {
        enum lic_usage u;
        __asm__ volatile("" : "+r"(name), "+r"(len));
        acc += lic_license_check_usage_n(l, (const uint8_t *)name, len, 20, &u);
        acc += (uintptr_t)u;
    }
    sink = acc;
    if (acc != (uintptr_t)n * LIC_USAGE_WITHIN) {
        fprintf(stderr, "check_usage_n(tenants, 20) was not always LIC_OK/WITHIN\n");
        exit(1);
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of n values; sorts them. */
static double quantile(double *values, int n, double q) {
    qsort(values, (size_t)n, sizeof values[0], compare);
    return values[(int)(q * (n - 1) + 0.5)];
}

#define MAX_ROUNDS 1001

struct call {
    const char *name;
    void (*body)(long);
    double cpu[MAX_ROUNDS], wall[MAX_ROUNDS], above_bare[MAX_ROUNDS];
};

static struct call calls[] = {
    {"C baseline: noinline C function", run_c_baseline, {0}, {0}, {0}},
    {"C: the same lookup in plain C (\"sso-saml\")", run_c_has_feature, {0}, {0}, {0}},
    {"(a) lic_version()", run_version, {0}, {0}, {0}},
    {"(b) lic_license_has_feature(\"sso-saml\")", run_has_feature, {0}, {0}, {0}},
    {"    lic_license_has_feature(\"no-such-feature\")", run_has_feature_missing, {0}, {0}, {0}},
    {"(c) lic_license_check_usage(\"tenants\", 20)", run_check_usage, {0}, {0}, {0}},
    {"    lic_license_has_feature_n(\"sso-saml\", 8)", run_has_feature_n, {0}, {0}, {0}},
    {"    lic_license_check_usage_n(\"tenants\", 7, 20)", run_check_usage_n, {0}, {0}, {0}},
};
enum { CALLS = sizeof calls / sizeof calls[0], BARE_RUST_CALL = 2, FEATURE_CALL = 3 };
static double bare_rust_call; /* median CPU ns of lic_version(), set by measure_all */

/* Runs the rounds; returns the median CPU ns of a feature check. */
static double measure_all(long per_round, int rounds) {
    for (int c = 0; c < CALLS; c++) calls[c].body(per_round); /* warm up */
    for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < CALLS; c++) {
            double wall0 = now_ns(CLOCK_MONOTONIC), cpu0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
            calls[c].body(per_round);
            calls[c].cpu[r] = (now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0) / (double)per_round;
            calls[c].wall[r] = (now_ns(CLOCK_MONOTONIC) - wall0) / (double)per_round;
        }
        for (int c = 0; c < CALLS; c++) calls[c].above_bare[r] = calls[c].cpu[r] - calls[0].cpu[r];
    }
    printf("%-48s %7s %7s %7s %7s   %9s\n", "", "cpu", "cpu", "cpu", "wall", "cpu above");
    printf("%-48s %7s %7s %7s %7s   %9s\n", "call", "median", "p10", "p90", "median",
           "bare call");
    double feature = 0;
    for (int c = 0; c < CALLS; c++) {
        struct call *k = &calls[c];
        double median = quantile(k->cpu, rounds, 0.5);
        if (c == FEATURE_CALL) feature = median;
        if (c == BARE_RUST_CALL) bare_rust_call = median;
        printf("%-48s %7.2f %7.2f %7.2f %7.2f   %9.2f\n", k->name, median,
               quantile(k->cpu, rounds, 0.1), quantile(k->cpu, rounds, 0.9),
               quantile(k->wall, rounds, 0.5), quantile(k->above_bare, rounds, 0.5));
    }
    fflush(stdout);
    return feature;
}

static unsigned char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(2);
    }
    static unsigned char buf[65536];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s <path to tests/vectors> [calls per round [rounds]]\n",
                argv[0]);
        return 2;
    }
    long per_round = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000L;
    int rounds = argc > 3 ? atoi(argv[3]) : 101;
    if (per_round < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "calls per round >= 1, 1 <= rounds <= %d\n", MAX_ROUNDS);
        return 2;
    }
    char path[4096];
    size_t pem_len, lic_len;
    snprintf(path, sizeof path, "%s/test-public-key.pem", argv[1]);
    unsigned char *pem = read_all(path, &pem_len);
    lic_validator *v = NULL;
    if (lic_validator_new(pem, pem_len, &v) != LIC_OK) {
        fprintf(stderr, "lic_validator_new failed\n");
        return 1;
    }
    snprintf(path, sizeof path, "%s/prod.lic", argv[1]);
    unsigned char *lic = read_all(path, &lic_len);
    if (lic_validator_validate(v, lic, lic_len, "1HA-009-DEZ-RD3-PJA-MNH-C1S-91T",
                               "4QZ.8K1.M3X.J7P.D2R.A6T.WN0.HRQ", INT64_C(1780315200),
                               &license) != LIC_OK) {
        fprintf(stderr, "validating prod.lic failed\n");
        return 1;
    }

    /* The plain C table holds the license's features. */
    for (size_t i = 0; i < C_SLOTS; i++) c_table[i].len = UINT32_MAX;
    size_t features = 0;
    if (lic_license_feature_count(license, &features) != LIC_OK) return 1;
    for (size_t i = 0; i < features; i++) {
        char name[64];
        size_t written = 0;
        if (lic_license_feature_at(license, i, name, sizeof name, &written) != LIC_OK) return 1;
        c_table_add(name, (uint16_t)i);
    }

    printf("licensing %s; %d rounds of %ld calls of each; ns per call\n", lic_version(), rounds,
           per_round);
    double feature = measure_all(per_round, rounds);

    printf("target: a feature check in at most 10 ns (median CPU time), where a bare call costs "
           "about 3 ns: %s (%.2f ns; the bare C -> Rust call here: %.2f ns)\n",
           feature <= 10.0 ? "met" : "MISSED", feature, bare_rust_call);

    lic_license_free(license);
    lic_validator_free(v);
    return 0;
}
