/*
 * A tiny translation unit that only includes the public header: run.sh
 * compiles it as C11 and as C++17 with every warning an error, so the
 * header stays clean for both languages. It also checks, at compile time,
 * the values and sizes the ABI promises.
 */
#include "licensing.h"
#include "licensing.h" /* include guard */

#if defined(__cplusplus)
#define STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

STATIC_ASSERT(sizeof(lic_result) == 4, "lic_result is 32 bits");
STATIC_ASSERT(LIC_OK == 0, "LIC_OK is 0");
STATIC_ASSERT(LIC_NO_HARDWARE_IDENTITY == 400, "stable code values");
STATIC_ASSERT(LIC_NOW == INT64_MIN, "LIC_NOW is INT64_MIN");
STATIC_ASSERT(LICENSING_VERSION_MAJOR >= 0, "version macros are integers");

int header_check_uses_the_declarations(void);
int header_check_uses_the_declarations(void) {
    /* Take the address of every declared function so a missing or
     * misspelled declaration fails to compile. */
    typedef void (*any_fn)(void); /* matches every function type */
    const any_fn fns[] = {
        (any_fn)&lic_version,
        (any_fn)&lic_license_free,
        (any_fn)&lic_license_state,
        (any_fn)&lic_license_has_feature,
        (any_fn)&lic_license_has_feature_n,
        (any_fn)&lic_license_limit,
        (any_fn)&lic_license_limit_n,
        (any_fn)&lic_license_limit_enforcement,
        (any_fn)&lic_license_limit_enforcement_n,
        (any_fn)&lic_license_check_usage,
        (any_fn)&lic_license_check_usage_n,
        (any_fn)&lic_license_expires_at,
        (any_fn)&lic_license_issued_at,
        (any_fn)&lic_license_revision,
        (any_fn)&lic_license_type,
        (any_fn)&lic_license_purpose,
        (any_fn)&lic_license_feature_count,
        (any_fn)&lic_license_limit_count,
        (any_fn)&lic_license_feature_at,
        (any_fn)&lic_license_limit_at,
        (any_fn)&lic_result_message,
        (any_fn)&lic_last_error_message,
        (any_fn)&lic_serial_number_this_machine,
        (any_fn)&lic_validator_new,
        (any_fn)&lic_validator_free,
        (any_fn)&lic_validator_validate,
    };
    return (int)(sizeof fns / sizeof fns[0]);
}
