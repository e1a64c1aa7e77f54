// Helpers shared by the wrapper: UTF-8 marshalling by hand (so it behaves
// the same on Mono and modern .NET), the string-getter protocol, and turning
// a lic_result into a LicensingException. Loading the library: Loader.cs.
using System;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Licensing
{
    /// <summary>
    /// The NUL-terminated UTF-8 of the last string given, kept for the next
    /// call with an equal string: a validator validating the same serial
    /// number and activation code again encodes them once. Thread-safe (the
    /// pair is replaced whole); the bytes are only ever read (passed as
    /// const char* to the library).
    /// </summary>
    internal sealed class Utf8ZMemo
    {
        private sealed class Entry
        {
            internal readonly string Text;
            internal readonly byte[] Bytes;

            internal Entry(string text, byte[] bytes)
            {
                Text = text;
                Bytes = bytes;
            }
        }

        private Entry last;

        /// <summary>As Interop.ToUtf8Z (null stays null; a NUL or a lone surrogate throws ArgumentException).</summary>
        internal byte[] Get(string text, string parameterName)
        {
            if (text == null)
            {
                return null;
            }
            Entry e = Volatile.Read(ref last);
            if (e != null && string.Equals(e.Text, text))
            {
                return e.Bytes;
            }
            byte[] z = Interop.ToUtf8Z(text, parameterName);
            Volatile.Write(ref last, new Entry(text, z));
            return z;
        }
    }

    internal static class Interop
    {
        internal const uint Ok = 0;
        internal const uint BufferTooSmall = 3;

        /// <summary>The first buffer size tried by ReadString (tests lower it to force the retry).</summary>
        internal static int InitialStringBuffer = 64;

        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false, true);

        /// <summary>A NUL-terminated UTF-8 copy of <paramref name="s"/>; null stays null.</summary>
        internal static byte[] ToUtf8Z(string s, string parameterName)
        {
            if (s == null)
            {
                return null;
            }
            if (s.IndexOf('\0') >= 0)
            {
                throw new ArgumentException("the string contains a NUL character", parameterName);
            }
            byte[] bytes;
            try
            {
                bytes = Utf8.GetBytes(s);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException("the string is not valid Unicode (lone surrogate)", parameterName, e);
            }
            byte[] z = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, z, 0, bytes.Length);
            return z;
        }

        /// <summary>
        /// A count of days from the C ABI as the int the API gives; it fits
        /// for any date a license can hold (year 9999 is 3 million days
        /// away), so the clamp is only against a broken library.
        /// </summary>
        internal static int DaysAsInt(uint days)
        {
            return days > int.MaxValue ? int.MaxValue : (int)days;
        }

        /// <summary>
        /// The answer of a *_days_left call: null for NeverExpires, the days
        /// otherwise; any other failure throws.
        /// </summary>
        internal static int? DaysLeft(uint rc, uint days)
        {
            if (rc == (uint)ResultCode.NeverExpires)
            {
                return null;
            }
            Check(rc);
            return DaysAsInt(days);
        }

        internal static string FromUtf8(byte[] buf, int length)
        {
            return Utf8.GetString(buf, 0, length);
        }

        /// <summary>A NUL-terminated UTF-8 string at <paramref name="p"/>.</summary>
        internal static string FromUtf8Z(IntPtr p)
        {
            if (p == IntPtr.Zero)
            {
                return null;
            }
            int length = 0;
            while (Marshal.ReadByte(p, length) != 0)
            {
                length++;
            }
            byte[] bytes = new byte[length];
            Marshal.Copy(p, bytes, 0, length);
            return FromUtf8(bytes, length);
        }

        /// <summary>
        /// Runs a string getter: on LIC_BUFFER_TOO_SMALL, calls again with
        /// written + 1 bytes. Throws LicensingException on any other failure.
        /// </summary>
        internal static string ReadString(NativeMethods.StringGetter getter)
        {
            byte[] buf = new byte[InitialStringBuffer];
            for (int attempt = 0; attempt < 8; attempt++)
            {
                UIntPtr written;
                uint rc = getter(buf, (UIntPtr)buf.Length, out written);
                ulong n = written.ToUInt64();
                if (rc == Ok)
                {
                    if (n >= (ulong)buf.Length)
                    {
                        throw new InvalidOperationException(
                            "licensing: a string getter reported " + n + " bytes written into a " + buf.Length + "-byte buffer");
                    }
                    return FromUtf8(buf, (int)n);
                }
                if (rc == BufferTooSmall)
                {
                    buf = new byte[checked((int)n + 1)];
                    continue;
                }
                throw Failure(rc);
            }
            throw new InvalidOperationException("licensing: a string getter kept answering LIC_BUFFER_TOO_SMALL");
        }

        /// <summary>Throws LicensingException unless <paramref name="rc"/> is LIC_OK.</summary>
        internal static void Check(uint rc)
        {
            if (rc != Ok)
            {
                throw Failure(rc);
            }
        }

        /// <summary>
        /// The exception for a failed call. Must run on the failing call's
        /// thread right after it: the message is that thread's last error.
        /// </summary>
        internal static LicensingException Failure(uint rc)
        {
            string message = LastErrorMessage();
            if (string.IsNullOrEmpty(message))
            {
                message = ResultMessage(rc);
            }
            return new LicensingException((ResultCode)rc, message);
        }

        internal static string LastErrorMessage()
        {
            byte[] buf = new byte[512];
            for (int attempt = 0; attempt < 8; attempt++)
            {
                UIntPtr written;
                uint rc = NativeMethods.lic_last_error_message(buf, (UIntPtr)buf.Length, out written);
                ulong n = written.ToUInt64();
                if (rc == Ok && n < (ulong)buf.Length)
                {
                    return FromUtf8(buf, (int)n);
                }
                if (rc != BufferTooSmall)
                {
                    return "";
                }
                buf = new byte[checked((int)n + 1)];
            }
            return "";
        }

        internal static string ResultMessage(uint rc)
        {
            byte[] buf = new byte[128];
            for (int attempt = 0; attempt < 8; attempt++)
            {
                ulong n = NativeMethods.lic_result_message(rc, buf, (UIntPtr)buf.Length).ToUInt64();
                if (n < (ulong)buf.Length)
                {
                    return FromUtf8(buf, (int)n);
                }
                buf = new byte[checked((int)n + 1)];
            }
            return "";
        }
    }
}
