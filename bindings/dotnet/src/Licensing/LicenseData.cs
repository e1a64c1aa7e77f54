// What a License answers its lookups from: its features and limits, read
// once from the native license into .NET collections, and kept by the
// license's verification number (lic_license_verification_id) so that every
// License of the same verification (the same bytes validated again by the
// same validator, answered from its cache of verified files) shares them.
// The licensing rules stay in the library: a limit is kept as the bounds it
// gives (lic_license_limit_bounds_at: the value, near_from and the
// enforcement), and CheckUsage only compares a usage with them.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Licensing
{
    /// <summary>
    /// One limit as lic_license_limit_bounds_at gives it: over the limit
    /// (<see cref="Over"/>, by the enforcement) when usage &gt; Value, else
    /// near when usage &gt;= NearFrom, else within.
    /// </summary>
    internal struct LimitBounds
    {
        internal readonly ulong Value;
        internal readonly ulong NearFrom;
        internal readonly Enforcement Enforcement;
        /// <summary>The level of a usage over the value: OverHardLimit or OverSoftLimit, by the enforcement.</summary>
        internal readonly Usage Over;

        internal LimitBounds(ulong value, ulong nearFrom, Enforcement enforcement, Usage over)
        {
            Value = value;
            NearFrom = nearFrom;
            Enforcement = enforcement;
            Over = over;
        }
    }

    /// <summary>
    /// The features and limits of one verified license, immutable once
    /// built: safe to share between threads and Licenses.
    /// </summary>
    internal sealed class LicenseData
    {
        internal readonly ulong VerificationId;
        internal readonly HashSet<string> FeatureSet;
        internal readonly Dictionary<string, LimitBounds> Bounds;
        /// <summary>The features in the library's (sorted) order, read-only.</summary>
        internal readonly ReadOnlyCollection<string> Features;
        /// <summary>The limits' values by name, in the library's order, read-only.</summary>
        internal readonly ReadOnlyDictionary<string, ulong> Limits;

        private LicenseData(ulong verificationId, string[] features, string[] limitNames, LimitBounds[] bounds)
        {
            VerificationId = verificationId;
            FeatureSet = new HashSet<string>(features, StringComparer.Ordinal);
            Features = new ReadOnlyCollection<string>(features);
            Bounds = new Dictionary<string, LimitBounds>(limitNames.Length, StringComparer.Ordinal);
            var values = new Dictionary<string, ulong>(limitNames.Length, StringComparer.Ordinal);
            for (int i = 0; i < limitNames.Length; i++)
            {
                Bounds.Add(limitNames[i], bounds[i]);
                values.Add(limitNames[i], bounds[i].Value);
            }
            Limits = new ReadOnlyDictionary<string, ulong>(values);
        }

        /// <summary>
        /// The data of the license behind <paramref name="handle"/>: from the
        /// cache when a License of the same verification read it already,
        /// else read now (and cached).
        /// </summary>
        internal static LicenseData Of(LicenseHandle handle)
        {
            ulong id;
            Interop.Check(NativeMethods.lic_license_verification_id(handle, out id));
            LicenseData data = LicenseDataCache.Find(id);
            if (data != null)
            {
                return data;
            }
            return LicenseDataCache.Add(Read(handle, id));
        }

        /// <summary>Reads the features and the limits' bounds from the native license.</summary>
        private static LicenseData Read(LicenseHandle h, ulong id)
        {
            UIntPtr count;
            Interop.Check(NativeMethods.lic_license_feature_count(h, out count));
            var features = new string[checked((int)count.ToUInt64())];
            for (int i = 0; i < features.Length; i++)
            {
                UIntPtr index = (UIntPtr)i;
                features[i] = Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) =>
                    NativeMethods.lic_license_feature_at(h, index, b, l, out w));
            }
            Interop.Check(NativeMethods.lic_license_limit_count(h, out count));
            var names = new string[checked((int)count.ToUInt64())];
            var bounds = new LimitBounds[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                UIntPtr index = (UIntPtr)i;
                names[i] = Interop.ReadString((byte[] b, UIntPtr l, out UIntPtr w) =>
                    NativeMethods.lic_license_limit_at(h, index, b, l, out w));
                ulong value, nearFrom;
                uint enforcement;
                Interop.Check(NativeMethods.lic_license_limit_bounds_at(h, index, out value, out nearFrom, out enforcement));
                bounds[i] = new LimitBounds(value, nearFrom, (Enforcement)enforcement, OverLevel(enforcement));
            }
            return new LicenseData(id, features, names, bounds);
        }

        /// <summary>The level of a usage over a limit of this enforcement (the C ABI's mapping).</summary>
        private static Usage OverLevel(uint enforcement)
        {
            switch ((Enforcement)enforcement)
            {
                case Enforcement.Hard: return Usage.OverHardLimit;
                case Enforcement.Soft: return Usage.OverSoftLimit;
                default:
                    throw new InvalidOperationException(
                        "licensing: the library gave a limit an enforcement this binding does not know (" + enforcement +
                        "): use the Licensing.dll built with this library");
            }
        }
    }

    /// <summary>
    /// The process's cache of <see cref="LicenseData"/> by verification
    /// number (unique in the process, never reused, so a number names one
    /// verified file whichever validator made it). Bounded: at most
    /// <see cref="Capacity"/> verifications, the oldest added dropped first
    /// (a License keeps its own data, so dropping only means the next
    /// License of that verification reads it again). Readers take no lock:
    /// the map is replaced whole (copy on write) under a lock, and a
    /// published map is never changed.
    /// </summary>
    internal static class LicenseDataCache
    {
        internal const int Capacity = 64;

        private static readonly object Gate = new object();
        private static volatile Dictionary<ulong, LicenseData> map = new Dictionary<ulong, LicenseData>();
        private static readonly Queue<ulong> Order = new Queue<ulong>();

        internal static LicenseData Find(ulong verificationId)
        {
            LicenseData data;
            return map.TryGetValue(verificationId, out data) ? data : null;
        }

        /// <summary>Adds the data (unless another thread did first) and returns what the cache holds for its number.</summary>
        internal static LicenseData Add(LicenseData data)
        {
            lock (Gate)
            {
                LicenseData existing;
                if (map.TryGetValue(data.VerificationId, out existing))
                {
                    return existing;
                }
                var next = new Dictionary<ulong, LicenseData>(map);
                while (Order.Count >= Capacity)
                {
                    next.Remove(Order.Dequeue());
                }
                next.Add(data.VerificationId, data);
                Order.Enqueue(data.VerificationId);
                map = next;
                return data;
            }
        }

        /// <summary>How many verifications the cache holds (for the tests).</summary>
        internal static int Count
        {
            get { return map.Count; }
        }
    }
}
