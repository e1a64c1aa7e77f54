package dev.licensing;

import java.nio.file.Paths;

/**
 * The main class of the JVMs {@link ForkedJvm} starts: runs its commands in
 * order, in a fresh process, and prints one line per result for the test to
 * read. A command that throws prints the exception and the next one still
 * runs (so a test can show what a later call does after a failure).
 *
 * <pre>
 *   load PATH         LicensingLibrary.load(Path.of(PATH))  -> "load: ok"
 *   version           LicensingLibrary.version()            -> "version: 0.1.0"
 *   serials STORE_DIR the store's (created when missing) and this machine's serial
 *                     -> "store serial: ..." and "machine serial: ..."
 * </pre>
 */
final class Probe {
    private Probe() {}

    public static void main(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String command = args[i];
            try {
                switch (command) {
                    case "load":
                        LicensingLibrary.load(Paths.get(args[++i]));
                        System.out.println("load: ok");
                        break;
                    case "version":
                        System.out.println("version: " + LicensingLibrary.version());
                        break;
                    case "serials":
                        // Creates the store on the first run (a fresh directory), opens it after.
                        try (Store store = Store.create(Paths.get(args[++i]))) {
                            System.out.println("store serial: " + store.serialNumber());
                        }
                        System.out.println("machine serial: " + LicensingLibrary.serialNumberThisMachine());
                        break;
                    default:
                        throw new IllegalArgumentException("Probe: unknown command '" + command + "'");
                }
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                System.out.println(command + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        System.out.flush();
    }
}
