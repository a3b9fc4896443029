package io.replisim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.replisim.simulator.fault.FaultKind;
import io.replisim.simulator.scenario.ActionSpec;
import io.replisim.simulator.scenario.Scenario;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The published JSON Schema stays true to the scenario model and accepts the whole library. */
class ScenarioSchemaTest {
    private static final Path SCHEMA = Path.of("scenario.schema.json");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyLibraryScenarioValidatesAgainstTheSchema() throws Exception {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(SCHEMA));
        YAMLMapper yaml = new YAMLMapper();
        for (Path file : LibraryTest.scenarios()) {
            Set<ValidationMessage> problems = schema.validate(yaml.readTree(file.toFile()));
            assertTrue(problems.isEmpty(), file + ": " + problems);
        }
        Set<ValidationMessage> problems = schema.validate(yaml.readTree("name: x\nstart: 2026-01-05T08:00:00+01:00\nduration: soon\nsite: {}\nbogus: 1\n"));
        assertFalse(problems.isEmpty(), "the schema rejects a broken file");
    }

    @Test
    void theSchemaNamesEveryFieldOfTheModelAndNoOther() throws Exception {
        JsonNode root = json.readTree(SCHEMA.toFile());
        List<String> mismatches = new ArrayList<>();
        compare(root, root, Scenario.class, "", mismatches);
        assertEquals(List.of(), mismatches);
    }

    @Test
    void theSchemaListsEveryFaultKindAndAction() throws Exception {
        JsonNode root = json.readTree(SCHEMA.toFile());
        Set<String> kinds = new TreeSet<>();
        root.at("/properties/faults/items/properties/kind/enum").forEach(k -> kinds.add(k.asText()));
        Set<String> known = new TreeSet<>();
        for (FaultKind k : FaultKind.values()) {
            known.add(k.label());
        }
        assertEquals(known, kinds);
        Set<String> actions = new TreeSet<>();
        root.at("/properties/actions/items/properties/do/enum").forEach(a -> actions.add(a.asText()));
        assertEquals(new TreeSet<>(ActionSpec.KNOWN), actions);
    }

    /** Walks a record type and its schema object side by side: the same property names at every level. */
    private void compare(JsonNode root, JsonNode node, Class<?> type, String path, List<String> mismatches) {
        node = resolve(root, node);
        if (node.has("items")) {
            node = resolve(root, node.get("items"));
        }
        JsonNode props = node.get("properties");
        Set<String> inSchema = new TreeSet<>();
        props.fieldNames().forEachRemaining(inSchema::add);
        Set<String> inModel = new TreeSet<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            if (rc.isAnnotationPresent(JsonIgnore.class) || rc.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            JsonProperty renamed = rc.getAccessor().getAnnotation(JsonProperty.class);
            String name = renamed != null ? renamed.value() : rc.getName();
            inModel.add(name);
            Class<?> nested = nestedRecord(rc.getGenericType());
            if (nested != null && props.has(name)) {
                compare(root, props.get(name), nested, path + "." + name, mismatches);
            }
        }
        if (!inModel.equals(inSchema)) {
            mismatches.add((path.isEmpty() ? "(top)" : path) + ": model " + inModel + " vs schema " + inSchema);
        }
    }

    private static Class<?> nestedRecord(Type t) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            t = p.getActualTypeArguments()[0];
        }
        if (t instanceof Class<?> c && c.isRecord() && c.getPackageName().equals(Scenario.class.getPackageName())
                && c.getRecordComponents().length > 1 && !c.getSimpleName().equals("Count")
                && !c.getSimpleName().equals("DataSize") && !c.getSimpleName().equals("Bandwidth")
                && !c.getSimpleName().equals("DataRate") && !c.getSimpleName().equals("WeeklyHours")) {
            return c;
        }
        return null;
    }

    private static JsonNode resolve(JsonNode root, JsonNode node) {
        while (node.has("$ref")) {
            node = root.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }
}
