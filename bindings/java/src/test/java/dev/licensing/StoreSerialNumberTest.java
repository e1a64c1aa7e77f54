package dev.licensing;

import static dev.licensing.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store.serialNumber(): the environment's serial as the store keeps it through hardware changes. */
class StoreSerialNumberTest {
    private static final Pattern SERIAL = Pattern.compile("[0-9A-Z]{3}(-[0-9A-Z]{3}){7}");

    @Test
    void aNewStoreGivesThisMachinesSerialAndRecordsItsFingerprint(@TempDir Path dir) {
        try (Store store = Store.create(dir)) {
            String machine;
            try {
                machine = LicensingLibrary.serialNumberThisMachine();
            } catch (LicensingException e) {
                // No identity here (a bare container): the store cannot make one up either.
                assertEquals(ResultCode.NO_HARDWARE_IDENTITY, e.code(), e.getMessage());
                assertEquals(ResultCode.NO_HARDWARE_IDENTITY,
                        assertThrows(LicensingException.class, store::serialNumber).code());
                return;
            }
            assertEquals(machine, store.serialNumber());
            assertTrue(Files.isRegularFile(dir.resolve("fingerprint.json")),
                    "the store keeps the environment's fingerprint record in fingerprint.json");
            try (Store again = Store.open(dir)) {
                assertEquals(machine, again.serialNumber());
            }
        }
    }

    @Test
    void callsGivenNoSerialUseTheStoresSerial(@TempDir Path dir) {
        try (Store store = Store.create(dir); Validator validator = Fixtures.testValidator()) {
            String serial;
            try {
                serial = store.serialNumber();
            } catch (LicensingException e) {
                assertEquals(ResultCode.NO_HARDWARE_IDENTITY, e.code(), e.getMessage());
                return;
            }
            if (serial.equals(Fixtures.SERIAL)) {
                // This machine is the fixtures' environment: prod.lic installs with no serial given.
                store.install(validator, Fixtures.bytes("prod.lic"), null, NOW, false).close();
                return;
            }
            LicensingException e = assertThrows(LicensingException.class,
                    () -> store.install(validator, Fixtures.bytes("prod.lic"), null, NOW, false));
            assertEquals(ResultCode.WRONG_SERIAL, e.code(), e.getMessage());
            assertTrue(e.detail().contains(serial), "the refusal should name the store's serial " + serial + ": "
                    + e.detail());
        }
    }

    /** A machine's hardware as read below LICENSING_HARDWARE_ROOT: a machine id and two DMI identifiers. */
    private static Path hardware(Path root, String boardSerial) throws IOException {
        write(root.resolve("etc/machine-id"), "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        write(root.resolve("sys/class/dmi/id/product_uuid"), "4C4C4544-0042-3510-8052-B4C04F4A4E32\n");
        write(root.resolve("sys/class/dmi/id/board_serial"), boardSerial + "\n");
        return root;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** The store's and this machine's serial, read by a new JVM on the hardware below {@code root}. */
    private static String[] serials(Path root, Path storeDir) {
        ForkedJvm.Result r = ForkedJvm.run(List.of(), Map.of(
                "LICENSING_LIBRARY", Fixtures.library().toString(),
                "LICENSING_HARDWARE_ROOT", root.toString(),
                // Blank counts as unset: the hardware decides, not a pinned identity of this machine.
                "LICENSING_IDENTITY", "", "LICENSING_IDENTITY_FILE", ""),
                "serials", storeDir.toString());
        Matcher m = Pattern.compile("store serial: (\\S+)\nmachine serial: (\\S+)\n").matcher(r.out);
        assertTrue(m.find(), "expected the store's and the machine's serial from the probe; got:\n" + r);
        assertTrue(SERIAL.matcher(m.group(1)).matches(), m.group(1));
        return new String[] {m.group(1), m.group(2)};
    }

    @Test
    void theStoreKeepsItsSerialWhenOneOfThreeComponentsChanges(@TempDir Path tmp) throws IOException {
        Path root = hardware(tmp.resolve("hardware"), "PF2ABC");
        Path storeDir = tmp.resolve("store");
        String[] before = serials(root, storeDir);
        assertEquals(before[1], before[0], "a new store records and gives the machine's serial");

        hardware(root, "PF2XYZ"); // A new mainboard: 2 of the 3 recorded components still match.
        String[] after = serials(root, storeDir);
        assertNotEquals(before[1], after[1], "the hardware's serial as it is now changes with the board");
        assertEquals(before[0], after[0], "the store keeps the serial its licenses are bound to");

        // A store without the record has only the hardware as it is now.
        String[] fresh = serials(root, tmp.resolve("another-store"));
        assertEquals(after[1], fresh[0]);
    }
}
