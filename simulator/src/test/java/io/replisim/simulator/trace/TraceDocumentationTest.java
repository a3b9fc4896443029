package io.replisim.simulator.trace;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/trace.md must document every event type the code can emit, and each of its fields. */
class TraceDocumentationTest {

    @Test
    void everyEventTypeAndFieldIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("../docs/trace.md"));
        List<String> missing = new ArrayList<>();
        for (Class<?> c : TraceEvent.class.getPermittedSubclasses()) {
            TraceEvent sample = sample(c);
            String section = section(doc, sample.type());
            if (section == null) {
                missing.add("type " + sample.type());
                continue;
            }
            for (RecordComponent rc : c.getRecordComponents()) {
                if (!section.contains("`" + rc.getName() + "`")) {
                    missing.add(sample.type() + "." + rc.getName());
                }
            }
        }
        if (!missing.isEmpty()) {
            fail("docs/trace.md lacks: " + missing);
        }
    }

    @Test
    void eventTypesAreDistinct() throws Exception {
        List<String> seen = new ArrayList<>();
        for (Class<?> c : TraceEvent.class.getPermittedSubclasses()) {
            String type = sample(c).type();
            assertTrue(!seen.contains(type), "two records share " + type);
            seen.add(type);
        }
    }

    /** The text under the "### " heading naming {@code type}, up to the next heading. */
    private static String section(String doc, String type) {
        for (String part : doc.split("\n### ")) {
            String heading = part.lines().findFirst().orElse("");
            if (heading.contains("`" + type + "`")) {
                return part;
            }
        }
        return null;
    }

    private static TraceEvent sample(Class<?> c) throws Exception {
        RecordComponent[] rcs = c.getRecordComponents();
        Class<?>[] types = new Class<?>[rcs.length];
        Object[] args = new Object[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            types[i] = rcs[i].getType();
            args[i] = types[i] == long.class ? 0L : types[i] == int.class ? 0 : types[i] == boolean.class ? false : null;
        }
        Constructor<?> ctor = c.getDeclaredConstructor(types);
        return (TraceEvent) ctor.newInstance(args);
    }
}
