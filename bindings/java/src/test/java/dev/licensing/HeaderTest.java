package dev.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
        assertTrue(header.size() >= 20, "expected the 20 codes of the header, found " + header);
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
        sameEnum("lic_state", "LIC_STATE_", LicenseState.class, LicenseState::value);
        sameEnum("lic_enforcement", "LIC_ENFORCEMENT_", Enforcement.class, Enforcement::value);
        sameEnum("lic_usage", "LIC_USAGE_", Usage.class, Usage::value);
        sameEnum("lic_type", "LIC_TYPE_", LicenseType.class, LicenseType::value);
        sameEnum("lic_purpose", "LIC_PURPOSE_", Purpose.class, Purpose::value);
        sameEnum("lic_standing", "LIC_STANDING_", Standing.class, Standing::value);
    }

    @Test
    void everyDeclaredFunctionIsBound() {
        String code = HEADER.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher m = Pattern.compile("\\b(lic_[a-z0-9_]+)\\s*\\(").matcher(code);
        Set<String> declared = new TreeSet<>();
        while (m.find()) {
            declared.add(m.group(1));
        }
        Set<String> bound = Arrays.stream(LicensingLibrary.class.getDeclaredMethods())
                .map(java.lang.reflect.Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(declared.size() >= 20, declared.toString());
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(bound);
        assertTrue(missing.isEmpty(), "functions of the header without a binding: " + missing);
    }

    @Test
    void versionMatchesTheHeader() {
        Matcher m = Pattern.compile("#define LICENSING_VERSION \"([^\"]+)\"").matcher(HEADER);
        assertTrue(m.find());
        assertEquals(m.group(1), Licensing.version());
    }
}
