// P/Invoke declarations of the C ABI in include/licensing.h. Conventions:
// lic_result and the C enums are uint32; size_t is UIntPtr; bool is one
// byte; strings go in as NUL-terminated UTF-8 byte arrays (see
// Interop.ToUtf8Z), or as UTF-8 bytes and their length for the _n
// functions (which the binding no longer calls: License answers lookups
// from what it read once, LicenseData.cs; the tests compare with them), and
// come out of the string getters as byte buffers; lic_validator_validate,
// the hot call, takes pinned pointers (byte*). Handles are IntPtr when made
// (wrapped at once in a SafeHandle) and SafeHandles when used, so a handle
// cannot be freed while a call on another thread is using it.
using System;
using System.Runtime.InteropServices;

namespace Licensing
{
    internal static class NativeMethods
    {
        // The DllImport name: Loader redirects it to the path given by
        // LicensingLibrary.Load or LICENSING_LIBRARY; else the runtime's
        // probing finds liblicensing.so (Linux), liblicensing.dylib (macOS)
        // or licensing.dll (Windows) next to Licensing.dll, through
        // LD_LIBRARY_PATH / DYLD_LIBRARY_PATH / PATH, or in the system's
        // directories. Only Loader may make the first call (see Loader.cs).
        internal const string Library = "licensing";

        internal delegate uint StringGetter(byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr lic_version();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_set_license_source(byte[] text);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern UIntPtr lic_result_message(uint result, [Out] byte[] buf, UIntPtr len);

        // The library's classification of a result (ResultCodeExtensions).

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool lic_result_is_license_invalid(uint result);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool lic_result_is_misuse(uint result);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool lic_result_is_environment(uint result);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_last_error_message([Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_serial_number_this_machine([Out] byte[] buf, UIntPtr len, out UIntPtr written);

        // Validator. lic_validator_validate, the call an application makes
        // again and again, takes its buffers as pointers the caller pins
        // (fixed): blittable arguments only, nothing copied or converted.

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_validator_new(byte[] trustedKeysPem, UIntPtr len, out IntPtr validator);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_validator_new_for_platform(byte[] trustedKeysPem, UIntPtr len, byte[] platformVersion, out IntPtr validator);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lic_validator_free(IntPtr validator);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern unsafe uint lic_validator_validate(
            ValidatorHandle validator,
            byte* licenseFile,
            UIntPtr len,
            byte* serialNumber,
            byte* activationCode,
            long unixTime,
            out IntPtr license);

        // License.

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lic_license_free(IntPtr license);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_state(LicenseHandle license, out uint state, out uint daysLeft);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_days_left(LicenseHandle license, out uint days);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool lic_license_has_feature(LicenseHandle license, byte[] feature);

        // The name as len bytes of UTF-8, no NUL terminator (what License.HasFeature uses).
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool lic_license_has_feature_n(LicenseHandle license, byte[] feature, UIntPtr len);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_limit(LicenseHandle license, byte[] limit, out ulong value);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_limit_enforcement(LicenseHandle license, byte[] limit, out uint enforcement);

        // The name as len bytes of UTF-8, no NUL terminator (what License.Limit uses).
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_limit_n(LicenseHandle license, byte[] limit, UIntPtr len, out ulong value);

        // The name as len bytes of UTF-8, no NUL terminator (what License.LimitEnforcement uses).
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_limit_enforcement_n(LicenseHandle license, byte[] limit, UIntPtr len, out uint enforcement);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_check_usage(LicenseHandle license, byte[] limit, ulong usage, out uint level);

        // The name as len bytes of UTF-8, no NUL terminator (what License.CheckUsage uses).
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_check_usage_n(LicenseHandle license, byte[] limit, UIntPtr len, ulong usage, out uint level);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_expires_at(LicenseHandle license, out long unixTime);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_issued_at(LicenseHandle license, out long unixTime);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_revision(LicenseHandle license, out uint revision);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_type(LicenseHandle license, out uint type);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_purpose(LicenseHandle license, out uint purpose);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_feature_count(LicenseHandle license, out UIntPtr count);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_limit_count(LicenseHandle license, out UIntPtr count);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_feature_at(LicenseHandle license, UIntPtr index, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_limit_at(LicenseHandle license, UIntPtr index, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        // What a License reads once per verification (LicenseData.cs): the
        // verification's number, and each limit's bounds for CheckUsage.

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_verification_id(LicenseHandle license, out ulong id);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_limit_bounds_at(LicenseHandle license, UIntPtr index, out ulong value, out ulong nearFrom, out uint enforcement);

        // String getters (the signature documented for lic_license_organization).

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_activation_code(LicenseHandle license, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_serial_number(LicenseHandle license, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_organization(LicenseHandle license, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_edition(LicenseHandle license, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_support(LicenseHandle license, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_environment_name(LicenseHandle license, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_license_id(LicenseHandle license, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        // Store and status.

        /// <summary>lic_usage_entry: a limit's name (NUL-terminated UTF-8, owned by the caller) and its usage.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct UsageEntry
        {
            internal IntPtr Limit;
            internal ulong Usage;
        }

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_open(byte[] dir, out IntPtr store);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_create(byte[] dir, out IntPtr store);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_open_with_clock_tolerance(byte[] dir, long clockToleranceSeconds, out IntPtr store);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_serial_number(StoreHandle store, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lic_store_free(IntPtr store);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_install(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] licenseFile,
            UIntPtr len,
            byte[] serialNumber,
            long unixTime,
            [MarshalAs(UnmanagedType.U1)] bool force,
            out IntPtr license);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_install_trial_extension(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] file,
            UIntPtr len,
            byte[] serialNumber,
            long unixTime,
            out long until);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_reset_clock(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] file,
            UIntPtr len,
            byte[] serialNumber,
            long unixTime,
            out long latestTimeSeen);

        // An anchor kept by the host (Store.WithAnchor, Anchor.cs). The
        // callbacks are reverse P/Invokes: every argument is a raw pointer
        // (the key a NUL-terminated UTF-8 string, decoded by hand), size_t
        // is UIntPtr, and the result an int32.

        /// <summary>LIC_ANCHOR_FOUND: lic_anchor_load_fn wrote the bytes and their length.</summary>
        internal const int AnchorFound = 0;
        /// <summary>LIC_ANCHOR_NOT_FOUND: nothing was ever saved under the key.</summary>
        internal const int AnchorNotFound = 1;
        /// <summary>LIC_ANCHOR_FAILED: the anchor could not be read, or the bytes do not fit.</summary>
        internal const int AnchorFailed = 2;
        /// <summary>LIC_ANCHOR_MAX_LEN: the most bytes an anchor is asked to keep under one key.</summary>
        internal const int AnchorMaxLen = 1024;

        /// <summary>lic_anchor_load_fn.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int AnchorLoadFn(IntPtr context, IntPtr key, IntPtr buf, UIntPtr len, IntPtr written);

        /// <summary>lic_anchor_save_fn.</summary>
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int AnchorSaveFn(IntPtr context, IntPtr key, IntPtr bytes, UIntPtr len);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_with_anchor(
            StoreHandle store,
            AnchorLoadFn load,
            AnchorSaveFn save,
            IntPtr context,
            out IntPtr anchored);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_restore(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] serialNumber,
            long unixTime,
            out IntPtr license);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_backup(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] serialNumber,
            long unixTime,
            out IntPtr license);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_status(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] serialNumber,
            long unixTime,
            [In] UsageEntry[] usage,
            UIntPtr usageLen,
            out IntPtr status);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_preview_status(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] serialNumber,
            long unixTime,
            [In] UsageEntry[] usage,
            UIntPtr usageLen,
            out IntPtr status);

        // The offline exchange: the activation request and usage report
        // (string getters after their arguments; the purpose is an int32_t
        // of lic_purpose's values), and the infrastructure's usage summary.

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_activation_request(
            StoreHandle store,
            byte[] activationCode,
            byte[] environmentName,
            int purpose,
            byte[] platformVersion,
            long unixTime,
            [Out] byte[] buf,
            UIntPtr len,
            out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_usage_report(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] serialNumber,
            long unixTime,
            [Out] byte[] buf,
            UIntPtr len,
            out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_store_install_usage_summary(
            StoreHandle store,
            ValidatorHandle validator,
            byte[] summary,
            UIntPtr len,
            byte[] serialNumber,
            long unixTime);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void lic_status_free(IntPtr status);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_standing(StatusHandle status, out uint standing, out uint daysLeft);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_days_left(StatusHandle status, out uint days);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool lic_status_may_run(StatusHandle status);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool lic_status_may_publish(StatusHandle status);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool lic_status_may_administer(StatusHandle status);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_warning_count(StatusHandle status, out UIntPtr count);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_warning_at(StatusHandle status, UIntPtr index, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_license(StatusHandle status, out IntPtr license);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_judged_at(StatusHandle status, out long unixTime);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_run_reason(StatusHandle status, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_publish_reason(StatusHandle status, [Out] byte[] buf, UIntPtr len, out UIntPtr written);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint lic_status_administer_reason(StatusHandle status, [Out] byte[] buf, UIntPtr len, out UIntPtr written);
    }
}
