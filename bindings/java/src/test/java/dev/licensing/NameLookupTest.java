package dev.licensing;

import static dev.licensing.Fixtures.CODE;
import static dev.licensing.Fixtures.NOW;
import static dev.licensing.Fixtures.SERIAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.licensing.NativeMethods.SizeT;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link License#hasFeature} and {@link License#checkUsage} (answered from
 * what the binding read once) give the answers of
 * {@code lic_license_has_feature_n} / {@code lic_license_check_usage_n}
 * (pointer + length), which are the NUL-terminated functions' for ordinary
 * names; names no license can hold (a NUL, an unpaired surrogate, the empty
 * name) are absent.
 */
class NameLookupTest {
    private static final long[] USAGES = {0, 1, 22, 23, 26, 89, 90, 100, 101, 404, 405, 450, 451, 500, 9_000,
        10_000, 10_001, 999_999, 1_000_000, 1_000_001, Long.MAX_VALUE};

    private static NativeMethods lib;
    private static Validator validator;
    private static License prod;
    /** A second, raw handle on prod.lic, to call the C functions directly. */
    private static Pointer rawValidator;
    private static Pointer raw;

    @BeforeAll
    static void open() {
        validator = Fixtures.testValidator();
        prod = validator.validate(Fixtures.bytes("prod.lic"), SERIAL, CODE, NOW);
        lib = NativeLoader.library();
        byte[] pem = Fixtures.testKey().getBytes(StandardCharsets.UTF_8);
        PointerByReference out = new PointerByReference();
        assertEquals(0, lib.lic_validator_new(NativeStrings.bytes(pem), new SizeT(pem.length), out));
        rawValidator = out.getValue();
        byte[] file = Fixtures.bytes("prod.lic");
        assertEquals(0, lib.lic_validator_validate(rawValidator, NativeStrings.bytes(file), new SizeT(file.length),
                NativeStrings.cString(SERIAL, "serial"), NativeStrings.cString(CODE, "code"), NOW, out));
        raw = out.getValue();
    }

    @AfterAll
    static void close() {
        lib.lic_license_free(raw);
        lib.lic_validator_free(rawValidator);
        prod.close();
        validator.close();
    }

    /** Present names, near misses and other absent names, all without NUL and valid Unicode. */
    private static List<String> ordinaryNames() {
        List<String> names = new ArrayList<>();
        for (String n : prod.features()) {
            names.add(n);
            names.add(n + "x");
            names.add(n.substring(0, n.length() - 1));
            names.add(n.toUpperCase(java.util.Locale.ROOT));
            names.add(" " + n);
        }
        for (String n : prod.limits().keySet()) {
            names.add(n);
            names.add(n + "-");
            names.add(n.substring(1));
        }
        names.addAll(List.of("sso", "tenant", "no-such-limit", "sso-saml\u00e9", "t\u00ebnants",
                "\ud83d\ude00", "sso-saml\ud83d\ude00", "?", "sso-saml?", "x".repeat(10_000)));
        return names;
    }

    private static boolean cHasFeature(String name) {
        return lib.lic_license_has_feature(raw, NativeStrings.cString(name, "name")) != 0;
    }

    private static boolean nHasFeature(byte[] name, long len) {
        return lib.lic_license_has_feature_n(raw, name, new SizeT(len)) != 0;
    }

    private static Usage cCheckUsage(String name, long usage) {
        IntByReference out = new IntByReference();
        assertEquals(0, lib.lic_license_check_usage(raw, NativeStrings.cString(name, "name"), usage, out));
        return Usage.of(out.getValue());
    }

    /** The result code of lic_license_check_usage_n, and the level in {@code out}. */
    private static int nCheckUsage(byte[] name, long len, long usage, IntByReference out) {
        return lib.lic_license_check_usage_n(raw, name, new SizeT(len), usage, out);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hasFeatureAnswersAsTheCStringFunction() {
        int present = 0;
        for (String name : ordinaryNames()) {
            boolean expected = cHasFeature(name);
            present += expected ? 1 : 0;
            byte[] bytes = utf8(name);
            assertEquals(expected, nHasFeature(bytes, bytes.length), name);
            assertEquals(expected, prod.hasFeature(name), name);
            assertEquals(prod.features().contains(name), prod.hasFeature(name), name);
        }
        assertEquals(prod.features().size(), present);
    }

    @Test
    void checkUsageAnswersAsTheCStringFunction() {
        int limited = 0;
        for (String name : ordinaryNames()) {
            for (long usage : USAGES) {
                Usage expected = cCheckUsage(name, usage);
                limited += expected == Usage.UNLIMITED ? 0 : 1;
                byte[] bytes = utf8(name);
                IntByReference out = new IntByReference(-1);
                assertEquals(0, nCheckUsage(bytes, bytes.length, usage, out), name);
                assertEquals(expected, Usage.of(out.getValue()), name + " " + usage);
                assertEquals(expected, prod.checkUsage(name, usage), name + " " + usage);
                assertEquals(prod.limits().containsKey(name), expected != Usage.UNLIMITED, name);
            }
        }
        assertEquals(prod.limits().size() * USAGES.length, limited);
        // The known levels, through the _n path.
        assertEquals(Usage.NEAR, prod.checkUsage("tenants", 23));
        assertEquals(Usage.OVER_HARD_LIMIT, prod.checkUsage("application-objects", 451));
        assertEquals(Usage.OVER_SOFT_LIMIT, prod.checkUsage("internal-users", 101));
        assertEquals(Usage.WITHIN, prod.checkUsage("internal-users", 0));
    }

    @Test
    void limitAnswersAsTheCStringFunction() {
        int found = 0;
        for (String name : ordinaryNames()) {
            Pointer cName = NativeStrings.cString(name, "name");
            LongByReference cValue = new LongByReference(-1);
            int cRc = lib.lic_license_limit(raw, cName, cValue);
            IntByReference cEnforcement = new IntByReference(-1);
            assertEquals(cRc, lib.lic_license_limit_enforcement(raw, cName, cEnforcement), name);
            if (cRc == ResultCode.NO_SUCH_LIMIT.value()) {
                assertEquals(OptionalLong.empty(), prod.limit(name), name);
                assertEquals(Optional.empty(), prod.limitEnforcement(name), name);
                continue;
            }
            assertEquals(0, cRc, name);
            found++;
            assertEquals(OptionalLong.of(cValue.getValue()), prod.limit(name), name);
            assertEquals(Optional.of(Enforcement.of(cEnforcement.getValue())), prod.limitEnforcement(name), name);
        }
        assertEquals(prod.limits().size(), found);
    }

    @Test
    void theLengthIsHonouredNotANul() {
        // "sso-saml" followed by bytes that are not part of the name.
        byte[] longer = utf8("sso-samlXYZ");
        assertTrue(nHasFeature(longer, 8));
        assertFalse(nHasFeature(longer, 7));
        assertFalse(nHasFeature(longer, longer.length));
        byte[] tenants = utf8("tenants-and-more");
        IntByReference out = new IntByReference(-1);
        assertEquals(0, nCheckUsage(tenants, 7, 26, out));
        assertEquals(Usage.OVER_HARD_LIMIT, Usage.of(out.getValue()));
        assertEquals(0, nCheckUsage(tenants, tenants.length, 26, out));
        assertEquals(Usage.UNLIMITED, Usage.of(out.getValue()));
    }

    @Test
    void aNameWithANulIsAbsent() {
        List<String> names = List.of("sso-saml\0", "sso-saml\0evil", "\0sso-saml", "sso\0saml", "\0",
                "tenants\0", "tenants\0tenants", "\0tenants", "internal-users\0");
        for (String name : names) {
            assertFalse(prod.hasFeature(name), name);
            assertEquals(Usage.UNLIMITED, prod.checkUsage(name, 26), name);
            assertEquals(Usage.UNLIMITED, prod.checkUsage(name, Long.MAX_VALUE), name);
            assertEquals(OptionalLong.empty(), prod.limit(name), name);
            assertEquals(Optional.empty(), prod.limitEnforcement(name), name);
            // The _n functions themselves: a NUL is just a byte of another name.
            byte[] bytes = utf8(name);
            assertFalse(nHasFeature(bytes, bytes.length), name);
            IntByReference out = new IntByReference(-1);
            assertEquals(0, nCheckUsage(bytes, bytes.length, 26, out), name);
            assertEquals(Usage.UNLIMITED, Usage.of(out.getValue()), name);
        }
        // Whereas the C-string functions would have seen "sso-saml" and "tenants".
        Memory truncated = new Memory(16);
        truncated.clear();
        truncated.write(0, utf8("sso-saml\0evil"), 0, 13);
        assertTrue(lib.lic_license_has_feature(raw, truncated) != 0);
    }

    @Test
    void theEmptyNameIsAbsent() {
        assertFalse(prod.hasFeature(""));
        assertEquals(Usage.UNLIMITED, prod.checkUsage("", 0));
        assertEquals(Usage.UNLIMITED, prod.checkUsage("", Long.MAX_VALUE));
        assertEquals(OptionalLong.empty(), prod.limit(""));
        assertEquals(Optional.empty(), prod.limitEnforcement(""));
        // An empty array and a null array (NULL) with length 0 are both the empty name.
        assertFalse(nHasFeature(new byte[0], 0));
        assertFalse(nHasFeature(null, 0));
        IntByReference out = new IntByReference(-1);
        assertEquals(0, nCheckUsage(new byte[0], 0, 1, out));
        assertEquals(Usage.UNLIMITED, Usage.of(out.getValue()));
        out.setValue(-1);
        assertEquals(0, nCheckUsage(null, 0, 1, out));
        assertEquals(Usage.UNLIMITED, Usage.of(out.getValue()));
        // NULL with a length is refused.
        assertFalse(nHasFeature(null, 8));
        assertEquals(ResultCode.NULL_ARGUMENT.value(), nCheckUsage(null, 7, 1, out));
    }

    @Test
    void anUnpairedSurrogateMatchesNothing() {
        List<String> names = List.of("sso-saml\ud800", "\udc00sso-saml", "sso\ud800saml", "\ud800", "\udc00",
                "\udc00\ud800", "tenants\ud800", "\ud83dtenants", "tenants\ude00", "sso-saml\ud83d");
        for (String name : names) {
            assertFalse(prod.hasFeature(name), name);
            assertEquals(Usage.UNLIMITED, prod.checkUsage(name, 26), name);
            assertEquals(OptionalLong.empty(), prod.limit(name), name);
            assertEquals(Optional.empty(), prod.limitEnforcement(name), name);
        }
        // Java's encoder would have made "a\ud800" the valid name "a?": the
        // binding does not let it stand for a name it is not.
        assertArrayEquals(utf8("a?"), "a\ud800".getBytes(StandardCharsets.UTF_8));
        // A valid pair is a name like any other (absent from prod.lic).
        assertFalse(prod.hasFeature("\ud83d\ude00"));
    }

    @Test
    void invalidUtf8BytesMatchNothing() {
        // What the library does with bytes that are not UTF-8 (a lone
        // surrogate as Java's modified UTF-8 would write it, a stray byte).
        for (byte[] bytes : List.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {'s', 's', 'o', (byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0x80})) {
            assertFalse(nHasFeature(bytes, bytes.length));
            IntByReference out = new IntByReference(-1);
            assertEquals(ResultCode.INVALID_UTF8.value(), nCheckUsage(bytes, bytes.length, 1, out));
        }
    }
}
