/*
 * A NULL serial number in lic_validator_validate: this machine's identity,
 * pinned by LICENSING_IDENTITY or LICENSING_IDENTITY_FILE, or missing.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <stdlib.h>

/* serial_number NULL: this machine's identity, pinned or missing. */
void test_identity(void) {
    lic_validator *v = make_validator("test-public-key.pem");
    blob prod = fixture("prod.lic");
    char serial[64];
    size_t w;

    /* Pinned by value: a valid serial number, deterministic. */
    CHECK(unsetenv("LICENSING_IDENTITY_FILE") == 0);
    CHECK(setenv("LICENSING_IDENTITY", "c-test-identity-1", 1) == 0);
    w = SENT_SIZE;
    CHECK_RC(lic_serial_number_this_machine(serial, sizeof serial, &w), LIC_OK);
    CHECK(w == 31 && strlen(serial) == 31);
    char again[64];
    CHECK_RC(lic_serial_number_this_machine(again, sizeof again, &w), LIC_OK);
    CHECK_STR(again, serial);
    /* The size protocol: 0, 1, 31 too small; 32 is enough. */
    size_t sizes[] = {0, 1, 31};
    for (size_t s = 0; s < COUNT(sizes); s++) {
        memset(again, SENT_BYTE, sizeof again);
        w = SENT_SIZE;
        CHECK_RC(lic_serial_number_this_machine(again, sizes[s], &w), LIC_BUFFER_TOO_SMALL);
        CHECK(w == 31);
        for (size_t j = 0; j < sizeof again; j++) CHECK(again[j] == SENT_BYTE);
    }
    memset(again, SENT_BYTE, sizeof again);
    CHECK_RC(lic_serial_number_this_machine(again, 32, &w), LIC_OK);
    CHECK_STR(again, serial);
    CHECK(again[32] == SENT_BYTE);
    /* It is a well-formed serial number: validating with it is a wrong
     * serial, not an invalid one; and NULL means the same serial. */
    VALIDATE(v, "prod.lic", serial, CODE, AT_2026_06_01, LIC_WRONG_SERIAL, serial);
    VALIDATE(v, "prod.lic", NULL, CODE, AT_2026_06_01, LIC_WRONG_SERIAL, serial);
    /* Another identity, another serial. */
    CHECK(setenv("LICENSING_IDENTITY", "c-test-identity-2", 1) == 0);
    CHECK_RC(lic_serial_number_this_machine(again, sizeof again, &w), LIC_OK);
    CHECK(strcmp(again, serial) != 0);

    /* Pinned by a file that is missing: no hardware identity. */
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    const char *missing = "/nonexistent/licensing-c-test/identity";
    CHECK(setenv("LICENSING_IDENTITY_FILE", missing, 1) == 0);
    lic_license *l = SENT_PTR;
    CHECK_RC(lic_validator_validate(v, prod.data, prod.len, NULL, CODE, AT_2026_06_01, &l),
             LIC_NO_HARDWARE_IDENTITY);
    CHECK(l == SENT_PTR);
    CHECK_LAST_ERROR(missing);
    CHECK_LAST_ERROR("LICENSING_IDENTITY_FILE");
    memset(serial, SENT_BYTE, sizeof serial);
    w = SENT_SIZE;
    CHECK_RC(lic_serial_number_this_machine(serial, sizeof serial, &w), LIC_NO_HARDWARE_IDENTITY);
    CHECK(w == SENT_SIZE && serial[0] == SENT_BYTE);
    CHECK_LAST_ERROR(missing);
    /* An explicit serial does not read the identity. */
    lic_license_free(VALIDATE(v, "prod.lic", PROD_SERIAL, CODE, AT_2026_06_01, LIC_OK, ""));

    /* Pinned by a file: its contents are the identity. */
    char path[] = "/tmp/licensing-c-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CHECK(f != NULL);
    fputs("c-test-identity-1\n", f);
    fclose(f);
    CHECK(setenv("LICENSING_IDENTITY_FILE", path, 1) == 0);
    CHECK(setenv("LICENSING_IDENTITY", "c-test-identity-1", 1) == 0);
    char from_value[64], from_file[64];
    CHECK_RC(lic_serial_number_this_machine(from_value, sizeof from_value, &w), LIC_OK);
    CHECK(unsetenv("LICENSING_IDENTITY") == 0);
    CHECK_RC(lic_serial_number_this_machine(from_file, sizeof from_file, &w), LIC_OK);
    CHECK_STR(from_file, from_value);
    /* An empty identity file: no hardware identity. */
    f = fopen(path, "w");
    CHECK(f != NULL);
    fclose(f);
    CHECK_RC(lic_serial_number_this_machine(from_file, sizeof from_file, &w),
             LIC_NO_HARDWARE_IDENTITY);
    CHECK_LAST_ERROR("empty");
    CHECK(remove(path) == 0);
    CHECK(unsetenv("LICENSING_IDENTITY_FILE") == 0);

    free(prod.data);
    lic_validator_free(v);
}
