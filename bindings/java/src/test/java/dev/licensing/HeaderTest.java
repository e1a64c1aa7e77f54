package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The binding against include/licensing.h: a code or enum value forgotten here fails. */
class HeaderTest {
    private static final String HEADER = Fixtures.text(Fixtures.repo().resolve("include/licensing.h"));

    /** NAME = value pairs of the C enum {@code name}. */
    static Map<String, Integer> cEnum(String name) {
        Matcher block = Pattern.compile("enum\\s+" + name + "\\b[^{;]*\\{(.*?)\\}", Pattern.DOTALL).matcher(HEADER);
        assertTrue(block.find(), "enum " + name + " not found in the header");
        String body = block.group(1).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, Integer> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\b(LIC_[A-Z0-9_]+)\\s*=\\s*(\\d+)").matcher(body);
        while (m.find()) {
            values.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertFalse(values.isEmpty(), "no values in enum " + name);
        // Every enumerator must have an explicit value (or the regex missed one).
        Set<String> names = new TreeSet<>();
        Matcher n = Pattern.compile("\\b(LIC_[A-Z0-9_]+)\\b").matcher(body);
        while (n.find()) {
            names.add(n.group(1));
        }
        assertEquals(names, new TreeSet<>(values.keySet()), "enumerators of " + name + " without a value");
        return values;
    }

    @Test
    void resultCodeCoversEveryCode() {
        Map<String, Integer> header = cEnum("lic_result");
        assertTrue(header.size() >= 26, "expected the 26 codes of the header (or more), found " + header);
        assertEquals(504, header.get("LIC_NO_STORE"), "LIC_NO_STORE in the header: " + header);
        assertEquals(505, header.get("LIC_CLOCK_RESET_USED"), "LIC_CLOCK_RESET_USED in the header: " + header);
        assertEquals(7, header.get("LIC_INVALID_PLATFORM_VERSION"), "LIC_INVALID_PLATFORM_VERSION: " + header);
        assertEquals(208, header.get("LIC_UNKNOWN_CRITICAL_EXTENSION"), "LIC_UNKNOWN_CRITICAL_EXTENSION: " + header);
        assertEquals(209, header.get("LIC_PLATFORM_VERSION_NOT_COVERED"), "LIC_PLATFORM_VERSION_NOT_COVERED: " + header);
        assertEquals(8, header.get("LIC_INVALID_ENVIRONMENT_NAME"), "LIC_INVALID_ENVIRONMENT_NAME: " + header);
        assertEquals(9, header.get("LIC_INVALID_PURPOSE"), "LIC_INVALID_PURPOSE: " + header);
        assertEquals(506, header.get("LIC_BAD_USAGE_SUMMARY"), "LIC_BAD_USAGE_SUMMARY: " + header);
        for (Map.Entry<String, Integer> e : header.entrySet()) {
            ResultCode code = ResultCode.valueOf(e.getKey().substring("LIC_".length()));
            assertEquals(e.getValue().intValue(), code.value(), e.getKey());
            assertEquals(code, ResultCode.of(e.getValue()));
            assertEquals(e.getKey(), code.cName());
        }
        Set<String> java = Arrays.stream(ResultCode.values())
                .filter(c -> c != ResultCode.UNKNOWN)
                .map(ResultCode::cName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(header.keySet()), java, "ResultCode has codes the header does not");
        assertEquals(ResultCode.UNKNOWN, ResultCode.of(12345));
    }

    @Test
    void theLibraryDescribesEveryCode() {
        for (ResultCode code : ResultCode.values()) {
            String description = code.description();
            assertNotNull(description);
            assertFalse(description.isBlank(), code.name());
            if (code == ResultCode.UNKNOWN) {
                assertEquals("unknown result code", description);
            } else {
                assertNotEquals("unknown result code", description, code + " is unknown to the library");
            }
        }
    }

    private static <E extends Enum<E>> void sameEnum(String cName, String prefix, Class<E> type,
            java.util.function.ToIntFunction<E> value) {
        Map<String, Integer> header = cEnum(cName);
        Map<String, Integer> java = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            java.put(prefix + e.name(), value.applyAsInt(e));
        }
        assertEquals(header, java, cName);
    }

    @Test
    void otherEnumsMatchTheHeader() {
        sameEnum("lic_state", "LIC_STATE_", State.class, State::value);
        sameEnum("lic_enforcement", "LIC_ENFORCEMENT_", Enforcement.class, Enforcement::value);
        sameEnum("lic_usage", "LIC_USAGE_", Usage.class, Usage::value);
        sameEnum("lic_type", "LIC_TYPE_", LicenseType.class, LicenseType::value);
        sameEnum("lic_purpose", "LIC_PURPOSE_", Purpose.class, Purpose::value);
        sameEnum("lic_standing", "LIC_STANDING_", Standing.class, Standing::value);
    }

    /** Each function the header declares, with its number of parameters. */
    static Map<String, Integer> declaredFunctions() {
        String code = HEADER.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher m = Pattern.compile("\\b(lic_[a-z0-9_]+)\\s*\\(([^)]*)\\)\\s*;").matcher(code);
        Map<String, Integer> declared = new TreeMap<>();
        while (m.find()) {
            String params = m.group(2).trim();
            declared.put(m.group(1), params.equals("void") || params.isEmpty() ? 0 : params.split(",").length);
        }
        return declared;
    }

    @Test
    void everyDeclaredFunctionIsBoundWithItsParameters() {
        Map<String, Integer> declared = declaredFunctions();
        assertTrue(declared.size() >= 60,
                "expected the 60 functions of the header (or more), found " + declared.keySet());
        // The functions this binding's tasks added: a parse that misses them would pass vacuously.
        for (String f : List.of("lic_store_serial_number", "lic_status_days_left", "lic_license_days_left",
                "lic_result_is_license_invalid",
                "lic_result_is_misuse", "lic_result_is_environment",
                "lic_store_create", "lic_store_preview_status",
                "lic_store_with_anchor", "lic_store_install_trial_extension", "lic_store_reset_clock",
                "lic_validator_new_for_platform", "lic_store_activation_request", "lic_store_usage_report",
                "lic_store_install_usage_summary", "lic_license_limit_bounds_at", "lic_license_verification_id")) {
            assertTrue(declared.containsKey(f), f + " not found in the header by the parse: " + declared.keySet());
        }
        Map<String, Integer> bound = new TreeMap<>();
        for (Method method : NativeMethods.class.getDeclaredMethods()) {
            bound.put(method.getName(), method.getParameterCount());
        }
        Set<String> missing = new TreeSet<>(declared.keySet());
        missing.removeAll(bound.keySet());
        assertTrue(missing.isEmpty(), "functions of include/licensing.h without a method in NativeMethods: " + missing
                + ": add them (and use them in the public classes)");
        Set<String> extra = new TreeSet<>(bound.keySet());
        extra.removeAll(declared.keySet());
        assertTrue(extra.isEmpty(), "NativeMethods binds functions the header does not declare: " + extra);
        for (Map.Entry<String, Integer> e : declared.entrySet()) {
            assertEquals(e.getValue(), bound.get(e.getKey()),
                    e.getKey() + ": parameters in the header (expected) vs NativeMethods: fix the Java signature");
        }
    }

    /**
     * The hot calls' direct mapping ({@link DirectMethods}): each native
     * method is a function of the header with its number of parameters, and
     * the hot calls the public classes rely on are there.
     */
    @Test
    void directMethodsAreDeclaredFunctionsWithTheirParameters() {
        Map<String, Integer> declared = declaredFunctions();
        Map<String, Integer> direct = new TreeMap<>();
        for (Method method : DirectMethods.class.getDeclaredMethods()) {
            if (Modifier.isNative(method.getModifiers())) {
                assertTrue(Modifier.isStatic(method.getModifiers()), method.getName() + " must be static");
                direct.put(method.getName(), method.getParameterCount());
            }
        }
        for (String f : List.of("lic_validator_validate", "lic_license_free", "lic_license_verification_id",
                "lic_license_limit_bounds_at", "lic_license_state", "lic_store_status", "lic_status_free")) {
            assertTrue(direct.containsKey(f), f + " is not in DirectMethods: " + direct.keySet());
        }
        for (Map.Entry<String, Integer> e : direct.entrySet()) {
            assertTrue(declared.containsKey(e.getKey()),
                    "DirectMethods binds " + e.getKey() + ", which the header does not declare");
            assertEquals(declared.get(e.getKey()), e.getValue(),
                    e.getKey() + ": parameters in the header (expected) vs DirectMethods: fix the Java signature");
        }
        // Registered against the loaded library: a missing symbol would have failed here.
        DirectMethods.init();
    }

    /** The value of {@code #define name} in the header. */
    private static int define(String name) {
        Matcher m = Pattern.compile("#define " + name + " (\\d+)\\b").matcher(HEADER);
        assertTrue(m.find(), "#define " + name + " not found in the header");
        return Integer.parseInt(m.group(1));
    }

    @Test
    void anchorConstantsMatchTheHeader() {
        assertEquals(define("LIC_ANCHOR_FOUND"), NativeMethods.LIC_ANCHOR_FOUND);
        assertEquals(define("LIC_ANCHOR_NOT_FOUND"), NativeMethods.LIC_ANCHOR_NOT_FOUND);
        assertEquals(define("LIC_ANCHOR_FAILED"), NativeMethods.LIC_ANCHOR_FAILED);
        assertEquals(define("LIC_ANCHOR_MAX_LEN"), NativeMethods.LIC_ANCHOR_MAX_LEN);
        assertEquals(define("LIC_ANCHOR_MAX_LEN"), Anchor.MAX_LENGTH);
    }

    @Test
    void versionMatchesTheHeader() {
        Matcher m = Pattern.compile("#define LICENSING_VERSION \"([^\"]+)\"").matcher(HEADER);
        assertTrue(m.find());
        assertEquals(m.group(1), LicensingLibrary.version());
    }
}
