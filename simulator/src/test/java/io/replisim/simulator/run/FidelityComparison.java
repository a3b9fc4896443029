package io.replisim.simulator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.replication.VmSummary;
import io.replisim.simulator.scenario.Fidelity;
import io.replisim.simulator.scenario.Scenario;
import java.io.StringWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario in model and in flow fidelity and lists where flow departs from model beyond
 * the tolerances scenarios/README.md states: the same states in the same order, each within
 * {@link #TIME} (or {@link #TIME_SHARE} of the run) of model's; the time in each health within
 * {@link #TIME_SHARE} of the run; the same final state and number of resyncs; initial
 * replication's end within {@link #TIME}; RPO p50, p95 and p99 and bytes sent within
 * {@link #SHARE} (or {@link #RPO} for the RPO).
 */
final class FidelityComparison {
    static final Duration TIME = Duration.ofMinutes(1);
    static final double TIME_SHARE = 0.02;
    static final double SHARE = 0.05;
    static final Duration RPO = Duration.ofSeconds(30);

    private FidelityComparison() {}

    /** One fidelity's run: its record, and per VM its state and health changes as (time, to). */
    record Run(RunRecord record, Map<String, List<Change>> states, Map<String, List<Change>> health) {}

    record Change(Duration at, String to) {}

    static Run run(Scenario s, Fidelity fidelity) throws Exception {
        StringWriter trace = new StringWriter();
        Scenario f = s.withFidelity(fidelity);
        RunRecord record = Simulator.run(f, RunOptions.withSeed(f.effectiveSeed()).trace(trace));
        ObjectMapper json = new ObjectMapper();
        OffsetDateTime start = s.start();
        Map<String, List<Change>> states = new LinkedHashMap<>();
        Map<String, List<Change>> health = new LinkedHashMap<>();
        for (String line : (Iterable<String>) trace.toString().lines()::iterator) {
            JsonNode e = json.readTree(line);
            String type = e.get("type").asText();
            if (type.equals("vm.state") || type.equals("vm.health")) {
                Duration at = Duration.between(start, OffsetDateTime.parse(e.get("t").asText()));
                (type.equals("vm.state") ? states : health).computeIfAbsent(e.get("vm").asText(), k -> new ArrayList<>())
                        .add(new Change(at, e.get("to").asText()));
            }
        }
        return new Run(record, states, health);
    }

    /** Where flow departs from model beyond the tolerances; empty if nowhere. */
    static List<String> compare(Scenario s) throws Exception {
        Run model = run(s, Fidelity.MODEL);
        Run flow = run(s, Fidelity.FLOW);
        List<String> found = new ArrayList<>();
        Duration runTime = s.duration();
        Duration time = max(TIME, Duration.ofNanos((long) (runTime.toNanos() * TIME_SHARE)));
        for (int i = 0; i < model.record().vms().size(); i++) {
            VmSummary m = model.record().vms().get(i);
            VmSummary f = flow.record().vms().get(i);
            String vm = m.vm();
            if (!m.finalState().equals(f.finalState())) {
                found.add(vm + ": final state " + f.finalState() + ", model " + m.finalState());
            }
            if (m.resyncs() != f.resyncs()) {
                found.add(vm + ": " + f.resyncs() + " resyncs, model " + m.resyncs());
            }
            if ((m.timeToReplicating() == null) != (f.timeToReplicating() == null)
                    || m.timeToReplicating() != null && far(m.timeToReplicating(), f.timeToReplicating(), TIME)) {
                found.add(vm + ": Replicating after " + f.timeToReplicating() + ", model " + m.timeToReplicating());
            }
            List<Change> ms = model.states().getOrDefault(vm, List.of());
            List<Change> fs = flow.states().getOrDefault(vm, List.of());
            if (!ms.stream().map(Change::to).toList().equals(fs.stream().map(Change::to).toList())) {
                found.add(vm + ": states " + fs.stream().map(Change::to).toList() + ", model " + ms.stream().map(Change::to).toList());
            } else {
                for (int k = 0; k < ms.size(); k++) {
                    if (far(ms.get(k).at(), fs.get(k).at(), time)) {
                        found.add(vm + ": " + ms.get(k).to() + " at " + fs.get(k).at() + ", model " + ms.get(k).at());
                    }
                }
            }
            Map<String, Duration> mh = timeIn(model.health().getOrDefault(vm, List.of()), runTime);
            Map<String, Duration> fh = timeIn(flow.health().getOrDefault(vm, List.of()), runTime);
            for (String h : List.of("Normal", "Warning", "Critical")) {
                if (far(mh.getOrDefault(h, Duration.ZERO), fh.getOrDefault(h, Duration.ZERO), time)) {
                    found.add(vm + ": " + fh.get(h) + " in " + h + ", model " + mh.get(h));
                }
            }
            if (m.rpo() != null && f.rpo() != null) {
                rpo(found, vm, "p50", m.rpo().p50(), f.rpo().p50());
                rpo(found, vm, "p95", m.rpo().p95(), f.rpo().p95());
                rpo(found, vm, "p99", m.rpo().p99(), f.rpo().p99());
            } else if ((m.rpo() == null) != (f.rpo() == null)) {
                found.add(vm + ": RPO " + f.rpo() + ", model " + m.rpo());
            }
            if (Math.abs(f.bytesSent() - m.bytesSent()) > SHARE * Math.max(1, m.bytesSent())) {
                found.add(vm + ": " + f.bytesSent() + " bytes sent, model " + m.bytesSent());
            }
        }
        return found;
    }

    private static void rpo(List<String> found, String vm, String which, Duration m, Duration f) {
        if (far(m, f, max(RPO, Duration.ofNanos((long) (m.toNanos() * SHARE))))) {
            found.add(vm + ": RPO " + which + " " + f + ", model " + m);
        }
    }

    /** Time in each health from the start to {@code end} (Normal before the first change). */
    private static Map<String, Duration> timeIn(List<Change> changes, Duration end) {
        Map<String, Duration> in = new LinkedHashMap<>();
        Duration at = Duration.ZERO;
        String h = "Normal";
        for (Change c : changes) {
            Duration until = c.at().compareTo(end) < 0 ? c.at() : end;
            in.merge(h, until.minus(at).isNegative() ? Duration.ZERO : until.minus(at), Duration::plus);
            at = until;
            h = c.to();
        }
        in.merge(h, end.minus(at).isNegative() ? Duration.ZERO : end.minus(at), Duration::plus);
        return in;
    }

    private static boolean far(Duration a, Duration b, Duration tolerance) {
        return a.minus(b).abs().compareTo(tolerance) > 0;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
