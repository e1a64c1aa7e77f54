// An anchor kept by the host (lic_store_with_anchor): the store remembers
// what it must outlive its own directory (that this environment's trial
// started, the latest time seen) through the host's IAnchor, for example a
// table of the platform's own database, instead of LICENSING_ANCHOR_DIR or
// the default directory.
using System;
using System.Runtime.InteropServices;

namespace Licensing
{
    /// <summary>
    /// Where a store keeps its anchor, in the host's hands (see
    /// <see cref="Store.WithAnchor"/>): a few small byte arrays (at most
    /// 1024 bytes each) under keys that are short hex strings. Called from
    /// whichever thread uses the store, so an implementation must be safe
    /// to call from several threads at once. A failure (an exception, or
    /// too many bytes from <see cref="Load"/>) never stops the store: the
    /// anchor then proves nothing, and the store detects less.
    /// </summary>
    public interface IAnchor
    {
        /// <summary>
        /// The bytes last saved under <paramref name="key"/>; null when
        /// nothing was ever saved under it. Throw when they cannot be read.
        /// </summary>
        byte[] Load(string key);

        /// <summary>
        /// Keeps <paramref name="data"/> under <paramref name="key"/>,
        /// replacing what was there. Throw when it cannot be kept.
        /// </summary>
        void Save(string key, byte[] data);
    }

    /// <summary>
    /// The native callbacks (lic_anchor_load_fn, lic_anchor_save_fn) over
    /// an <see cref="IAnchor"/>. The delegates must live as long as the
    /// native store that calls them: the StoreHandle and the Store made by
    /// Store.WithAnchor hold this object. No exception leaves a callback
    /// (it would unwind through Rust): Load answers LIC_ANCHOR_FAILED and
    /// Save nonzero instead.
    /// </summary>
    internal sealed class AnchorCallbacks
    {
        private readonly IAnchor anchor;
        internal readonly NativeMethods.AnchorLoadFn LoadFn;
        internal readonly NativeMethods.AnchorSaveFn SaveFn;

        internal AnchorCallbacks(IAnchor anchor)
        {
            this.anchor = anchor;
            LoadFn = Load;
            SaveFn = Save;
        }

        private int Load(IntPtr context, IntPtr key, IntPtr buf, UIntPtr len, IntPtr written)
        {
            try
            {
                if (key == IntPtr.Zero || buf == IntPtr.Zero || written == IntPtr.Zero)
                {
                    return NativeMethods.AnchorFailed;
                }
                byte[] data = anchor.Load(Interop.FromUtf8Z(key));
                if (data == null)
                {
                    return NativeMethods.AnchorNotFound;
                }
                if ((ulong)data.Length > len.ToUInt64())
                {
                    // Nothing is copied past the buffer: the anchor proves nothing.
                    return NativeMethods.AnchorFailed;
                }
                Marshal.Copy(data, 0, buf, data.Length);
                Marshal.WriteIntPtr(written, new IntPtr(data.Length)); // size_t
                return NativeMethods.AnchorFound;
            }
            catch (Exception)
            {
                return NativeMethods.AnchorFailed;
            }
        }

        private int Save(IntPtr context, IntPtr key, IntPtr bytes, UIntPtr len)
        {
            try
            {
                ulong n = len.ToUInt64();
                if (key == IntPtr.Zero || (bytes == IntPtr.Zero && n > 0) || n > int.MaxValue)
                {
                    return 1;
                }
                byte[] data = new byte[(int)n];
                if (n > 0)
                {
                    Marshal.Copy(bytes, data, 0, (int)n);
                }
                anchor.Save(Interop.FromUtf8Z(key), data);
                return 0;
            }
            catch (Exception)
            {
                return 1;
            }
        }
    }
}
