package io.replisim.simulator.run;

import java.time.Duration;
import io.replisim.simulator.replication.VmSummary;
import java.util.List;

/**
 * What a finished run hands to the reports: a value, serialisable as {@code summary.json} and
 * read back from it. Everything in it follows from (scenario, seed, version): no wall-clock time;
 * only {@code azuriteLauncher} says something of the machine.
 *
 * @param replisim  the version of replisim that ran it (null in summaries written before versions were recorded)
 * @param traceFormat the trace format's version ({@link ReplisimVersion#TRACE_FORMAT}; 0: before versions were recorded)
 * @param simulated how much simulated time passed, including the drain after the workload stopped
 * @param events    how many kernel events fired
 * @param trace     the trace's level: {@code full}, {@code states} or {@code none}
 * @param fleet     the fleet's figures over time, for runs of more than {@link FleetSeries#FLEET_VMS}
 *                  VMs or without a full trace; null otherwise
 * @param uplink    each VM's use of its site's uplink over time, for runs of at most
 *                  {@link FleetSeries#FLEET_VMS} VMs; null otherwise
 * @param azuriteLauncher which Azurite served an {@code azurite} run, {@code npm} or {@code container}
 *                  (AUTO picks by what the machine has); null on {@code memory}. Not in the trace,
 *                  which stays the same on every machine
 * @param reproduce the command line that runs this again with the scenario file's path, as the
 *                  caller that knows the file says ({@link #withReproduce}); null when unknown
 */
public record RunRecord(
        String replisim,
        int traceFormat,
        String scenario,
        long seed,
        String fidelity,
        String azure,
        String start,
        String timeZone,
        Duration duration,
        Duration simulated,
        long events,
        boolean passed,
        List<VmSummary> vms,
        List<ExpectationResult> expectations,
        List<JobRow> jobs,
        String trace,
        FleetSeries fleet,
        UplinkSeries uplink,
        String azuriteLauncher,
        String reproduce) {

    public RunRecord {
        trace = trace == null ? "full" : trace;
        vms = List.copyOf(vms);
        expectations = List.copyOf(expectations);
        jobs = List.copyOf(jobs);
    }

    /** This record with the command that reproduces it. */
    public RunRecord withReproduce(String command) {
        return new RunRecord(replisim, traceFormat, scenario, seed, fidelity, azure, start, timeZone, duration, simulated, events,
                passed, vms, expectations, jobs, trace, fleet, uplink, azuriteLauncher, command);
    }

    /** One scenario expectation and whether it held. */
    public record ExpectationResult(String name, boolean passed, String detail) {}

    /** A vault job as the portal's Jobs tab lists it. */
    public record JobRow(String job, String name, String item, String status, String started, Duration duration) {}
}
