/*
 * One validator shared by 8 threads validating, looking up and failing at
 * once; each thread's last error is its own.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <pthread.h>
#include <stdlib.h>

static lic_validator *shared_validator;
static blob shared_prod, shared_dev, shared_expired;
static pthread_barrier_t start_line;

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

void test_threads(void) {
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
