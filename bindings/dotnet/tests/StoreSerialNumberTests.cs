// Store.SerialNumber (lic_store_serial_number): the environment's serial as
// the store keeps it through its fingerprint record, over a hardware tree
// made here (LICENSING_HARDWARE_ROOT), and the store's methods given no
// serial number use it.
using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Licensing.Tests
{
    [TestFixture]
    public class StoreSerialNumberTests
    {
        // vectors.json's serial_derivation_v1: the machine id "dev-box-0001" alone.
        private const string DevSerial = "3X1-FVY-JST-HJK-ED3-EZR-GB4-HV6";
        private const string DevMachineId = "dev-box-0001";

        private string work;
        private string hardware;
        private string dir;
        private Validator validator;

        [SetUp]
        public void SetUp()
        {
            work = Path.Combine(Path.GetTempPath(), "licensing-dotnet-serial-" + Guid.NewGuid().ToString("N"));
            hardware = Path.Combine(work, "host");
            dir = Path.Combine(work, "store");
            validator = Fixtures.TestValidator();
        }

        [TearDown]
        public void TearDown()
        {
            validator.Dispose();
            if (Directory.Exists(work))
            {
                Directory.Delete(work, true);
            }
        }

        private void WriteHardware(string relative, string value)
        {
            string path = Path.Combine(hardware, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.WriteAllText(path, value + "\n");
        }

        /// <summary>A physical Ethernet card with a permanent address, as read_linux counts one.</summary>
        private void AddNetworkCard(string name, string mac)
        {
            WriteHardware("sys/class/net/" + name + "/address", mac);
            WriteHardware("sys/class/net/" + name + "/type", "1");
            WriteHardware("sys/class/net/" + name + "/addr_assign_type", "0");
            Directory.CreateDirectory(Path.Combine(hardware, "sys/class/net/" + name + "/device"));
        }

        /// <summary>The hardware below the tree made here, nothing pinned.</summary>
        private EnvironmentScope OnTheHardwareMadeHere()
        {
            return new EnvironmentScope(
                "LICENSING_IDENTITY", null,
                "LICENSING_IDENTITY_FILE", null,
                "LICENSING_HARDWARE_ROOT", hardware);
        }

        private static long DevNow
        {
            get { return VectorCheck.All().First(c => c.File == "dev-never-expires.lic" && c.ExpectedError == null).Now; }
        }

        [Test]
        public void TheStoreKeepsItsSerialWhenACardIsAdded()
        {
            WriteHardware("etc/machine-id", DevMachineId);
            using (OnTheHardwareMadeHere())
            {
                Assert.AreEqual(DevSerial, LicensingLibrary.SerialNumberThisMachine(),
                    "the serial of the machine id " + DevMachineId + " alone (vectors.json)");
                using (var store = Store.Create(dir))
                {
                    Assert.AreEqual(DevSerial, store.SerialNumber);
                    // No serial given: the store's.
                    using (var dev = store.Install(validator, Fixtures.Bytes("dev-never-expires.lic"), null, DevNow))
                    {
                        Assert.AreEqual(DevSerial, dev.SerialNumber);
                    }
                }
                Assert.IsTrue(File.Exists(Path.Combine(dir, "fingerprint.json")), "the store records the fingerprint");

                AddNetworkCard("eth0", "02:fc:00:00:00:07");
                string now = LicensingLibrary.SerialNumberThisMachine();
                Assert.AreNotEqual(DevSerial, now, "the hardware's serial as it is now changes with a new card");

                // A new handle reads the hardware again: the recorded component is still there.
                using (var store = Store.Open(dir))
                {
                    Assert.AreEqual(DevSerial, store.SerialNumber, "the store keeps the serial through the added card");
                    using (var status = store.Status(validator, null, DevNow))
                    {
                        Assert.AreEqual(Standing.Active, status.Standing, string.Join(" | ", status.Warnings));
                        Assert.AreEqual(DevSerial, status.License.SerialNumber);
                        Assert.IsNull(status.DaysLeft, "dev-never-expires.lic never expires");
                    }
                    // Validating for this machine's serial as it is now fails: the store is what keeps it.
                    var e = Assert.Throws<LicensingException>(() =>
                        validator.Validate(Fixtures.Bytes("dev-never-expires.lic"), null, null, DevNow).Dispose());
                    Assert.AreEqual(ResultCode.WrongSerial, e.Code, e.Message);
                }

                // A store without the record takes the hardware's serial as it is now.
                using (var fresh = Store.Create(Path.Combine(work, "fresh-store")))
                {
                    Assert.AreEqual(now, fresh.SerialNumber);
                }
            }
        }

        [Test]
        public void WithoutAnIdentityTheStoreSaysSo()
        {
            // An empty hardware tree: nothing stable to read, nothing pinned.
            Directory.CreateDirectory(hardware);
            using (OnTheHardwareMadeHere())
            using (var store = Store.Create(dir))
            {
                var e = Assert.Throws<LicensingException>(() => { var s = store.SerialNumber; });
                Assert.AreEqual(ResultCode.NoHardwareIdentity, e.Code, e.Message);
                StringAssert.Contains("LICENSING_IDENTITY", e.Message, "says how to pin an identity");
                Assert.IsTrue(e.Code.IsEnvironment());
                var status = Assert.Throws<LicensingException>(() => store.Status(validator, null, DevNow).Dispose());
                Assert.AreEqual(ResultCode.NoHardwareIdentity, status.Code, "Status with no serial uses the store's");
            }
        }

        [Test]
        public void ADisposedStoreHasNoSerialNumber()
        {
            var store = Store.Create(dir);
            store.Dispose();
            Assert.Throws<ObjectDisposedException>(() => { var s = store.SerialNumber; });
        }
    }
}
