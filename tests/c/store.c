/*
 * The license store: trial, install, downgrade, restore, backup, status and
 * its decisions, clock tolerance; and the serial number the store keeps.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>

void test_store(void) {
    char dir[] = "/tmp/lic-store-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    lic_validator *v = make_validator("test-public-key.pem");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_open(NULL, &store), LIC_NULL_ARGUMENT);
    CHECK(store == SENT_PTR);
    /* An empty directory holds no store: open refuses it (a mistyped path
     * never starts a new trial), create makes one. */
    CHECK_RC(lic_store_open(dir, &store), LIC_NO_STORE);
    CHECK(store == SENT_PTR);
    CHECK(lic_result_is_environment(LIC_NO_STORE));
    CHECK_LAST_ERROR(dir);
    CHECK_RC(lic_store_create(NULL, &store), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_create(dir, NULL), LIC_NULL_ARGUMENT);
    CHECK(store == SENT_PTR);
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
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
    /* days_left for an active license: the days until it expires, rounded
     * up (prod.lic expires 546.5 days after t0 + 32 days). */
    CHECK(standing == LIC_STANDING_ACTIVE);
    CHECK_EQ_U(days, 547);
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

/* lic_store_serial_number: the environment's serial as the store keeps it,
 * as a string getter (31 bytes); no identity is an environment problem. */
void test_store_serial_number(void) {
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-store-serial");
    /* A pinned identity: the serial is known without the store. */
    CHECK(setenv("LICENSING_IDENTITY", "c-test-store-serial", 1) == 0);
    char expected[64];
    size_t w = SENT_SIZE;
    CHECK_RC(lic_serial_number_this_machine(expected, sizeof expected, &w), LIC_OK);
    CHECK_EQ_U(w, 31);

    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    char serial[64];
    memset(serial, SENT_BYTE, sizeof serial);
    w = SENT_SIZE;
    CHECK_RC(lic_store_serial_number(store, serial, sizeof serial, &w), LIC_OK);
    CHECK_EQ_U(w, 31);
    CHECK_STR(serial, expected);
    CHECK(serial[32] == SENT_BYTE);
    /* Too small (nothing written, the length needed in written), then
     * exactly enough. */
    size_t sizes[] = {0, 1, 31};
    for (size_t s = 0; s < COUNT(sizes); s++) {
        memset(serial, SENT_BYTE, sizeof serial);
        w = SENT_SIZE;
        CHECK_RC(lic_store_serial_number(store, serial, sizes[s], &w), LIC_BUFFER_TOO_SMALL);
        CHECK_EQ_U(w, 31);
        for (size_t j = 0; j < sizeof serial; j++) CHECK(serial[j] == SENT_BYTE);
    }
    w = SENT_SIZE;
    CHECK_RC(lic_store_serial_number(store, NULL, 0, &w), LIC_BUFFER_TOO_SMALL);
    CHECK_EQ_U(w, 31);
    memset(serial, SENT_BYTE, sizeof serial);
    CHECK_RC(lic_store_serial_number(store, serial, 32, &w), LIC_OK);
    CHECK_STR(serial, expected);
    CHECK(serial[32] == SENT_BYTE);
    /* Another handle on the same directory: the same serial. */
    lic_store *again = SENT_PTR;
    CHECK_RC(lic_store_open(dir, &again), LIC_OK);
    char other[64];
    CHECK_RC(lic_store_serial_number(again, other, sizeof other, &w), LIC_OK);
    CHECK_STR(other, expected);
    lic_store_free(again);

    /* NULL arguments: refused, nothing written. */
    memset(serial, SENT_BYTE, sizeof serial);
    w = SENT_SIZE;
    CHECK_RC(lic_store_serial_number(NULL, serial, sizeof serial, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE && serial[0] == SENT_BYTE);
    CHECK_LAST_ERROR("store");
    CHECK_RC(lic_store_serial_number(store, NULL, sizeof serial, &w), LIC_NULL_ARGUMENT);
    CHECK(w == SENT_SIZE);
    CHECK_LAST_ERROR("buf");
    CHECK_RC(lic_store_serial_number(store, serial, sizeof serial, NULL), LIC_NULL_ARGUMENT);
    CHECK(serial[0] == SENT_BYTE);
    CHECK_LAST_ERROR("written");
    CHECK_RC(lic_store_serial_number(NULL, NULL, 0, NULL), LIC_NULL_ARGUMENT);
    lic_store_free(store);

    /* No identity at all (a pinned file that is missing; hardware below an
     * empty directory): LIC_NO_HARDWARE_IDENTITY, an environment problem,
     * from a new handle, with nothing written. */
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    const char *missing = "/nonexistent/licensing-c-test/identity";
    CHECK(setenv("LICENSING_IDENTITY_FILE", missing, 1) == 0);
    CHECK_RC(lic_store_open(dir, &store), LIC_OK);
    memset(serial, SENT_BYTE, sizeof serial);
    w = SENT_SIZE;
    lic_result rc = lic_store_serial_number(store, serial, sizeof serial, &w);
    CHECK_RC(rc, LIC_NO_HARDWARE_IDENTITY);
    CHECK(lic_result_is_environment(rc));
    CHECK(w == SENT_SIZE && serial[0] == SENT_BYTE);
    CHECK_LAST_ERROR(missing);
    lic_store_free(store);
    CHECK(unsetenv("LICENSING_IDENTITY_FILE") == 0);
    char empty_root[64];
    make_temp_dir(empty_root, sizeof empty_root, "lic-empty-root");
    CHECK(setenv("LICENSING_HARDWARE_ROOT", empty_root, 1) == 0);
    CHECK_RC(lic_store_open(dir, &store), LIC_OK);
    w = SENT_SIZE;
    CHECK_RC(lic_store_serial_number(store, serial, sizeof serial, &w), LIC_NO_HARDWARE_IDENTITY);
    CHECK(w == SENT_SIZE && serial[0] == SENT_BYTE);
    CHECK_LAST_ERROR("LICENSING_IDENTITY"); /* says how to pin one */
    lic_store_free(store);
    CHECK(unsetenv("LICENSING_HARDWARE_ROOT") == 0);

    remove_tree(empty_root);
    remove_tree(dir);
}

/* The bytes of the store's file `name` ("" when there is none). */
static blob store_file(const char *dir, const char *name) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) return (blob){NULL, 0};
    fclose(f);
    return read_file(path);
}

static bool same_bytes(blob a, blob b) {
    return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

void test_store_preview(void) {
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-store-preview");
    lic_validator *v = make_validator("test-public-key.pem");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    const int64_t t0 = AT_2026_06_01;
    lic_status *st = SENT_PTR;
    lic_standing standing = (lic_standing)99;
    uint32_t days = 99;

    /* A fresh store: the preview shows the trial and starts nothing. */
    CHECK_RC(lic_store_preview_status(store, v, PROD_SERIAL, t0, NULL, 0, &st), LIC_OK);
    CHECK_RC(lic_status_standing(st, &standing, &days), LIC_OK);
    CHECK(standing == LIC_STANDING_TRIAL && days == 30);
    lic_status_free(st);
    CHECK(store_file(dir, "state").data == NULL);

    /* On the trial: a preview a year ahead says it is over, writes nothing,
     * and the status now is neither past the trial nor a clock turned back. */
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, NULL, 0, &st), LIC_OK);
    lic_status_free(st);
    blob before = store_file(dir, "state");
    CHECK(before.data != NULL);
    st = SENT_PTR;
    CHECK_RC(lic_store_preview_status(store, v, PROD_SERIAL, t0 + 365 * 86400, NULL, 0, &st),
             LIC_OK);
    CHECK_RC(lic_status_standing(st, &standing, NULL), LIC_OK);
    CHECK(standing == LIC_STANDING_TRIAL_OVER && !lic_status_may_run(st));
    int64_t judged = 0;
    CHECK_RC(lic_status_judged_at(st, &judged), LIC_OK);
    CHECK(judged == t0 + 365 * 86400);
    lic_status_free(st);
    blob after = store_file(dir, "state");
    CHECK(same_bytes(before, after));
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, NULL, 0, &st), LIC_OK);
    CHECK_RC(lic_status_standing(st, &standing, &days), LIC_OK);
    CHECK(standing == LIC_STANDING_TRIAL && days == 30);
    size_t warnings = 99;
    CHECK_RC(lic_status_warning_count(st, &warnings), LIC_OK);
    CHECK(warnings == 0);
    lic_status_free(st);

    /* Its arguments are checked as lic_store_status's. */
    st = SENT_PTR;
    CHECK_RC(lic_store_preview_status(NULL, v, PROD_SERIAL, t0, NULL, 0, &st), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_preview_status(store, NULL, PROD_SERIAL, t0, NULL, 0, &st),
             LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_preview_status(store, v, PROD_SERIAL, t0, NULL, 0, NULL), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_preview_status(store, v, PROD_SERIAL, t0, NULL, 1, &st), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_preview_status(store, v, "not a serial", t0, NULL, 0, &st),
             LIC_INVALID_SERIAL_NUMBER);
    CHECK(st == SENT_PTR);
    free(before.data);
    free(after.data);
    lic_store_free(store);
    lic_validator_free(v);
}

/* A state edited by hand is not believed: the trial is over for good, with
 * the state-altered warning; a valid license still installs and runs. */
void test_store_altered_state(void) {
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-store-altered");
    lic_validator *v = make_validator("test-public-key.pem");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    const int64_t t0 = AT_2026_06_01;
    lic_status *st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0, NULL, 0, &st), LIC_OK);
    lic_status_free(st);

    write_file_in(dir, "state", "trial-started=4102444800\n"); /* 2100, by hand */
    lic_standing standing = (lic_standing)99;
    for (int again = 0; again < 2; again++) {
        CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0 + 3600, NULL, 0, &st), LIC_OK);
        CHECK_RC(lic_status_standing(st, &standing, NULL), LIC_OK);
        CHECK(standing == LIC_STANDING_TRIAL_OVER);
        CHECK(!lic_status_may_run(st) && lic_status_may_administer(st));
        const char *shown = store_warnings(st);
        CHECK(strstr(shown, "the licensing state of this store was altered or reset") != NULL);
        CHECK(strstr(shown, "ask the vendor for a trial extension") != NULL);
        lic_status_free(st);
    }

    blob prod = fixture("prod.lic");
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0 + 7200, false, &l),
             LIC_OK);
    lic_license_free(l);
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, t0 + 7200, NULL, 0, &st), LIC_OK);
    CHECK_RC(lic_status_standing(st, &standing, NULL), LIC_OK);
    CHECK(standing == LIC_STANDING_ACTIVE && lic_status_may_run(st));
    size_t warnings = 99;
    CHECK_RC(lic_status_warning_count(st, &warnings), LIC_OK);
    CHECK(warnings == 0);
    lic_status_free(st);
    free(prod.data);
    lic_store_free(store);
    lic_validator_free(v);
}
