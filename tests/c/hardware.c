/*
 * The hardware-change scenario through the C ABI, with a NULL serial
 * number: the store keeps the environment's fingerprint record, so its
 * serial survives a minority of component changes and a license issued
 * for it keeps running; when most components change, the serial changes,
 * the license is not valid any more and a status warning says why and
 * what to do.
 *
 * run.sh makes the machine (a directory shaped like / with exactly three
 * components: etc/machine-id, sys/class/dmi/id/product_uuid and one
 * physical network card, eth0) and, with the licensing CLI, learns its
 * serial from a store and issues a license for it. It passes:
 *   LIC_TEST_HARDWARE_ROOT     the machine (this test changes it and puts
 *                              the original values back when it passes)
 *   LIC_TEST_HARDWARE_SERIAL   the serial `licensing serial --store` gave
 *   LIC_TEST_HARDWARE_KEYS     the vendor's public key (PEM)
 *   LIC_TEST_HARDWARE_LICENSE  the license file issued for that serial
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <ctype.h>
#include <stdlib.h>
#include <unistd.h>

/* When the license (issued 2026-01-01, ending 2027-12-31) is judged. */
#define HW_NOW AT_2026_06_01

#define MACHINE_ID "etc/machine-id"
#define ETH0_ADDRESS "sys/class/net/eth0/address"

static const char *required_env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0') {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "%s is not set: the hardware-change test needs the machine and license "
                 "tests/c/run.sh makes (run it)",
                 name);
        fail_here(__FILE__, __LINE__, msg);
    }
    return value;
}

static void path_in(char *out, size_t len, const char *root, const char *relative) {
    int n = snprintf(out, len, "%s/%s", root, relative);
    CHECK(n > 0 && (size_t)n < len);
}

/* The text of `root`/`relative`, without its trailing newline. */
static void read_component(const char *root, const char *relative, char *out, size_t len) {
    char path[4200];
    path_in(path, sizeof path, root, relative);
    blob b = read_file(path);
    while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r')) b.len--;
    CHECK(b.len > 0 && b.len < len);
    memcpy(out, b.data, b.len);
    out[b.len] = '\0';
    free(b.data);
}

/* Replaces a component of the machine, as a hardware change would. */
static void write_component(const char *root, const char *relative, const char *value) {
    char path[4200];
    path_in(path, sizeof path, root, relative);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    CHECK(fprintf(f, "%s\n", value) > 0);
    CHECK(fclose(f) == 0);
}

/* Whether `c` can be part of a name like machine-id. */
static bool name_char(char c) {
    return c == '-' || c == '_' || isalnum((unsigned char)c);
}

/* Whether `word` occurs in `text` as a whole word: not inside a longer
 * name ("mac" is in "machine-id", but not as a word). */
static bool has_word(const char *text, const char *word) {
    size_t n = strlen(word);
    for (const char *p = strstr(text, word); p != NULL; p = strstr(p + 1, word))
        if ((p == text || !name_char(p[-1])) && !name_char(p[n])) return true;
    return false;
}

/* The serial number the store keeps (31 bytes). */
static void store_serial(const lic_store *store, char out[64]) {
    size_t w = SENT_SIZE;
    CHECK_RC(lic_store_serial_number(store, out, 64, &w), LIC_OK);
    CHECK_EQ_U(w, 31);
}

/* This machine's serial from its hardware as it is now (no record). */
static void hardware_serial(char out[64]) {
    size_t w = SENT_SIZE;
    CHECK_RC(lic_serial_number_this_machine(out, 64, &w), LIC_OK);
    CHECK_EQ_U(w, 31);
}

/* A new handle on the store's directory: it reads the hardware again (a
 * handle keeps what it read). */
static lic_store *open_store(const char *dir) {
    lic_store *store = SENT_PTR;
    CHECK_RC(lic_store_create(dir, &store), LIC_OK);
    CHECK(store != NULL && store != SENT_PTR);
    return store;
}

/* The status with a NULL serial: the one the store keeps. */
static lic_status *status_of(const lic_store *store, const lic_validator *v) {
    lic_status *st = SENT_PTR;
    CHECK_RC(lic_store_status(store, v, NULL, HW_NOW, NULL, 0, &st), LIC_OK);
    CHECK(st != NULL && st != SENT_PTR);
    return st;
}

/* The status must run licensed on the license for `serial`, with the days
 * left until `expires` and no warning about the serial number. */
static void check_licensed(const lic_status *st, const char *serial, int64_t expires) {
    lic_standing standing = (lic_standing)SENT_ENUM;
    uint32_t days = SENT_U32, from_standing = SENT_U32;
    CHECK_RC(lic_status_standing(st, &standing, &from_standing), LIC_OK);
    CHECK_EQ_U(standing, LIC_STANDING_ACTIVE);
    CHECK(lic_status_may_run(st));
    CHECK(lic_status_may_publish(st));
    CHECK_RC(lic_status_days_left(st, &days), LIC_OK);
    CHECK_EQ_U(days, (uint32_t)((expires - HW_NOW - 1) / 86400 + 1));
    CHECK_EQ_U(from_standing, days);
    char why[128];
    size_t w = SENT_SIZE;
    CHECK_RC(lic_status_run_reason(st, why, sizeof why, &w), LIC_OK);
    CHECK_STR(why, "licensed");
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_status_license(st, &l), LIC_OK);
    char on_license[64];
    CHECK_RC(lic_license_serial_number(l, on_license, sizeof on_license, &w), LIC_OK);
    CHECK_STR(on_license, serial);
    lic_license_free(l);
    const char *warnings = store_warnings(st);
    if (strstr(warnings, "serial") != NULL) {
        char msg[4200];
        snprintf(msg, sizeof msg, "expected no warning about the serial number, found:\n%s",
                 warnings);
        fail_here(__FILE__, __LINE__, msg);
    }
}

void test_hardware_change(void) {
    const char *root = required_env("LIC_TEST_HARDWARE_ROOT");
    const char *cli_serial = required_env("LIC_TEST_HARDWARE_SERIAL");
    const char *keys = required_env("LIC_TEST_HARDWARE_KEYS");
    const char *license_path = required_env("LIC_TEST_HARDWARE_LICENSE");
    char original_machine_id[128], original_mac[64];
    read_component(root, MACHINE_ID, original_machine_id, sizeof original_machine_id);
    read_component(root, ETH0_ADDRESS, original_mac, sizeof original_mac);

    /* The hardware below the fixture, nothing pinned (a pinned identity
     * would replace the hardware). Set before the first call that reads
     * the identity. */
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    CHECK(unsetenv("LICENSING_IDENTITY_FILE") == 0);
    CHECK(setenv("LICENSING_HARDWARE_ROOT", root, 1) == 0);
    lic_validator *v = make_validator_from(keys);
    blob license = read_file(license_path);

    /* 1. A fresh store: its serial S is the machine's, the one the CLI
     * gave for the same machine; it keeps the fingerprint record; the
     * license issued for S installs and runs, with a NULL serial. */
    char s[64], now_serial[64];
    hardware_serial(now_serial);
    CHECK_STR(now_serial, cli_serial);
    char dir[64];
    make_temp_dir(dir, sizeof dir, "lic-hardware-store");
    lic_store *store = open_store(dir);
    store_serial(store, s);
    CHECK_STR(s, cli_serial);
    char record[200];
    path_in(record, sizeof record, dir, "fingerprint.json");
    CHECK(access(record, R_OK) == 0);
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, license.data, license.len, NULL, HW_NOW, false, &l),
             LIC_OK);
    char on_license[64];
    size_t w = SENT_SIZE;
    CHECK_RC(lic_license_serial_number(l, on_license, sizeof on_license, &w), LIC_OK);
    CHECK_STR(on_license, s);
    int64_t expires = SENT_I64;
    CHECK_RC(lic_license_expires_at(l, &expires), LIC_OK);
    lic_license_free(l);
    lic_status *st = status_of(store, v);
    check_licensed(st, s, expires);
    lic_status_free(st);
    lic_store_free(store);

    /* 2. The network card swapped (one of three components): the
     * hardware's own serial changes, but a new handle's serial is still S
     * and the license still runs. */
    write_component(root, ETH0_ADDRESS, "02:fc:00:00:00:02");
    hardware_serial(now_serial);
    CHECK(strcmp(now_serial, s) != 0);
    store = open_store(dir);
    char after_swap[64];
    store_serial(store, after_swap);
    CHECK_STR(after_swap, s);
    st = status_of(store, v);
    check_licensed(st, s, expires);
    lic_status_free(st);
    lic_store_free(store);

    /* 3. Two of the three components changed: the machine id, and the
     * network card again (the record took the second card's address in
     * step 2, so changing only the machine id now would be one of three).
     * A new handle derives a new serial S2 from the hardware; the license
     * for S is not valid here; a warning names both kinds, S and S2, and
     * says to register S2. */
    write_component(root, MACHINE_ID, "9f0e1d2c3b4a59687766554433221100");
    write_component(root, ETH0_ADDRESS, "02:fc:00:00:00:03");
    hardware_serial(now_serial);
    store = open_store(dir);
    char s2[64];
    store_serial(store, s2);
    if (strcmp(s2, s) == 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "expected a new serial after two of three changes, found %s",
                 s2);
        fail_here(__FILE__, __LINE__, msg);
    }
    CHECK_STR(s2, now_serial);
    st = status_of(store, v);
    lic_standing standing = (lic_standing)SENT_ENUM;
    uint32_t days = SENT_U32;
    CHECK_RC(lic_status_standing(st, &standing, &days), LIC_OK);
    CHECK_EQ_U(standing, LIC_STANDING_INVALID);
    CHECK_EQ_U(days, 0);
    CHECK(!lic_status_may_run(st));
    CHECK(!lic_status_may_publish(st));
    CHECK(lic_status_may_administer(st)); /* to install the new license */
    l = SENT_PTR;
    CHECK_RC(lic_status_license(st, &l), LIC_NO_LICENSE);
    CHECK(l == SENT_PTR);
    {
        const char *words[] = {"mac", "machine-id", s, s2, "register"};
        size_t count = SENT_SIZE;
        CHECK_RC(lic_status_warning_count(st, &count), LIC_OK);
        bool found = false;
        for (size_t i = 0; i < count && !found; i++) {
            char warning[1024];
            CHECK_RC(lic_status_warning_at(st, i, warning, sizeof warning, &w), LIC_OK);
            if (verbose) printf("    warning: %s\n", warning);
            found = true;
            for (size_t j = 0; j < COUNT(words); j++)
                if (!has_word(warning, words[j])) found = false;
        }
        if (!found) {
            char msg[4600];
            snprintf(msg, sizeof msg,
                     "expected a warning naming mac, machine-id, %s, %s and \"register\"; "
                     "the warnings are:\n%s",
                     s, s2, store_warnings(st));
            fail_here(__FILE__, __LINE__, msg);
        }
        atomic_fetch_add(&checks_passed, 1);
    }
    lic_status_free(st);
    /* Installing the license for S again is refused, naming S. */
    l = SENT_PTR;
    CHECK_RC(lic_store_install(store, v, license.data, license.len, NULL, HW_NOW, false, &l),
             LIC_WRONG_SERIAL);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR(s);
    lic_store_free(store);
    /* S2 is now on record: the next handle keeps it. */
    store = open_store(dir);
    char later[64];
    store_serial(store, later);
    CHECK_STR(later, s2);
    lic_store_free(store);

    /* Put the machine back, so that the test can run again on it. */
    write_component(root, MACHINE_ID, original_machine_id);
    write_component(root, ETH0_ADDRESS, original_mac);
    CHECK(unsetenv("LICENSING_HARDWARE_ROOT") == 0);
    remove_tree(dir);
    free(license.data);
    lic_validator_free(v);
}
