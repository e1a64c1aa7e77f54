/*
 * What a status says about time: lic_status_days_left, and the days_left of
 * lic_status_standing, which must give the same number, for every standing
 * (a license that never expires has no days left to count).
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>

#define DAY INT64_C(86400)

/* The standing and days left of a status at `now`: both getters must agree
 * (lic_status_days_left must give LIC_OK here; see the never-expiring case
 * below for the other answer). */
static void check_days(const lic_store *store, const lic_validator *v, const char *serial,
                       int64_t now, lic_standing want_standing, uint32_t want_days, int line) {
    lic_status *st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, serial, now, NULL, 0, &st), LIC_OK);
    lic_standing standing = (lic_standing)SENT_ENUM;
    uint32_t from_standing = SENT_U32, days = SENT_U32;
    CHECK_RC(lic_status_standing(st, &standing, &from_standing), LIC_OK);
    CHECK_RC(lic_status_days_left(st, &days), LIC_OK);
    if (standing != want_standing || days != want_days || from_standing != want_days) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "status at %lld: expected standing %d with %u days left, found standing %d, "
                 "lic_status_days_left %u, lic_status_standing's days_left %u",
                 (long long)now, (int)want_standing, want_days, (int)standing, days,
                 from_standing);
        fail_here(__FILE__, line, msg);
    }
    atomic_fetch_add(&checks_passed, 1);
    lic_status_free(st);
}

/* Days from `now` until `later`, rounded up (as the library counts). */
static uint32_t days_until(int64_t now, int64_t later) {
    return later <= now ? 0 : (uint32_t)((later - now - 1) / DAY + 1);
}

void test_status_days_left(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    const int64_t t0 = AT_2026_06_01;

    /* A fresh store: the trial's 30 days, then 0 once it is over. */
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-days-left");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    check_days(store, v, PROD_SERIAL, t0, LIC_STANDING_TRIAL, 30, __LINE__);
    check_days(store, v, PROD_SERIAL, t0 + 31 * DAY, LIC_STANDING_TRIAL_OVER, 0, __LINE__);

    /* prod.lic, active: the days until it expires (547.5, rounded up), the
     * same whether asked from lic_status_days_left or the standing. */
    blob prod = fixture("prod.lic");
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0 + 31 * DAY, false,
                               &l),
             LIC_OK);
    lic_license_free(l);
    free(prod.data);
    check_days(store, v, PROD_SERIAL, t0 + 31 * DAY, LIC_STANDING_ACTIVE,
               days_until(t0 + 31 * DAY, PROD_EXPIRES), __LINE__);
    CHECK_EQ_U(days_until(t0 + 31 * DAY, PROD_EXPIRES), 548);
    /* One second before the last 30 days: still active, 30 days and a
     * second left (31 rounded up). */
    check_days(store, v, PROD_SERIAL, INT64_C(1827705599), LIC_STANDING_ACTIVE, 31, __LINE__);
    /* Expiring soon and in grace: the days lic_license_state gives (see
     * test_states); expired past the grace period: 0. */
    check_days(store, v, PROD_SERIAL, INT64_C(1828850400), LIC_STANDING_EXPIRING_SOON, 17,
               __LINE__);
    check_days(store, v, PROD_SERIAL, INT64_C(1831075200), LIC_STANDING_IN_GRACE, 21, __LINE__);
    check_days(store, v, PROD_SERIAL, INT64_C(1832889600), LIC_STANDING_EXPIRED, 0, __LINE__);
    /* Not valid for this serial: 0. */
    check_days(store, v, DEV_SERIAL, INT64_C(1832889600), LIC_STANDING_INVALID, 0, __LINE__);
    lic_store_free(store);
    remove_tree(dir);

    /* dev-never-expires.lic: active, no days to count. lic_status_days_left
     * says LIC_NEVER_EXPIRES and writes nothing; the standing's days_left
     * is 0. */
    make_temp_dir(dir, sizeof dir, "lic-days-never");
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    blob dev = fixture("dev-never-expires.lic");
    CHECK_RC(lic_store_install(store, v, dev.data, dev.len, DEV_SERIAL, t0, false, &l), LIC_OK);
    lic_license_free(l);
    free(dev.data);
    lic_status *st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, DEV_SERIAL, t0, NULL, 0, &st), LIC_OK);
    uint32_t days = SENT_U32;
    CHECK_RC(lic_status_days_left(st, &days), LIC_NEVER_EXPIRES);
    CHECK(days == SENT_U32);
    CHECK_LAST_ERROR("never expires");
    lic_standing standing = (lic_standing)SENT_ENUM;
    CHECK_RC(lic_status_standing(st, &standing, &days), LIC_OK);
    CHECK(standing == LIC_STANDING_ACTIVE);
    CHECK_EQ_U(days, 0);
    CHECK(lic_status_may_run(st));

    /* NULL arguments: refused, nothing written. */
    days = SENT_U32;
    CHECK_RC(lic_status_days_left(NULL, &days), LIC_NULL_ARGUMENT);
    CHECK(days == SENT_U32);
    CHECK_LAST_ERROR("status");
    CHECK_RC(lic_status_days_left(st, NULL), LIC_NULL_ARGUMENT);
    CHECK_LAST_ERROR("out");
    CHECK_RC(lic_status_days_left(NULL, NULL), LIC_NULL_ARGUMENT);
    lic_status_free(st);
    lic_store_free(store);
    remove_tree(dir);
    lic_validator_free(v);
}
