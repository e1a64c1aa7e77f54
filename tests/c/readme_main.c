/* Runs the C example in README.md (extracted by tests/c/run.sh into
 * readme_example.c) on the test vectors, so that the example a platform
 * team copies first compiles against the real header and behaves as the
 * README says.
 *
 * Usage: readme_example KEYS.pem LICENSE.lic EXPECTED_STATUS
 * The vectors are issued for fixed serial numbers, never this machine's,
 * so the example's NULL serial makes prod.lic "not valid" here (status 1);
 * keys that are not a PEM public key make its lic_validator_new fail
 * (status 2). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int check(const uint8_t *keys, size_t keys_len, const uint8_t *file, size_t file_len);

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(3);
    }
    uint8_t *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *grown = realloc(buf, cap);
            if (grown == NULL) {
                exit(3);
            }
            buf = grown;
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        if (n == 0) {
            break;
        }
        *len += n;
    }
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s KEYS.pem LICENSE.lic EXPECTED_STATUS\n", argv[0]);
        return 3;
    }
    size_t keys_len = 0, file_len = 0;
    uint8_t *keys = slurp(argv[1], &keys_len);
    uint8_t *file = slurp(argv[2], &file_len);
    int status = check(keys, keys_len, file, file_len);
    free(keys);
    free(file);
    int expected = atoi(argv[3]);
    if (status != expected) {
        fprintf(stderr, "README example: check() returned %d, expected %d\n", status, expected);
        return 4;
    }
    printf("README example: check() returned %d as expected\n", status);
    return 0;
}
