/*
 * Tests of the C ABI (include/licensing.h) against the built library, with
 * the fixtures of tests/vectors (see vectors.json for their verdicts). One
 * program: this file runs the tests of every concept's file in order and
 * prints TAP-like lines (`ok N - name (checks)`).
 *
 * Usage: test_ffi <path to tests/vectors>
 * Environment: LIC_TEST_ITERATIONS (per thread in the concurrency test,
 * default 2000), LIC_TEST_VERBOSE=1 prints every failure message checked,
 * LIC_TEST_ONLY=TEXT runs only the tests whose name contains TEXT.
 * The hardware-change test needs the fixture run.sh makes:
 * LIC_TEST_HARDWARE_ROOT, _SERIAL, _KEYS and _LICENSE (see hardware.c); the
 * exchange test the vendor and CLI it makes: LIC_TEST_LICENSING,
 * LIC_TEST_EXCHANGE_VENDOR and _CODE (see exchange.c).
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>

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
    const char *only = getenv("LIC_TEST_ONLY");
    /* Start from a known identity environment: nothing pinned, the
     * hardware read below / (the tests that need otherwise set it). */
    unsetenv("LICENSING_IDENTITY");
    unsetenv("LICENSING_IDENTITY_FILE");
    unsetenv("LICENSING_HARDWARE_ROOT");

    static const struct {
        const char *name;
        void (*run)(void);
    } tests[] = {
        /* results.c */
        {"version", test_version},
        {"fresh thread and last error", test_last_error},
        {"result messages", test_messages},
        {"result classes: license invalid, misuse, environment", test_result_classes},
        /* license.c, lookups.c */
        {"prod.lic: state, counts, listing, times, getters", test_prod_license},
        {"prod.lic lookups: features, limits, usage (by name and by length)", test_prod_lookups},
        {"text forms (prod.pem, prod-mail.txt)", test_text_forms},
        {"dev-never-expires.lic", test_never_expires},
        {"states in time and LIC_NOW", test_states},
        /* validator.c */
        {"verdicts of every fixture", test_verdicts},
        {"where licenses come from, in the product's words", test_license_source},
        {"platform version caps: capped.lic for 11.14, 11.9, 11.15, none; bad versions",
         test_platform_version},
        /* null_args.c */
        {"invalid arguments", test_argument_errors},
        {"NULL for every pointer argument", test_null_arguments},
        /* identity.c */
        {"identity: pinned, file, missing", test_identity},
        /* threads.c */
        {"8 threads sharing one validator", test_threads},
        /* store.c, status.c */
        {"the license store: trial, install, restore, status, decisions", test_store},
        {"the store's serial number", test_store_serial_number},
        {"a preview records nothing", test_store_preview},
        {"an altered state ends the trial, not a license", test_store_altered_state},
        {"days left: trial, active, expiring, grace, expired, invalid, never",
         test_status_days_left},
        /* hardware.c */
        /* grants.c */
        {"trial extension: installed over an altered state", test_trial_extension},
        {"clock reset: a clock that ran ahead, put back once", test_clock_reset},
        {"anchor callbacks: the host keeps what the store remembers", test_anchor_callbacks},
        /* exchange.c */
        {"activation request: buffer, each argument, misuse", test_activation_request},
        {"usage report: no license, daily peaks recorded by the status", test_usage_report},
        {"the offline exchange: request, register, issue, report, summary; summed limits",
         test_exchange},
        {"hardware change with a NULL serial: tolerated, then a new serial", test_hardware_change},
    };
    size_t n = COUNT(tests), selected = 0;
    for (size_t i = 0; i < n; i++)
        if (!only || strstr(tests[i].name, only)) selected++;
    if (selected == 0) {
        fprintf(stderr, "no test name contains LIC_TEST_ONLY=\"%s\"\n", only);
        return 2;
    }
    printf("1..%zu\n", selected);
    size_t number = 0;
    for (size_t i = 0; i < n; i++) {
        if (only && !strstr(tests[i].name, only)) continue;
        unsigned long before = atomic_load(&checks_passed);
        tests[i].run();
        printf("ok %zu - %s (%lu checks)\n", ++number, tests[i].name,
               atomic_load(&checks_passed) - before);
        fflush(stdout);
    }
    printf("# passed: %zu/%zu tests, %lu checks, 0 failed (threads: %d x %ld iterations)\n",
           selected, selected, atomic_load(&checks_passed), THREADS, iterations);
    return 0;
}
