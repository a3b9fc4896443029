package io.replisim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.run.Backend;
import io.replisim.simulator.run.RunOptions;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.run.Simulator;
import io.replisim.simulator.scenario.Scenario;
import io.replisim.simulator.scenario.ScenarioLoader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Storage faults on the wire (docs/fake-azure.md, "Two retry layers"): with {@code azurite} they
 * strike between the Azure SDK and Azurite, request by request, and the SDK's retry policy meets
 * them before the replication stack does.
 */
class WireFaultsTest {
    private static final Path BURSTS = Path.of("library/storage-bursts.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** storage-bursts.yaml's site with one of each storage fault lasting over one or two of the stack's attempts. */
    private static Scenario sustained() throws Exception {
        String bursts = Files.readString(BURSTS);
        String text = bursts.substring(0, bursts.indexOf("faults:")).replace("name: storage-bursts", "name: wire-sustained")
                .replace("seed: 21", "seed: 3") + """
                faults:
                  - { at: 7m, kind: storage-unavailable, for: 3m }
                  - { at: 16m, kind: storage-internal-error, for: 2m }
                  - { at: 24m, kind: storage-connection-reset, for: 90s }
                  - { at: 30m, kind: storage-slow, for: 90s }
                  - { at: 36m, kind: authentication-failure, for: 4m }
                actions:
                  - { at: 45m, do: resume }
                expect:
                  - { replicaMatchesSource: true }
                """;
        return new ScenarioLoader().parse(Path.of("wire-sustained.yaml"), text);
    }

    private record Run(RunRecord record, String trace) {
        List<JsonNode> ofType(String type) throws Exception {
            List<JsonNode> events = new ArrayList<>();
            for (String line : trace.split("\n")) {
                JsonNode e = JSON.readTree(line);
                if (e.get("type").asText().equals(type)) {
                    events.add(e);
                }
            }
            return events;
        }
    }

    private static Run run(Scenario scenario, Backend backend) throws Exception {
        StringWriter trace = new StringWriter();
        RunRecord record = Simulator.run(scenario, RunOptions.withSeed(scenario.effectiveSeed()).backend(backend).trace(trace));
        return new Run(record, trace.toString());
    }

    @Test
    void faultsThatLastGiveMemorysTraceWithTheSdksRetriesOnEachError() throws Exception {
        Scenario scenario = sustained();
        Run memory = run(scenario, Backend.MEMORY);
        Run azurite = run(scenario, Backend.AZURITE);

        // within a call no simulated time passes, so every try of the SDK meets the fault too
        assertEquals(memory.trace(), azurite.trace().replace("\"azure\":\"azurite\"", "\"azure\":\"memory\"")
                .replaceAll(",\"sdkRetries\":\\d+", ""));
        List<JsonNode> errors = azurite.ofType("error");
        assertEquals(Set.of("ServerBusy", "InternalError", "NetworkError", "Timeout", "AuthenticationFailed"),
                errors.stream().map(e -> e.get("code").asText()).collect(Collectors.toSet()));
        for (JsonNode e : errors) {
            int expected = e.get("code").asText().equals("AuthenticationFailed") ? 0 : 3; // 403 is never retried
            assertEquals(expected, e.get("sdkRetries").asInt(), e.toString());
        }
        assertTrue(memory.ofType("error").stream().noneMatch(e -> e.has("sdkRetries")));
        assertEquals(List.of(), azurite.ofType("storage.retried"));
        assertTrue(azurite.record().passed(), azurite.record().expectations().toString());
    }

    @Test
    void burstsWithinTheSdksBudgetAreAbsorbedLongerOnesReachTheLadderAndTheSameSeedGivesTheSameTrace() throws Exception {
        Scenario scenario = new ScenarioLoader().load(BURSTS);
        Run first = run(scenario, Backend.AZURITE);
        Run second = run(scenario, Backend.AZURITE);
        assertEquals(first.trace(), second.trace(), "faults are counted in requests, never timed");
        assertTrue(first.record().passed(), first.record().expectations().toString());

        // absorbed: 3 busy answers, then 2 of the 6 InternalErrors, 2 resets and 1 timeout
        assertEquals(List.of("uploadBlockBlob 3 ServerBusy", "uploadBlockBlob 2 InternalError",
                "uploadBlockBlob 2 NetworkError", "uploadBlockBlob 1 Timeout"), first.ofType("storage.retried").stream()
                .map(e -> e.get("operation").asText() + " " + e.get("sdkRetries").asInt() + " " + e.get("code").asText())
                .toList());
        // reached the stack: the first 4 InternalErrors (one call, every try), and the 403, never retried
        List<JsonNode> errors = first.ofType("error");
        assertEquals(List.of("InternalError true 3", "AuthenticationFailed false 0"), errors.stream()
                .map(e -> e.get("code").asText() + " " + e.get("recoverable").asBoolean() + " " + e.get("sdkRetries").asInt())
                .toList());
        assertEquals(1, first.ofType("retry.scheduled").size(), "the ladder retried the InternalError once");

        // the memory backend has no client library: every failed request is a failed call
        Run memory = run(scenario, Backend.MEMORY);
        assertEquals(List.of(), memory.ofType("storage.retried"));
        assertEquals(List.of("ServerBusy", "ServerBusy", "InternalError", "InternalError", "InternalError", "NetworkError",
                "NetworkError", "Timeout", "AuthenticationFailed"), memory.ofType("error").stream()
                .map(e -> e.get("code").asText()).toList());
        assertTrue(memory.record().passed(), memory.record().expectations().toString());
    }
}
