using System;

namespace Licensing
{
    /// <summary>
    /// A failed call of the licensing library: <see cref="Code"/> says which
    /// failure (and, through <see cref="ResultCodeExtensions"/>, of what kind:
    /// <c>e.Code.IsLicenseInvalid()</c>, <c>IsMisuse()</c>,
    /// <c>IsEnvironment()</c>), <see cref="Exception.Message"/> says it in
    /// words (the library's last error message of the failing thread).
    /// </summary>
    [Serializable]
    public class LicensingException : Exception
    {
        /// <summary>Which failure.</summary>
        public ResultCode Code { get; private set; }

        public LicensingException(ResultCode code, string message)
            : base(message)
        {
            Code = code;
        }
    }
}
