/*
 * A consumer of the installed C SDK (tests/packages/run.sh builds it with
 * `cc validate.c $(pkg-config --cflags --libs licensing)`): validates a
 * license file for a serial number and an activation code at a given
 * time, and checks that it has a feature and lacks another.
 *
 * Usage: validate KEYS.pem LICENSE.lic SERIAL CODE UNIX_TIME FEATURE
 * Prints "version V", "organization O", "state S", "feature F yes|no",
 * exits 0 when the license is valid, active and has FEATURE; else 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <licensing.h>

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    uint8_t *data = NULL;
    size_t used = 0, size = 0;
    for (;;) {
        if (used == size) {
            size = size ? 2 * size : 4096;
            uint8_t *grown = realloc(data, size);
            if (grown == NULL) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = grown;
        }
        size_t n = fread(data + used, 1, size - used, f);
        if (n == 0) break;
        used += n;
    }
    fclose(f);
    *len = used;
    return data;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s KEYS.pem LICENSE.lic SERIAL CODE UNIX_TIME FEATURE\n", argv[0]);
        return 2;
    }
    /* The header and the library are the same release. */
    printf("version %s\n", lic_version());
    if (strcmp(lic_version(), LICENSING_VERSION) != 0) {
        fprintf(stderr, "the library is %s, the header %s\n", lic_version(), LICENSING_VERSION);
        return 1;
    }
    size_t keys_len = 0, file_len = 0;
    uint8_t *keys = slurp(argv[1], &keys_len);
    uint8_t *file = slurp(argv[2], &file_len);
    if (keys == NULL || file == NULL) return 2;

    int rc = 1;
    char text[512];
    size_t written = 0;
    lic_validator *validator = NULL;
    lic_license *license = NULL;
    if (lic_validator_new(keys, keys_len, &validator) != LIC_OK) {
        lic_last_error_message(text, sizeof text, &written);
        fprintf(stderr, "lic_validator_new: %s\n", text);
        goto out;
    }
    lic_result result = lic_validator_validate(validator, file, file_len, argv[3], argv[4],
                                               (int64_t)strtoll(argv[5], NULL, 10), &license);
    if (result != LIC_OK) {
        lic_last_error_message(text, sizeof text, &written);
        fprintf(stderr, "license not valid (%u): %s\n", (unsigned)result, text);
        goto out;
    }
    if (lic_license_organization(license, text, sizeof text, &written) != LIC_OK) goto out;
    printf("organization %s\n", text);
    lic_state state;
    if (lic_license_state(license, &state, NULL) != LIC_OK) goto out;
    printf("state %s\n", state == LIC_STATE_ACTIVE ? "active" : "not active");
    bool has = lic_license_has_feature(license, argv[6]);
    printf("feature %s %s\n", argv[6], has ? "yes" : "no");
    bool bogus = lic_license_has_feature(license, "no-such-feature");
    printf("feature no-such-feature %s\n", bogus ? "yes" : "no");
    rc = (state == LIC_STATE_ACTIVE && has && !bogus) ? 0 : 1;
out:
    lic_license_free(license);
    lic_validator_free(validator);
    free(keys);
    free(file);
    return rc;
}
