/*
 * The vendor's grants through the store (a trial extension, a clock reset)
 * and an anchor kept by the host through two callbacks.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>
#include <unistd.h>

#define DAY INT64_C(86400)
/* trial-extension.lic's end: 2027-04-01T00:00:00Z. */
#define EXTENSION_UNTIL INT64_C(1806537600)
/* clock-reset.lic's time: 2026-06-01T12:00:00Z. */
#define RESET_AT AT_2026_06_01

static lic_standing standing_at(const lic_store *store, const lic_validator *v, int64_t at,
                                uint32_t *days, char **warnings) {
    lic_status *st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, PROD_SERIAL, at, NULL, 0, &st), LIC_OK);
    lic_standing standing = (lic_standing)99;
    CHECK_RC(lic_status_standing(st, &standing, days), LIC_OK);
    if (warnings) *warnings = strdup(store_warnings(st));
    lic_status_free(st);
    return standing;
}

void test_trial_extension(void) {
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-trial-extension");
    lic_validator *v = make_validator("test-public-key.pem");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    const int64_t t0 = AT_2026_06_01;
    uint32_t days = 0;
    CHECK(standing_at(store, v, t0, &days, NULL) == LIC_STANDING_TRIAL && days == 30);
    /* The state edited by hand: the trial is over. */
    write_file_in(dir, "state", "trial-started=4102444800\n");
    CHECK(standing_at(store, v, t0 + DAY, NULL, NULL) == LIC_STANDING_TRIAL_OVER);

    blob extension = fixture("trial-extension.lic");
    int64_t until = SENT_I64;
    /* Refusals leave the out-parameter alone. */
    CHECK_RC(lic_store_install_trial_extension(store, v, extension.data, extension.len,
                                               PROD_SERIAL, t0, NULL),
             LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_install_trial_extension(NULL, v, extension.data, extension.len,
                                               PROD_SERIAL, t0, &until),
             LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_install_trial_extension(store, v, NULL, 124, PROD_SERIAL, t0, &until),
             LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_install_trial_extension(store, v, extension.data, extension.len,
                                               DEV_SERIAL, t0, &until),
             LIC_WRONG_SERIAL);
    CHECK_LAST_ERROR("the trial extension is for serial " PROD_SERIAL);
    blob prod = fixture("prod.lic");
    CHECK_RC(lic_store_install_trial_extension(store, v, prod.data, prod.len, PROD_SERIAL, t0,
                                               &until),
             LIC_MALFORMED);
    CHECK_LAST_ERROR("not a trial extension file");
    free(prod.data);
    lic_validator *stranger = make_validator("untrusted-public-key.pem");
    CHECK_RC(lic_store_install_trial_extension(store, stranger, extension.data, extension.len,
                                               PROD_SERIAL, t0, &until),
             LIC_UNKNOWN_KEY);
    lic_validator_free(stranger);
    extension.data[70] ^= 0x01; /* inside the signature */
    CHECK_RC(lic_store_install_trial_extension(store, v, extension.data, extension.len,
                                               PROD_SERIAL, t0, &until),
             LIC_BAD_SIGNATURE);
    extension.data[70] ^= 0x01;
    CHECK(until == SENT_I64);
    CHECK(standing_at(store, v, t0 + DAY, NULL, NULL) == LIC_STANDING_TRIAL_OVER);

    /* Accepted: the trial runs to its end, whatever the state said. */
    CHECK_RC(lic_store_install_trial_extension(store, v, extension.data, extension.len,
                                               PROD_SERIAL, t0 + DAY, &until),
             LIC_OK);
    CHECK(until == EXTENSION_UNTIL);
    CHECK(standing_at(store, v, t0 + 2 * DAY, &days, NULL) == LIC_STANDING_TRIAL);
    CHECK_EQ_U(days, (EXTENSION_UNTIL - (t0 + 2 * DAY) + DAY - 1) / DAY);
    CHECK(standing_at(store, v, EXTENSION_UNTIL, NULL, NULL) == LIC_STANDING_TRIAL_OVER);
    free(extension.data);
    lic_store_free(store);
    lic_validator_free(v);
    remove_tree(dir);
}

void test_clock_reset(void) {
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-clock-reset");
    lic_validator *v = make_validator("test-public-key.pem");
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    const int64_t t0 = AT_2026_06_01 - DAY;
    blob prod = fixture("prod.lic");
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, prod.data, prod.len, PROD_SERIAL, t0, false, &l), LIC_OK);
    lic_license_free(l);
    free(prod.data);
    /* The clock set to 2100 by mistake, then fixed: judged in 2100. */
    const int64_t ahead = INT64_C(4102444800);
    CHECK(standing_at(store, v, ahead, NULL, NULL) == LIC_STANDING_EXPIRED);
    char *warnings = NULL;
    CHECK(standing_at(store, v, t0, NULL, &warnings) == LIC_STANDING_EXPIRED);
    CHECK(strstr(warnings, "clock") != NULL);
    free(warnings);

    blob reset = fixture("clock-reset.lic");
    int64_t latest = SENT_I64;
    CHECK_RC(lic_store_reset_clock(store, v, reset.data, reset.len, PROD_SERIAL, t0, NULL),
             LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_reset_clock(store, NULL, reset.data, reset.len, PROD_SERIAL, t0, &latest),
             LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_reset_clock(store, v, reset.data, reset.len, DEV_SERIAL, t0, &latest),
             LIC_WRONG_SERIAL);
    blob extension = fixture("trial-extension.lic");
    CHECK_RC(lic_store_reset_clock(store, v, extension.data, extension.len, PROD_SERIAL, t0,
                                   &latest),
             LIC_MALFORMED);
    CHECK_LAST_ERROR("not a clock reset file");
    free(extension.data);
    CHECK(latest == SENT_I64);

    /* Applied: the latest time seen is the reset's (later than the clock
     * here), the license runs again without a clock warning. */
    CHECK_RC(lic_store_reset_clock(store, v, reset.data, reset.len, PROD_SERIAL, t0, &latest),
             LIC_OK);
    CHECK(latest == RESET_AT);
    CHECK(standing_at(store, v, RESET_AT, NULL, &warnings) == LIC_STANDING_ACTIVE);
    CHECK_STR(warnings, "");
    free(warnings);
    /* Once only. */
    latest = SENT_I64;
    CHECK_RC(lic_store_reset_clock(store, v, reset.data, reset.len, PROD_SERIAL, RESET_AT, &latest),
             LIC_CLOCK_RESET_USED);
    CHECK(latest == SENT_I64);
    CHECK_LAST_ERROR("already applied");
    CHECK(!lic_result_is_misuse(LIC_CLOCK_RESET_USED) &&
          !lic_result_is_environment(LIC_CLOCK_RESET_USED) &&
          !lic_result_is_license_invalid(LIC_CLOCK_RESET_USED));
    free(reset.data);
    lic_store_free(store);
    lic_validator_free(v);
    remove_tree(dir);
}

/* ---- an anchor of the host's: a few keys in memory -------------------- */

typedef struct {
    char key[8][64];
    uint8_t bytes[8][LIC_ANCHOR_MAX_LEN];
    size_t len[8];
    size_t count;
    int loads, saves;
    /* What the callbacks do: 0 as asked, 1 fail, 2 claim more bytes than
     * the buffer holds. */
    int mode;
} memory_anchor;

static int32_t memory_load(void *context, const char *key, uint8_t *buf, size_t len,
                           size_t *written) {
    memory_anchor *a = context;
    a->loads++;
    CHECK(key != NULL && buf != NULL && written != NULL && len == LIC_ANCHOR_MAX_LEN);
    if (a->mode == 1) return LIC_ANCHOR_FAILED;
    if (a->mode == 2) {
        *written = len + 4000;
        return LIC_ANCHOR_FOUND;
    }
    for (size_t i = 0; i < a->count; i++) {
        if (strcmp(a->key[i], key) == 0) {
            memcpy(buf, a->bytes[i], a->len[i]);
            *written = a->len[i];
            return LIC_ANCHOR_FOUND;
        }
    }
    return LIC_ANCHOR_NOT_FOUND;
}

static int32_t memory_save(void *context, const char *key, const uint8_t *bytes, size_t len) {
    memory_anchor *a = context;
    a->saves++;
    if (a->mode != 0) return 1;
    CHECK(strlen(key) < sizeof a->key[0] && len <= LIC_ANCHOR_MAX_LEN);
    size_t i = 0;
    while (i < a->count && strcmp(a->key[i], key) != 0) i++;
    CHECK(i < 8);
    if (i == a->count) a->count++;
    strcpy(a->key[i], key);
    memcpy(a->bytes[i], bytes, len);
    a->len[i] = len;
    return 0;
}

void test_anchor_callbacks(void) {
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-anchor");
    lic_validator *v = make_validator("test-public-key.pem");
    lic_store *plain = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &plain), LIC_OK);
    memory_anchor *a = calloc(1, sizeof *a);
    CHECK(a != NULL);
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_with_anchor(NULL, memory_load, memory_save, a, &store), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_with_anchor(plain, NULL, memory_save, a, &store), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_with_anchor(plain, memory_load, NULL, a, &store), LIC_NULL_ARGUMENT);
    CHECK_RC(lic_store_with_anchor(plain, memory_load, memory_save, a, NULL), LIC_NULL_ARGUMENT);
    CHECK(store == SENT_PTR);
    CHECK_RC(lic_store_with_anchor(plain, memory_load, memory_save, a, &store), LIC_OK);
    lic_store_free(plain); /* the anchored store is a store of its own */

    /* The trial starts; the anchor remembers it under one key. */
    const int64_t t0 = AT_2026_06_01;
    uint32_t days = 0;
    CHECK(standing_at(store, v, t0, &days, NULL) == LIC_STANDING_TRIAL && days == 30);
    CHECK(a->saves >= 1 && a->count == 1);
    CHECK(memcmp(a->bytes[0], "licensing-anchor 1\n", 19) == 0);
    CHECK(standing_at(store, v, t0 + 7 * DAY, &days, NULL) == LIC_STANDING_TRIAL && days == 23);

    /* Deleting the state (and the store's id) no longer restarts the trial:
     * the anchor remembers this store was used. */
    char path[160];
    snprintf(path, sizeof path, "%s/state", dir);
    CHECK(unlink(path) == 0);
    snprintf(path, sizeof path, "%s/store-id", dir);
    CHECK(unlink(path) == 0);
    char *warnings = NULL;
    CHECK(standing_at(store, v, t0 + 8 * DAY, NULL, &warnings) == LIC_STANDING_TRIAL_OVER);
    CHECK(strstr(warnings, "altered or reset") != NULL);
    free(warnings);

    /* An anchor that fails, or lies about its length, never stops the
     * store: it only proves nothing. */
    for (int mode = 1; mode <= 2; mode++) {
        char other[64];
        make_temp_dir(other, sizeof other, "lic-anchor-failing");
        memory_anchor *failing = calloc(1, sizeof *failing);
        CHECK(failing != NULL);
        failing->mode = mode;
        lic_store *s = SENT_PTR, *anchored = SENT_PTR;
        CHECK_RC(lic_store_create(other, &s), LIC_OK);
        CHECK_RC(lic_store_with_anchor(s, memory_load, memory_save, failing, &anchored), LIC_OK);
        CHECK(standing_at(anchored, v, t0, &days, NULL) == LIC_STANDING_TRIAL && days == 30);
        CHECK(standing_at(anchored, v, t0 + DAY, &days, NULL) == LIC_STANDING_TRIAL && days == 29);
        CHECK(failing->loads >= 1 && failing->saves >= 1);
        lic_store_free(anchored);
        lic_store_free(s);
        free(failing);
        remove_tree(other);
    }
    lic_store_free(store);
    free(a);
    lic_validator_free(v);
    remove_tree(dir);
}
