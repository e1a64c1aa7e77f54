using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Licensing
{
    /// <summary>
    /// A license store in a directory (lic_store): the active license
    /// (license.lic), its backup (license.lic.bak), the trial and clock
    /// record (state), the environment's fingerprint record
    /// (fingerprint.json) and a lock file (.lock, which marks the directory
    /// as a store). An installer makes it with <see cref="Create(string)"/>;
    /// the application opens it with <see cref="Open(string)"/>, which
    /// refuses a directory that holds no store. Safe to use from several
    /// threads and processes: changes are serialized by the lock file.
    /// </summary>
    public sealed class Store : IDisposable
    {
        private const long Now = long.MinValue; // LIC_NOW
        private readonly StoreHandle handle;
        /// <summary>
        /// The anchor callbacks of a store made by <see cref="WithAnchor"/>
        /// (null otherwise), kept for as long as this store lives (its handle
        /// keeps them too): the native store calls their delegates, which
        /// the GC would otherwise collect, freeing the thunks native code calls.
        /// </summary>
        private readonly AnchorCallbacks anchor;

        private Store(StoreHandle handle)
        {
            this.handle = handle;
        }

        private Store(StoreHandle handle, AnchorCallbacks anchor)
        {
            this.handle = handle;
            this.anchor = anchor;
        }

        /// <summary>
        /// Opens the existing store in the directory <paramref name="dir"/>.
        /// Throws LicensingException with ResultCode.NoStore when the
        /// directory holds none (none of .lock, state, license.lic,
        /// license.lic.bak, fingerprint.json): a mistyped path never starts
        /// a new store on a fresh trial. An installer makes the store with
        /// <see cref="Create(string)"/>.
        /// </summary>
        public static Store Open(string dir)
        {
            if (dir == null)
            {
                throw new ArgumentNullException("dir");
            }
            byte[] path = Interop.ToUtf8Z(dir, "dir");
            Loader.EnsureLoaded();
            return new Store(Native.Open(path));
        }

        /// <summary>
        /// As <see cref="Open(string)"/> (an existing store: ResultCode.NoStore
        /// otherwise), with how far the clock may be behind the latest time
        /// the store has seen before a status reports it as turned back
        /// (<see cref="Open(string)"/> allows a day). Whole seconds count
        /// (fractions are dropped); a negative tolerance counts as zero.
        /// </summary>
        public static Store Open(string dir, TimeSpan clockTolerance)
        {
            if (dir == null)
            {
                throw new ArgumentNullException("dir");
            }
            byte[] path = Interop.ToUtf8Z(dir, "dir");
            // TimeSpan.Ticks / TicksPerSecond cannot overflow a long.
            long seconds = clockTolerance.Ticks / TimeSpan.TicksPerSecond;
            Loader.EnsureLoaded();
            return new Store(Native.Open(path, seconds));
        }

        /// <summary>
        /// Opens the store in the directory <paramref name="dir"/>, creating
        /// the directory and an empty store in it when there is none (an
        /// installer's call: it writes only the empty .lock file that marks
        /// the directory as a store; the trial starts at the first
        /// <see cref="Status"/>). An existing store is opened as it is.
        /// Throws LicensingException (StoreIo) when the directory cannot be
        /// made or written.
        /// </summary>
        public static Store Create(string dir)
        {
            if (dir == null)
            {
                throw new ArgumentNullException("dir");
            }
            byte[] path = Interop.ToUtf8Z(dir, "dir");
            Loader.EnsureLoaded();
            return new Store(Native.Create(path));
        }

        // The P/Invokes of Open and Create apart from EnsureLoaded, not inlined (see Loader.cs).
        private static class Native
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static StoreHandle Open(byte[] path)
            {
                IntPtr raw;
                Interop.Check(NativeMethods.lic_store_open(path, out raw));
                return new StoreHandle(raw);
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static StoreHandle Open(byte[] path, long clockToleranceSeconds)
            {
                IntPtr raw;
                Interop.Check(NativeMethods.lic_store_open_with_clock_tolerance(path, clockToleranceSeconds, out raw));
                return new StoreHandle(raw);
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            internal static StoreHandle Create(byte[] path)
            {
                IntPtr raw;
                Interop.Check(NativeMethods.lic_store_create(path, out raw));
                return new StoreHandle(raw);
            }
        }

        /// <summary>
        /// This environment's serial number as the store keeps it: read from
        /// the pinned identity (LICENSING_IDENTITY / LICENSING_IDENTITY_FILE)
        /// or the hardware (below LICENSING_HARDWARE_ROOT when set), and
        /// reconciled with the fingerprint record in the store directory, so
        /// that it stays the same while most of the recorded hardware
        /// components are still there. The store's methods given no serial
        /// number use this one. Throws LicensingException: NoHardwareIdentity
        /// when there is no identity, StoreIo when the record cannot be
        /// written.
        /// </summary>
        public string SerialNumber
        {
            get
            {
                StoreHandle h = Handle;
                return Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) =>
                    NativeMethods.lic_store_serial_number(h, b, l, out w));
            }
        }

        /// <summary>
        /// Validates <paramref name="licenseFile"/> (binary or text form) for
        /// this environment (<paramref name="serialNumber"/>; null: the
        /// store's <see cref="SerialNumber"/>) at <paramref name="unixTime"/>
        /// (null: now; never earlier than the latest time the store has
        /// seen), then makes it the active license atomically, keeping the
        /// previous one as the backup. An older revision of the same
        /// subscription and environment is refused (ResultCode.Downgrade) unless
        /// <paramref name="force"/>. Returns the installed license (dispose
        /// it); throws LicensingException and leaves the store unchanged
        /// when the license is not valid.
        /// </summary>
        public License Install(Validator validator, byte[] licenseFile, string serialNumber = null, long? unixTime = null, bool force = false)
        {
            if (validator == null)
            {
                throw new ArgumentNullException("validator");
            }
            if (licenseFile == null)
            {
                throw new ArgumentNullException("licenseFile");
            }
            StoreHandle h = Handle;
            byte[] serial = Interop.ToUtf8Z(serialNumber, "serialNumber");
            IntPtr raw;
            uint rc = NativeMethods.lic_store_install(
                h, validator.Handle, licenseFile, (UIntPtr)licenseFile.Length, serial,
                unixTime.HasValue ? unixTime.Value : Now, force, out raw);
            Interop.Check(rc);
            return new License(new LicenseHandle(raw));
        }

        /// <summary>
        /// Installs the vendor's trial extension (<paramref name="file"/>, a
        /// .lic file starting with LICT) for this environment
        /// (<paramref name="serialNumber"/>; null: the store's
        /// <see cref="SerialNumber"/>) at <paramref name="unixTime"/> (null:
        /// now): the trial then runs until the extension's end, whatever
        /// happened to the store's state (a trial that is over, or a state
        /// that was altered, becomes a trial again). Checked by the
        /// validator's trusted keys first: throws LicensingException
        /// (Malformed for a file that is not a trial extension, UnknownKey,
        /// BadSignature, WrongSerial) and leaves the store unchanged when it
        /// is refused. Returns the trial's new end, in Unix seconds.
        /// </summary>
        public long InstallTrialExtension(Validator validator, byte[] file, string serialNumber = null, long? unixTime = null)
        {
            return Grant(NativeMethods.lic_store_install_trial_extension, validator, file, serialNumber, unixTime);
        }

        /// <summary>
        /// Applies the vendor's clock reset (<paramref name="file"/>, a file
        /// starting with LICR) for this environment
        /// (<paramref name="serialNumber"/>; null: the store's
        /// <see cref="SerialNumber"/>): the latest time the store has seen
        /// goes back to the reset's time, or to <paramref name="unixTime"/>
        /// (null: now) when that is later, so set the clock right first.
        /// For a clock that was once set far ahead: afterwards statuses are
        /// judged at the clock again, without a clock warning. The trial is
        /// not reopened. Each reset is applied once: throws
        /// LicensingException with ResultCode.ClockResetUsed when this one,
        /// or a later one, was already applied (ask the vendor for a new
        /// one); Malformed, UnknownKey, BadSignature or WrongSerial when it
        /// is refused. Returns the latest time seen now, in Unix seconds.
        /// </summary>
        public long ResetClock(Validator validator, byte[] file, string serialNumber = null, long? unixTime = null)
        {
            return Grant(NativeMethods.lic_store_reset_clock, validator, file, serialNumber, unixTime);
        }

        /// <summary>The shape of lic_store_install_trial_extension and lic_store_reset_clock.</summary>
        private delegate uint GrantCall(
            StoreHandle store, ValidatorHandle validator, byte[] file, UIntPtr len,
            byte[] serialNumber, long unixTime, out long time);

        /// <summary>Checks the arguments, calls <paramref name="call"/> and returns the time it gives.</summary>
        private long Grant(GrantCall call, Validator validator, byte[] file, string serialNumber, long? unixTime)
        {
            if (validator == null)
            {
                throw new ArgumentNullException("validator");
            }
            if (file == null)
            {
                throw new ArgumentNullException("file");
            }
            StoreHandle h = Handle;
            byte[] serial = Interop.ToUtf8Z(serialNumber, "serialNumber");
            long time;
            uint rc = call(h, validator.Handle, file, (UIntPtr)file.Length, serial,
                unixTime.HasValue ? unixTime.Value : Now, out time);
            Interop.Check(rc);
            return time;
        }

        /// <summary>
        /// A new store like this one (the same directory and clock
        /// tolerance) that keeps its anchor through <paramref name="anchor"/>
        /// instead of LICENSING_ANCHOR_DIR or the default directory: what
        /// the store must remember outside its directory (that the trial
        /// started, the latest time seen), so that deleting or resetting the
        /// directory's files is noticed. The anchor is called from whichever
        /// thread uses the new store; an anchor that fails (throws) never
        /// stops the store, it only weakens what can be detected. Dispose
        /// the new store; this one stays open and is still yours to dispose.
        /// </summary>
        public Store WithAnchor(IAnchor anchor)
        {
            if (anchor == null)
            {
                throw new ArgumentNullException("anchor");
            }
            StoreHandle h = Handle;
            var callbacks = new AnchorCallbacks(anchor);
            IntPtr raw;
            uint rc = NativeMethods.lic_store_with_anchor(h, callbacks.LoadFn, callbacks.SaveFn, IntPtr.Zero, out raw);
            Interop.Check(rc);
            return new Store(new StoreHandle(raw, callbacks), callbacks);
        }

        /// <summary>
        /// This environment's activation request, as armored text
        /// ("-----BEGIN LICENSING ACTIVATION REQUEST-----"), for the vendor's
        /// <c>licensing register SUBSCRIPTION --request FILE</c>: the store's
        /// <see cref="SerialNumber"/> under <paramref name="activationCode"/>,
        /// with <paramref name="environmentName"/>, <paramref name="purpose"/>
        /// and <paramref name="platformVersion"/> (null: not known), written
        /// at <paramref name="unixTime"/> (null: now). Throws
        /// LicensingException: InvalidActivationCode, InvalidEnvironmentName
        /// (empty, over 100 characters or a control character),
        /// InvalidPurpose (a value that is no Purpose), InvalidPlatformVersion,
        /// NoHardwareIdentity.
        /// </summary>
        public string ActivationRequest(string activationCode, string environmentName, Purpose purpose,
            string platformVersion = null, long? unixTime = null)
        {
            if (activationCode == null)
            {
                throw new ArgumentNullException("activationCode");
            }
            if (environmentName == null)
            {
                throw new ArgumentNullException("environmentName");
            }
            StoreHandle h = Handle;
            byte[] code = Interop.ToUtf8Z(activationCode, "activationCode");
            byte[] name = Interop.ToUtf8Z(environmentName, "environmentName");
            byte[] version = Interop.ToUtf8Z(platformVersion, "platformVersion");
            // Any value of the enum's type is passed on: the library refuses
            // one that is no purpose.
            int purposeValue = unchecked((int)(uint)purpose);
            long time = unixTime.HasValue ? unixTime.Value : Now;
            return Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) =>
                NativeMethods.lic_store_activation_request(h, code, name, purposeValue, version, time, b, l, out w));
        }

        /// <summary>
        /// This environment's usage report, as armored text ("-----BEGIN
        /// LICENSING USAGE REPORT-----"): the installed license's identity and
        /// limits and the daily peaks the store recorded from the usage given
        /// to <c>Status</c>, written at <paramref name="unixTime"/>
        /// (null: now), for the management environment or the vendor
        /// (<c>licensing usage-summary</c>). A null
        /// <paramref name="serialNumber"/> is the store's
        /// <see cref="SerialNumber"/>. Throws LicensingException: NoLicense
        /// when no license is installed; why the installed one is not this
        /// environment's (an expired one still reports).
        /// </summary>
        public string UsageReport(Validator validator, string serialNumber = null, long? unixTime = null)
        {
            if (validator == null)
            {
                throw new ArgumentNullException("validator");
            }
            StoreHandle h = Handle;
            ValidatorHandle v = validator.Handle;
            byte[] serial = Interop.ToUtf8Z(serialNumber, "serialNumber");
            long time = unixTime.HasValue ? unixTime.Value : Now;
            return Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) =>
                NativeMethods.lic_store_usage_report(h, v, serial, time, b, l, out w));
        }

        /// <summary>
        /// Gives the store the infrastructure's usage summary
        /// (<paramref name="summary"/>, made by <c>licensing usage-summary
        /// --out</c> from the environments' usage reports), replacing the one
        /// it had: from then on <c>Status</c> judges the limits summed
        /// across the production environments on the infrastructure's total
        /// (the other environments' peaks in the summary plus this one's
        /// usage). A null <paramref name="serialNumber"/> is the store's
        /// <see cref="SerialNumber"/>. Throws LicensingException: NoLicense
        /// when no license is installed, BadUsageSummary when the summary is
        /// damaged or of another infrastructure.
        /// </summary>
        public void InstallUsageSummary(Validator validator, byte[] summary, string serialNumber = null, long? unixTime = null)
        {
            if (validator == null)
            {
                throw new ArgumentNullException("validator");
            }
            if (summary == null)
            {
                throw new ArgumentNullException("summary");
            }
            StoreHandle h = Handle;
            byte[] serial = Interop.ToUtf8Z(serialNumber, "serialNumber");
            uint rc = NativeMethods.lic_store_install_usage_summary(
                h, validator.Handle, summary, (UIntPtr)summary.Length, serial,
                unixTime.HasValue ? unixTime.Value : Now);
            Interop.Check(rc);
        }

        /// <summary>
        /// Brings the previous license back (validated first); the current
        /// one becomes the backup, so a restore can be undone. A null
        /// <paramref name="serialNumber"/> is the store's
        /// <see cref="SerialNumber"/>. Throws LicensingException: NoBackup
        /// when there is none, or why the backup is not valid. Returns the
        /// restored license (dispose it).
        /// </summary>
        public License Restore(Validator validator, string serialNumber = null, long? unixTime = null)
        {
            if (validator == null)
            {
                throw new ArgumentNullException("validator");
            }
            StoreHandle h = Handle;
            byte[] serial = Interop.ToUtf8Z(serialNumber, "serialNumber");
            IntPtr raw;
            uint rc = NativeMethods.lic_store_restore(
                h, validator.Handle, serial, unixTime.HasValue ? unixTime.Value : Now, out raw);
            Interop.Check(rc);
            return new License(new LicenseHandle(raw));
        }

        /// <summary>
        /// The license <see cref="Restore"/> would bring back (the one the
        /// last install or restore replaced), validated, without changing
        /// anything: for an administrator to see before restoring. Null
        /// when there is no backup (an ordinary answer, not an error).
        /// Throws LicensingException with why the backup is not valid here
        /// (e.g. Expired, WrongSerial). A null <paramref name="serialNumber"/>
        /// is the store's <see cref="SerialNumber"/>. Returns the backup
        /// (dispose it).
        /// </summary>
        public License Backup(Validator validator, string serialNumber = null, long? unixTime = null)
        {
            if (validator == null)
            {
                throw new ArgumentNullException("validator");
            }
            StoreHandle h = Handle;
            byte[] serial = Interop.ToUtf8Z(serialNumber, "serialNumber");
            IntPtr raw;
            uint rc = NativeMethods.lic_store_backup(
                h, validator.Handle, serial, unixTime.HasValue ? unixTime.Value : Now, out raw);
            if (rc == (uint)ResultCode.NoBackup)
            {
                return null;
            }
            Interop.Check(rc);
            return new License(new LicenseHandle(raw));
        }

        /// <summary>
        /// The environment's licensing status (<paramref name="serialNumber"/>;
        /// null: the store's <see cref="SerialNumber"/>) at
        /// <paramref name="unixTime"/> (null: now, the host's clock),
        /// given the host's usage figures by limit name
        /// (<paramref name="usage"/>; null: none). Starts the 30-day trial on
        /// the first call without a license and records the clock; a store
        /// this process may only read answers with a warning that the status
        /// was not recorded. Dispose the status. To see the status at another
        /// time without recording anything: <see cref="PreviewStatus"/>.
        /// </summary>
        public Status Status(Validator validator, string serialNumber = null, long? unixTime = null, IDictionary<string, ulong> usage = null)
        {
            return Judge(validator, serialNumber, unixTime.HasValue ? unixTime.Value : Now, usage, false);
        }

        /// <summary>
        /// What <see cref="Status"/> would say at <paramref name="unixTime"/>,
        /// a time of the caller's choosing (to show what expiry or the
        /// trial's end will look like), recording nothing: no trial is
        /// started (a store whose trial has not started shows it as starting
        /// then), the latest time the store has seen stays, no file is
        /// written. Arguments as <see cref="Status"/>'s, the time required.
        /// Dispose the status.
        /// </summary>
        public Status PreviewStatus(Validator validator, string serialNumber, long unixTime, IDictionary<string, ulong> usage = null)
        {
            return Judge(validator, serialNumber, unixTime, usage, true);
        }

        /// <summary>The body of Status and PreviewStatus: lic_store_status or lic_store_preview_status.</summary>
        private Status Judge(Validator validator, string serialNumber, long time, IDictionary<string, ulong> usage, bool preview)
        {
            if (validator == null)
            {
                throw new ArgumentNullException("validator");
            }
            StoreHandle h = Handle;
            ValidatorHandle v = validator.Handle;
            byte[] serial = Interop.ToUtf8Z(serialNumber, "serialNumber");

            NativeMethods.UsageEntry[] entries = null;
            int filled = 0;
            try
            {
                if (usage != null && usage.Count > 0)
                {
                    // Encode every name first, so a bad name throws before
                    // anything is allocated.
                    var names = new List<KeyValuePair<byte[], ulong>>(usage.Count);
                    foreach (KeyValuePair<string, ulong> figure in usage)
                    {
                        if (figure.Key == null)
                        {
                            throw new ArgumentException("a usage figure has a null limit name", "usage");
                        }
                        names.Add(new KeyValuePair<byte[], ulong>(Interop.ToUtf8Z(figure.Key, "usage"), figure.Value));
                    }
                    entries = new NativeMethods.UsageEntry[names.Count];
                    for (; filled < names.Count; filled++)
                    {
                        byte[] name = names[filled].Key;
                        IntPtr p = Marshal.AllocHGlobal(name.Length);
                        Marshal.Copy(name, 0, p, name.Length);
                        entries[filled].Limit = p;
                        entries[filled].Usage = names[filled].Value;
                    }
                }
                IntPtr raw;
                // The blittable array is pinned for the call; NULL with 0 when empty.
                var count = (UIntPtr)(entries == null ? 0 : entries.Length);
                uint rc = preview
                    ? NativeMethods.lic_store_preview_status(h, v, serial, time, entries, count, out raw)
                    : NativeMethods.lic_store_status(h, v, serial, time, entries, count, out raw);
                Interop.Check(rc);
                return new Status(new StatusHandle(raw));
            }
            finally
            {
                for (int i = 0; i < filled; i++)
                {
                    Marshal.FreeHGlobal(entries[i].Limit);
                }
            }
        }

        private StoreHandle Handle
        {
            get
            {
                if (handle.IsClosed)
                {
                    throw new ObjectDisposedException("Store");
                }
                return handle;
            }
        }

        /// <summary>Frees the native store (the files stay). Safe to call more than once.</summary>
        public void Dispose()
        {
            handle.Dispose();
            // An anchored store's callbacks live at least until the native store is freed.
            GC.KeepAlive(anchor);
        }
    }
}
