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

        /// <summary>A validator trusting every P-256 public key (SPKI PEM) in the text.</summary>
        public Validator(string trustedKeysPem)
            : this(EncodePem(trustedKeysPem))
        {
        }

        /// <summary>A validator trusting every P-256 public key (SPKI PEM) in the UTF-8 bytes.</summary>
        public Validator(byte[] trustedKeysPem)
        {
            if (trustedKeysPem == null)
            {
                throw new ArgumentNullException("trustedKeysPem");
            }
            Loader.EnsureLoaded();
            handle = Create(trustedKeysPem);
        }

        // The P/Invoke apart from EnsureLoaded, not inlined (see Loader.cs).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ValidatorHandle Create(byte[] trustedKeysPem)
        {
            IntPtr raw;
            uint rc = NativeMethods.lic_validator_new(trustedKeysPem, (UIntPtr)trustedKeysPem.Length, out raw);
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
        public License Validate(byte[] licenseFile, string serialNumber = null, string activationCode = null, long? unixTime = null)
        {
            if (licenseFile == null)
            {
                throw new ArgumentNullException("licenseFile");
            }
            ThrowIfDisposed();
            byte[] serial = Interop.ToUtf8Z(serialNumber, "serialNumber");
            byte[] code = Interop.ToUtf8Z(activationCode, "activationCode");
            IntPtr raw;
            uint rc = NativeMethods.lic_validator_validate(
                handle, licenseFile, (UIntPtr)licenseFile.Length, serial, code,
                unixTime.HasValue ? unixTime.Value : Now, out raw);
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
