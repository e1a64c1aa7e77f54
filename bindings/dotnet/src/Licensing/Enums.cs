// The C ABI's enums, with the values of include/licensing.h.
namespace Licensing
{
    /// <summary>
    /// The result codes of the C ABI (lic_result). 0 is success. What kind
    /// of failure a code is: <see cref="ResultCodeExtensions"/>.
    /// </summary>
    public enum ResultCode : uint
    {
        /// <summary>Success.</summary>
        Ok = 0,
        /// <summary>A required pointer argument was NULL.</summary>
        NullArgument = 1,
        /// <summary>A string argument is not valid UTF-8.</summary>
        InvalidUtf8 = 2,
        /// <summary>The caller's buffer is too small (handled by this wrapper).</summary>
        BufferTooSmall = 3,
        /// <summary>A serial number argument is not a valid serial number.</summary>
        InvalidSerialNumber = 4,
        /// <summary>An activation code argument is not a valid activation code.</summary>
        InvalidActivationCode = 5,
        /// <summary>An index argument is out of range.</summary>
        IndexOutOfRange = 6,
        /// <summary>A platform version argument is not dotted numbers like 11.14.</summary>
        InvalidPlatformVersion = 7,
        /// <summary>An environment name argument is empty, over 100 characters or holds a control character (Store.ActivationRequest).</summary>
        InvalidEnvironmentName = 8,
        /// <summary>A purpose argument is not one of the <see cref="Purpose"/> values.</summary>
        InvalidPurpose = 9,
        /// <summary>The library panicked; this is a bug. The call had no effect.</summary>
        Panic = 99,
        /// <summary>The trusted keys are not P-256 public keys in SPKI PEM.</summary>
        BadTrustedKeys = 100,
        /// <summary>The license file is malformed (not a license file, cut short, ...).</summary>
        Malformed = 200,
        /// <summary>The license file's format version is not supported.</summary>
        UnsupportedVersion = 201,
        /// <summary>The license file is signed by a key that is not trusted.</summary>
        UnknownKey = 202,
        /// <summary>The signature does not match the contents: altered or damaged.</summary>
        BadSignature = 203,
        /// <summary>The license belongs to another activation code.</summary>
        WrongActivationCode = 204,
        /// <summary>The license is for another environment's serial number.</summary>
        WrongSerial = 205,
        /// <summary>The license is not valid yet (check the clock).</summary>
        NotYetValid = 206,
        /// <summary>The license expired and its grace period ended.</summary>
        Expired = 207,
        /// <summary>The license carries a critical extension this library does not know: a newer runtime is needed.</summary>
        UnknownCriticalExtension = 208,
        /// <summary>
        /// The license's platform version cap does not cover the platform
        /// version the validator was made for (Validator's platformVersion).
        /// </summary>
        PlatformVersionNotCovered = 209,
        /// <summary>The license sets no such limit.</summary>
        NoSuchLimit = 300,
        /// <summary>The license never expires, so it has no expiry time.</summary>
        NeverExpires = 301,
        /// <summary>The status has no valid license (trial, expired or invalid).</summary>
        NoLicense = 302,
        /// <summary>No stable hardware identity could be read and none is pinned.</summary>
        NoHardwareIdentity = 400,
        /// <summary>A file of the license store could not be read or written.</summary>
        StoreIo = 500,
        /// <summary>The license is older than the installed one (install with force to downgrade).</summary>
        Downgrade = 501,
        /// <summary>There is no previous license to restore.</summary>
        NoBackup = 502,
        /// <summary>The store's state file is damaged.</summary>
        CorruptState = 503,
        /// <summary>The directory holds no license store (Store.Open of a mistyped path, say): make one with Store.Create.</summary>
        NoStore = 504,
        /// <summary>
        /// The clock reset was already applied by this store, or a later one
        /// was: each is applied once (ask the vendor for a new one). An
        /// answer of Store.ResetClock, not a failure of any kind.
        /// </summary>
        ClockResetUsed = 505,
        /// <summary>
        /// The usage summary is damaged, not a summary, or of another
        /// infrastructure (the message says which): make it again from this
        /// infrastructure's usage reports (Store.InstallUsageSummary).
        /// </summary>
        BadUsageSummary = 506,
    }

    /// <summary>Where a valid license stands in time (lic_state); see License.DaysLeft.</summary>
    public enum State : uint
    {
        /// <summary>Valid and not near its end (or never ending): DaysLeft until it ends, null when never.</summary>
        Active = 0,
        /// <summary>Valid, ending within 30 days: DaysLeft says when.</summary>
        ExpiringSoon = 1,
        /// <summary>Expired but in its grace period: DaysLeft to install a renewal.</summary>
        InGrace = 2,
    }

    /// <summary>Whether going over a limit blocks or warns (lic_enforcement).</summary>
    public enum Enforcement : uint
    {
        /// <summary>Going over blocks what the limit guards.</summary>
        Hard = 0,
        /// <summary>Going over is reported; nothing is blocked.</summary>
        Soft = 1,
    }

    /// <summary>How a usage figure compares with a limit (lic_usage).</summary>
    public enum Usage : uint
    {
        /// <summary>The license sets no such limit.</summary>
        Unlimited = 0,
        /// <summary>Below 90% of the limit.</summary>
        Within = 1,
        /// <summary>From 90% of the limit up to the limit.</summary>
        Near = 2,
        /// <summary>Over a soft limit: warn, block nothing.</summary>
        OverSoftLimit = 3,
        /// <summary>Over a hard limit: block what the limit guards.</summary>
        OverHardLimit = 4,
    }

    /// <summary>Where the environment stands (lic_standing), from a store's status; see Status.DaysLeft.</summary>
    public enum Standing : uint
    {
        /// <summary>Licensed and not near the end: DaysLeft until it ends, null when never.</summary>
        Active = 0,
        /// <summary>Licensed, ending within 30 days: DaysLeft says when.</summary>
        ExpiringSoon = 1,
        /// <summary>Expired, in the grace period: DaysLeft to install a renewal.</summary>
        InGrace = 2,
        /// <summary>Expired and past the grace period.</summary>
        Expired = 3,
        /// <summary>The installed license is not valid for this environment.</summary>
        Invalid = 4,
        /// <summary>No license ever installed: on the trial (DaysLeft).</summary>
        Trial = 5,
        /// <summary>No license ever installed and the trial is over.</summary>
        TrialOver = 6,
    }

    /// <summary>The type of license (lic_type).</summary>
    public enum LicenseType : uint
    {
        /// <summary>For building and testing applications.</summary>
        Development = 0,
        /// <summary>For serving users.</summary>
        Production = 1,
    }

    /// <summary>What the licensed environment is for (lic_purpose).</summary>
    public enum Purpose : uint
    {
        /// <summary>Development.</summary>
        Development = 0,
        /// <summary>Quality assurance, staging and other non-production uses.</summary>
        NonProduction = 1,
        /// <summary>Production.</summary>
        Production = 2,
        /// <summary>The management console's environment.</summary>
        Management = 3,
    }
}
