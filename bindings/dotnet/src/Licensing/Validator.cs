using System;
using System.Runtime.CompilerServices;
using System.Text;

namespace Licensing
{
    /// <summary>
    /// Trusted keys plus a cache of verified files (lic_validator).
    /// Immutable and thread-safe: share one validator between threads.
    /// Licenses it made stay valid after it is disposed.
    /// </summary>
    public sealed class Validator : IDisposable
    {
        private const long Now = long.MinValue; // LIC_NOW
        private readonly ValidatorHandle handle;
        // The serial number and activation code last given, encoded: validating
        // the same file for the same environment again encodes nothing.
        private readonly Utf8ZMemo serials = new Utf8ZMemo();
        private readonly Utf8ZMemo activationCodes = new Utf8ZMemo();

        /// <summary>A validator trusting every P-256 public key (SPKI PEM) in the text.</summary>
        public Validator(string trustedKeysPem)
            : this(EncodePem(trustedKeysPem), null)
        {
        }

        /// <summary>
        /// A validator trusting every P-256 public key (SPKI PEM) in the text,
        /// for a runtime of the platform version <paramref name="platformVersion"/>
        /// (dotted numbers like "11.14"; null: not told, so caps are not
        /// checked): its validations refuse a license whose platform version
        /// cap does not cover that version with
        /// ResultCode.PlatformVersionNotCovered (lic_validator_new_for_platform;
        /// the library compares the versions: a cap of 11.14 covers 11.14,
        /// 11.14.3 and 11.9, not 11.15). A text that is not a version throws
        /// LicensingException with ResultCode.InvalidPlatformVersion.
        /// </summary>
        public Validator(string trustedKeysPem, string platformVersion)
            : this(EncodePem(trustedKeysPem), platformVersion)
        {
        }

        /// <summary>A validator trusting every P-256 public key (SPKI PEM) in the UTF-8 bytes.</summary>
        public Validator(byte[] trustedKeysPem)
            : this(trustedKeysPem, null)
        {
        }

        /// <summary>
        /// A validator trusting every P-256 public key (SPKI PEM) in the UTF-8
        /// bytes, for a runtime of the platform version
        /// <paramref name="platformVersion"/> (null: not told); see
        /// Validator(string, string).
        /// </summary>
        public Validator(byte[] trustedKeysPem, string platformVersion)
        {
            if (trustedKeysPem == null)
            {
                throw new ArgumentNullException("trustedKeysPem");
            }
            byte[] version = Interop.ToUtf8Z(platformVersion, "platformVersion");
            Loader.EnsureLoaded();
            handle = Create(trustedKeysPem, version);
        }

        // The P/Invoke apart from EnsureLoaded, not inlined (see Loader.cs).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ValidatorHandle Create(byte[] trustedKeysPem, byte[] platformVersion)
        {
            IntPtr raw;
            uint rc = platformVersion == null
                ? NativeMethods.lic_validator_new(trustedKeysPem, (UIntPtr)trustedKeysPem.Length, out raw)
                : NativeMethods.lic_validator_new_for_platform(
                    trustedKeysPem, (UIntPtr)trustedKeysPem.Length, platformVersion, out raw);
            Interop.Check(rc);
            return new ValidatorHandle(raw);
        }

        private static byte[] EncodePem(string pem)
        {
            if (pem == null)
            {
                throw new ArgumentNullException("trustedKeysPem");
            }
            return new UTF8Encoding(false).GetBytes(pem);
        }

        /// <summary>
        /// Validates a license file (binary or text form) for the environment
        /// <paramref name="serialNumber"/> (null: this machine's hardware as
        /// it is now, see LicensingLibrary.SerialNumberThisMachine; a store
        /// keeps the serial through hardware changes, see
        /// <see cref="Store.SerialNumber"/>), requiring
        /// <paramref name="activationCode"/> when given, at
        /// <paramref name="unixTime"/> (seconds since 1970 UTC; null: now).
        /// Throws LicensingException when the license is not valid.
        /// </summary>
        public unsafe License Validate(byte[] licenseFile, string serialNumber = null, string activationCode = null, long? unixTime = null)
        {
            if (licenseFile == null)
            {
                throw new ArgumentNullException("licenseFile");
            }
            ThrowIfDisposed();
            byte[] serial = serials.Get(serialNumber, "serialNumber");
            byte[] code = activationCodes.Get(activationCode, "activationCode");
            long time = unixTime.HasValue ? unixTime.Value : Now;
            IntPtr raw;
            uint rc;
            // The file is passed in place, pinned for the call (no copy); an
            // empty array is NULL with length 0, which the library accepts.
            fixed (byte* file = licenseFile)
            fixed (byte* s = serial)
            fixed (byte* c = code)
            {
                rc = NativeMethods.lic_validator_validate(handle, file, (UIntPtr)licenseFile.Length, s, c, time, out raw);
            }
            Interop.Check(rc);
            return new License(new LicenseHandle(raw));
        }

        /// <summary>Like Validate(byte[], ...), at a point in time.</summary>
        public License Validate(byte[] licenseFile, string serialNumber, string activationCode, DateTimeOffset at)
        {
            return Validate(licenseFile, serialNumber, activationCode, at.ToUnixTimeSeconds());
        }

        /// <summary>The native handle, for the store's calls (throws when disposed).</summary>
        internal ValidatorHandle Handle
        {
            get
            {
                ThrowIfDisposed();
                return handle;
            }
        }

        private void ThrowIfDisposed()
        {
            if (handle.IsClosed)
            {
                throw new ObjectDisposedException("Validator");
            }
        }

        /// <summary>Frees the native validator. Safe to call more than once.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
