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
STATIC_ASSERT(LIC_INVALID_ENVIRONMENT_NAME == 8 && LIC_INVALID_PURPOSE == 9, "stable code values");
STATIC_ASSERT(LIC_BAD_USAGE_SUMMARY == 506, "stable code values");
STATIC_ASSERT(LIC_PURPOSE_DEVELOPMENT == 0 && LIC_PURPOSE_MANAGEMENT == 3,
              "lic_store_activation_request's purpose values");
STATIC_ASSERT(LIC_NOW == INT64_MIN, "LIC_NOW is INT64_MIN");
STATIC_ASSERT(LICENSING_VERSION_MAJOR >= 0, "version macros are integers");

int header_check_uses_the_declarations(void);
int header_check_uses_the_declarations(void) {
    /* Take the address of every declared function so a missing or
     * misspelled declaration fails to compile (run.sh checks that this
     * list names every function in the header). */
    typedef void (*any_fn)(void); /* matches every function type */
    const any_fn fns[] = {
        (any_fn)&lic_version,
        (any_fn)&lic_license_free,
        (any_fn)&lic_license_state,
        (any_fn)&lic_license_days_left,
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
        (any_fn)&lic_license_limit_bounds_at,
        (any_fn)&lic_license_verification_id,
        (any_fn)&lic_result_is_license_invalid,
        (any_fn)&lic_result_is_misuse,
        (any_fn)&lic_result_is_environment,
        (any_fn)&lic_result_message,
        (any_fn)&lic_last_error_message,
        (any_fn)&lic_serial_number_this_machine,
        (any_fn)&lic_validator_new,
        (any_fn)&lic_validator_new_for_platform,
        (any_fn)&lic_validator_free,
        (any_fn)&lic_validator_validate,
        (any_fn)&lic_license_activation_code,
        (any_fn)&lic_license_serial_number,
        (any_fn)&lic_license_organization,
        (any_fn)&lic_license_edition,
        (any_fn)&lic_license_support,
        (any_fn)&lic_license_environment_name,
        (any_fn)&lic_license_id,
        (any_fn)&lic_store_open,
        (any_fn)&lic_store_create,
        (any_fn)&lic_set_license_source,
        (any_fn)&lic_store_with_anchor,
        (any_fn)&lic_store_activation_request,
        (any_fn)&lic_store_usage_report,
        (any_fn)&lic_store_install_usage_summary,
        (any_fn)&lic_store_install_trial_extension,
        (any_fn)&lic_store_reset_clock,
        (any_fn)&lic_store_preview_status,
        (any_fn)&lic_store_open_with_clock_tolerance,
        (any_fn)&lic_store_serial_number,
        (any_fn)&lic_store_free,
        (any_fn)&lic_store_install,
        (any_fn)&lic_store_restore,
        (any_fn)&lic_store_backup,
        (any_fn)&lic_store_status,
        (any_fn)&lic_status_free,
        (any_fn)&lic_status_standing,
        (any_fn)&lic_status_days_left,
        (any_fn)&lic_status_may_run,
        (any_fn)&lic_status_may_publish,
        (any_fn)&lic_status_may_administer,
        (any_fn)&lic_status_warning_count,
        (any_fn)&lic_status_warning_at,
        (any_fn)&lic_status_license,
        (any_fn)&lic_status_judged_at,
        (any_fn)&lic_status_run_reason,
        (any_fn)&lic_status_publish_reason,
        (any_fn)&lic_status_administer_reason,
    };
    return (int)(sizeof fns / sizeof fns[0]);
}
