package io.replisim.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.replisim.simulator.trace.TraceJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the charts and tables need, derived from a run's {@code trace.jsonl} in one pass (the
 * trace is read line by line, never held whole). Times are ns from the run's start. Definitions
 * (see {@code docs/trace.md}):
 * <ul>
 * <li>state and health bands from {@code vm.state} / {@code vm.health};</li>
 * <li>a log's bytes are pending from its {@code log.switched} until its {@code log.applied}
 *     (or until a {@code resync.required} discards the VM's pending logs); the resync threshold is
 *     the {@code ir.started} {@code diskBytes} while initial replication runs, half of it after;</li>
 * <li>RPO(t) = t - {@code pointInTime} of the VM's newest {@code recovery-point.created}, measured
 *     as the summary measures it: from the first point while the workload runs, not while the
 *     VM is failed over or not enabled (a gap in the series); so its peak is the summary's max.</li>
 * </ul>
 * The uplink's use is not here: the trace cannot tell how the link's fair sharing allocated it over
 * a transfer's duration; the summary's {@code uplink} figures can.
 */
final class RunTimeline {
    private static final ObjectMapper JSON = TraceJson.mapper();
    /** Event types that always concern one VM. */
    private static final java.util.Set<String> VM_EVENTS = java.util.Set.of("vm.state", "vm.health", "ir.started",
            "ir.finished", "log.switched", "log.applied", "transfer.finished", "recovery-point.created", "resync.required",
            "resync.started", "resync.finished", "retry.scheduled", "failover.finished");

    /** A malformed trace line. */
    static final class TraceFormatException extends IOException {
        TraceFormatException(String message) {
            super(message);
        }
    }

    record Band(long from, long to, String value) {}

    record Retry(long time, int attempt, Duration delay) {}

    record Mark(long time, String label) {}

    record Fault(String kind, String host, String vm, long from, long to, boolean cleared) {
        String scope() {
            return vm != null ? "VM " + vm : host != null ? "host " + host : "site";
        }
    }

    record ErrorCount(String vm, String code, boolean recoverable, long count, long first, long last, String message) {}

    /** A resynchronization, from its trigger to its end (fields are -1 / null until known). */
    static final class Resync {
        final String vm;
        long required = -1;
        String reason;
        long logBytes = -1;
        long diskBytes = -1;
        long started = -1;
        String trigger;
        long finished = -1;
        long bytesSent = -1;
        long blocksCompared = -1;
        long blocksSent = -1;

        Resync(String vm) {
            this.vm = vm;
        }
    }

    record Failover(String vm, long time, String kind, String recoveryPoint, String pointInTime, String azureVm,
                    String virtualNetwork, Duration dataLoss, long blocksLost, boolean verified) {}

    record ActionRow(String vm, long time, String action, String refusedBecause) {}

    /** Everything about one VM. */
    static final class VmTrack {
        final String vm;
        String host;
        final List<Band> states = new ArrayList<>();
        final List<Band> health = new ArrayList<>();
        private String state;
        private long stateSince;
        private String healthNow;
        private long healthSince;
        final List<Retry> retries = new ArrayList<>();
        final List<Mark> marks = new ArrayList<>();
        final List<Mark> resyncRequired = new ArrayList<>();
        final Series pending = new Series(true);
        final Series threshold = new Series(true);
        final Series rpo = new Series(false);
        long diskBytes = -1;
        long irStarted = -1;
        long irFinished = -1;
        private final Map<String, Long> pendingLogs = new TreeMap<>();
        private long pendingBytes;
        private long newestPoint = -1;

        VmTrack(String vm) {
            this.vm = vm;
        }

        String state() {
            return state;
        }

        private void pending(long t) {
            pending.add(t, pendingBytes);
        }
    }

    private Instant start;
    private ZoneId zone;
    private String scenario;
    private long seed;
    private long end;
    private long lines;
    private long workloadStopped = -1;
    /** The policy's copy frequency (from run.started), or -1 if the trace does not say. */
    private long copyFrequency = -1;
    private final Map<String, VmTrack> vms = new LinkedHashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<Resync> resyncs = new ArrayList<>();
    private final Map<String, Resync> openResyncs = new LinkedHashMap<>();
    private final List<Failover> failovers = new ArrayList<>();
    private final List<ActionRow> actions = new ArrayList<>();
    private final Map<String, ErrorCount> errors = new LinkedHashMap<>();

    /** Reads a {@code trace.jsonl}. */
    static RunTimeline read(Path trace) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            return read(in, trace.toString());
        }
    }

    static RunTimeline read(BufferedReader in, String name) throws IOException {
        RunTimeline timeline = new RunTimeline();
        String line;
        long number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new TraceFormatException(name + ":" + number + ": not a JSON object");
            }
            try {
                timeline.accept(node);
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new TraceFormatException(name + ":" + number + ": " + e.getMessage());
            }
        }
        timeline.finish();
        return timeline;
    }

    /** Takes one trace event. */
    void accept(JsonNode e) {
        if (!e.isObject() || !e.hasNonNull("t") || !e.hasNonNull("type")) {
            throw new IllegalArgumentException("expected an event with t and type");
        }
        lines++;
        String type = e.get("type").asText();
        OffsetDateTime at = OffsetDateTime.parse(e.get("t").asText());
        if (start == null) {
            start = at.toInstant();
            zone = at.getOffset();
        }
        long t = Duration.between(start, at.toInstant()).toNanos();
        end = Math.max(end, t);
        String vmName = text(e, "vm");
        if (vmName == null && VM_EVENTS.contains(type)) {
            throw new IllegalArgumentException(type + " without a vm");
        }
        VmTrack vm = vmName == null ? null : vms.computeIfAbsent(vmName, VmTrack::new);
        if (vm != null && vm.host == null) {
            vm.host = text(e, "host");
        }
        switch (type) {
            case "run.started" -> {
                scenario = text(e, "scenario");
                seed = e.path("seed").asLong();
                String tz = text(e, "timeZone");
                if (tz != null) {
                    zone = ZoneId.of(tz);
                }
                Duration every = duration(e, "copyFrequency");
                copyFrequency = every == null ? -1 : every.toNanos();
            }
            case "workload.stopped" -> {
                for (VmTrack v : vms.values()) {
                    if (rpoMeasured(v)) {
                        v.rpo.add(t, t - v.newestPoint);
                        v.rpo.gap(t);
                    }
                }
                workloadStopped = t;
            }
            case "vm.state" -> {
                if (vm.state == null) {
                    vm.state = text(e, "from");
                    vm.stateSince = 0;
                }
                String to = text(e, "to");
                vm.states.add(new Band(vm.stateSince, t, vm.state));
                boolean measured = rpoMeasured(vm);
                vm.state = to;
                vm.stateSince = t;
                if (measured != rpoMeasured(vm)) {
                    vm.rpo.add(t, t - vm.newestPoint);
                    if (measured) {
                        vm.rpo.gap(t);
                    }
                }
                if ("Not enabled".equals(to)) {
                    vm.newestPoint = -1; // a reprotect starts again without the old points
                }
            }
            case "vm.health" -> {
                if (vm.healthNow == null) {
                    vm.healthNow = text(e, "from");
                    vm.healthSince = 0;
                }
                vm.health.add(new Band(vm.healthSince, t, vm.healthNow));
                vm.healthNow = text(e, "to");
                vm.healthSince = t;
            }
            case "ir.started" -> {
                vm.diskBytes = e.path("diskBytes").asLong();
                vm.irStarted = t;
                vm.threshold.add(t, vm.diskBytes);
                vm.pending(t);
            }
            case "ir.finished" -> {
                vm.irFinished = t;
                if (vm.diskBytes >= 0) {
                    vm.threshold.add(t, vm.diskBytes / 2.0);
                }
            }
            case "log.switched" -> {
                String key = text(e, "disk") + "/" + e.path("sequence").asLong();
                long bytes = e.path("bytes").asLong();
                Long before = vm.pendingLogs.put(key, bytes);
                vm.pendingBytes += bytes - (before == null ? 0 : before);
                vm.pending(t);
            }
            case "log.applied" -> {
                Long bytes = vm.pendingLogs.remove(text(e, "disk") + "/" + e.path("sequence").asLong());
                if (bytes != null) {
                    vm.pendingBytes -= bytes;
                    vm.pending(t);
                }
            }
            case "recovery-point.created" -> {
                String pit = text(e, "pointInTime");
                long point = pit == null ? t : Duration.between(start, OffsetDateTime.parse(pit).toInstant()).toNanos();
                if (rpoMeasured(vm)) {
                    vm.rpo.add(t, t - vm.newestPoint);
                }
                vm.newestPoint = Math.max(vm.newestPoint, point);
                if (rpoMeasured(vm)) {
                    vm.rpo.add(t, t - vm.newestPoint);
                }
            }
            case "resync.required" -> {
                vm.pendingLogs.clear();
                vm.pendingBytes = 0;
                vm.pending(t);
                vm.resyncRequired.add(new Mark(t, "resync required: " + text(e, "reason")));
                Resync r = new Resync(vmName);
                r.required = t;
                r.reason = text(e, "reason");
                r.logBytes = e.path("logBytes").asLong(-1);
                r.diskBytes = e.path("diskBytes").asLong(-1);
                resyncs.add(r);
                openResyncs.put(vmName, r);
            }
            case "resync.started" -> {
                Resync r = openResyncs.get(vmName);
                if (r == null || r.started >= 0) {
                    r = new Resync(vmName);
                    resyncs.add(r);
                    openResyncs.put(vmName, r);
                }
                r.started = t;
                r.trigger = text(e, "trigger");
            }
            case "resync.finished" -> {
                Resync r = openResyncs.remove(vmName);
                if (r == null) {
                    r = new Resync(vmName);
                    resyncs.add(r);
                }
                r.finished = t;
                r.bytesSent = e.path("bytesSent").asLong(-1);
                r.blocksCompared = e.path("blocksCompared").asLong(-1);
                r.blocksSent = e.path("blocksSent").asLong(-1);
            }
            case "retry.scheduled" -> vm.retries.add(new Retry(t, e.path("attempt").asInt(), duration(e, "delay")));
            case "fault.injected" -> faults.add(new Fault(text(e, "kind"), text(e, "host"), vmName, t, -1, false));
            case "fault.cleared" -> {
                for (int i = faults.size() - 1; i >= 0; i--) {
                    Fault f = faults.get(i);
                    if (!f.cleared() && java.util.Objects.equals(f.kind(), text(e, "kind"))
                            && java.util.Objects.equals(f.host(), text(e, "host")) && java.util.Objects.equals(f.vm(), vmName)) {
                        faults.set(i, new Fault(f.kind(), f.host(), f.vm(), f.from(), t, true));
                        break;
                    }
                }
            }
            case "action" -> {
                actions.add(new ActionRow(vmName, t, text(e, "action"), null));
                if (vm != null) {
                    vm.marks.add(new Mark(t, "action: " + text(e, "action")));
                }
            }
            case "action.refused" -> actions.add(new ActionRow(vmName, t, text(e, "action"), text(e, "reason")));
            case "failover.finished" -> {
                failovers.add(new Failover(vmName, t, text(e, "kind"), text(e, "recoveryPoint"), text(e, "pointInTime"),
                        text(e, "azureVm"), text(e, "virtualNetwork"), duration(e, "dataLoss"), e.path("blocksLost").asLong(),
                        e.path("verified").asBoolean()));
                vm.marks.add(new Mark(t, text(e, "kind") + " failover to " + text(e, "recoveryPoint")));
            }
            case "error" -> {
                String code = text(e, "code");
                boolean recoverable = e.path("recoverable").asBoolean();
                String key = vmName + "\u0000" + code + "\u0000" + recoverable;
                ErrorCount c = errors.get(key);
                errors.put(key, c == null ? new ErrorCount(vmName, code, recoverable, 1, t, t, text(e, "message"))
                        : new ErrorCount(vmName, code, recoverable, c.count() + 1, c.first(), t, c.message()));
            }
            default -> { }
        }
    }

    /** Closes the open bands and series at the trace's last event. */
    void finish() {
        for (VmTrack vm : vms.values()) {
            if (vm.state != null) {
                vm.states.add(new Band(vm.stateSince, end, vm.state));
                vm.stateSince = end;
            }
            if (vm.healthNow != null) {
                vm.health.add(new Band(vm.healthSince, end, vm.healthNow));
                vm.healthSince = end;
            }
            if (!vm.pending.isEmpty()) {
                vm.pending(end);
            }
            if (!vm.threshold.isEmpty()) {
                vm.threshold.add(end, vm.threshold.value(vm.threshold.size() - 1));
            }
            if (rpoMeasured(vm)) { // a trace without workload.stopped: measured to its end
                vm.rpo.add(end, end - vm.newestPoint);
            }
        }
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (!f.cleared()) {
                faults.set(i, new Fault(f.kind(), f.host(), f.vm(), f.from(), end, false));
            }
        }
    }

    Instant start() {
        return start;
    }

    ZoneId zone() {
        return zone;
    }

    String scenario() {
        return scenario;
    }

    long copyFrequency() {
        return copyFrequency;
    }

    long seed() {
        return seed;
    }

    /** The last event's time. */
    long end() {
        return end;
    }

    /** When the workload stopped (the scenario's duration), or -1. */
    long workloadStopped() {
        return workloadStopped;
    }

    long events() {
        return lines;
    }

    Collection<VmTrack> vms() {
        return vms.values();
    }

    VmTrack vm(String name) {
        return vms.get(name);
    }

    List<Fault> faults() {
        return faults;
    }

    List<Resync> resyncs() {
        return resyncs;
    }

    List<Failover> failovers() {
        return failovers;
    }

    List<ActionRow> actions() {
        return actions;
    }

    Collection<ErrorCount> errors() {
        return errors.values();
    }

    /** Whether {@code vm}'s RPO is measured now: it has a recovery point, replication to Azure stands and the workload runs. */
    private boolean rpoMeasured(VmTrack vm) {
        return vm.newestPoint >= 0 && workloadStopped < 0 && !"Failover complete".equals(vm.state) && !"Not enabled".equals(vm.state);
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Duration duration(JsonNode e, String field) {
        String v = text(e, field);
        return v == null ? null : Duration.parse(v);
    }
}
