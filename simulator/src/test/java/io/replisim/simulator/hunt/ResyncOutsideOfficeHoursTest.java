package io.replisim.simulator.hunt;

import static io.replisim.simulator.hunt.InvariantsTest.holds;
import static io.replisim.simulator.hunt.InvariantsTest.violatedAt;

import io.replisim.simulator.scenario.Scenario;
import org.junit.jupiter.api.Test;

/** resync-outside-office-hours on hand-made traces: the run starts Monday 08:00 (+01:00), office hours Mon-Fri 09:00-18:00. */
class ResyncOutsideOfficeHoursTest {
    private final Invariant invariant = new ResyncOutsideOfficeHours();
    private static final double HOUR = 3600;

    private static TraceBuilder required(double at) {
        return InvariantsTest.replicating()
                .at(at, "resync.required", "host", "hv01", "vm", "app01", "reason", "vm-reverted", "logBytes", 0, "diskBytes", 1)
                .at(at, "vm.state", "vm", "app01", "from", "Replicating", "to", "Resynchronization required");
    }

    private static TraceBuilder scheduled(TraceBuilder b, double at) {
        return b.at(at, "resync.started", "vm", "app01", "trigger", "scheduled");
    }

    @Test
    void startsAtOnceWhenRequiredBeforeOfficeHoursAndAtSixWhenRequiredWithin() {
        holds(invariant, scheduled(required(1000), 1000).build()); // 08:16:40
        holds(invariant, scheduled(required(HOUR + 600), 10 * HOUR).build()); // 09:10, started at 18:00
        holds(invariant, scheduled(required(HOUR + 600), 10 * HOUR + 10).build()); // one 10-second check later
    }

    @Test
    void failsWhenAScheduledResyncStartsInsideOfficeHours() {
        TraceBuilder b = required(HOUR + 600);
        long seq = b.next();
        violatedAt(invariant, scheduled(b, 2 * HOUR).build(), seq, "inside office hours Mon,Tue,Wed,Thu,Fri 09:00-18:00");
    }

    @Test
    void failsWhenAScheduledResyncStartsLate() {
        TraceBuilder b = required(1000);
        long seq = b.next();
        violatedAt(invariant, scheduled(b, 1011).build(), seq, "PT11S after the first moment outside office hours");
    }

    @Test
    void failsWhenNoScheduledResyncComesWhenDue() {
        TraceBuilder b = required(HOUR + 600);
        long seq = b.next() - 2;
        violatedAt(invariant, b.at(10 * HOUR + 11, "log.switched", "vm", "app02", "disk", "os", "sequence", 1).build(), seq,
                "no scheduled resync.started came");
        // an error of the VM since (its start failed and waits on the ladder) excuses it
        holds(invariant, required(HOUR + 600).at(10 * HOUR, "error", "vm", "app01", "code", "LowMemory", "recoverable", true)
                .at(10 * HOUR + 11, "log.switched", "vm", "app02", "disk", "os", "sequence", 1).build());
    }

    @Test
    void aScenarioThatIsNotAutomaticStartsNoResyncOnSchedule() {
        Scenario manual = Tiny.parse(Tiny.ONE_VM.formatted("1h") + "resync: { automatic: false }\n");
        holds(invariant, manual, required(1000).at(2 * HOUR, "resync.started", "vm", "app01", "trigger", "manual").build());
        TraceBuilder b = required(1000);
        long seq = b.next();
        violatedAt(invariant, manual, scheduled(b, 1000).build(), seq, "not automatic");
    }

    @Test
    void officeHoursPastMidnightEndTheNextMorning() {
        // nights are office hours here: required Monday 23:00, the resync starts Tuesday 06:00
        Scenario nights = Tiny.parse(Tiny.ONE_VM.formatted("1h") + "resync: { officeHours: \"Mon-Fri 22:00-06:00\" }\n");
        holds(invariant, nights, scheduled(required(15 * HOUR), 22 * HOUR).build());
        TraceBuilder b = required(15 * HOUR);
        long seq = b.next();
        violatedAt(invariant, nights, scheduled(b, 21 * HOUR).build(), seq, "inside office hours");
        // Friday's window ends on Saturday morning; a requirement on Saturday afternoon starts at once
        double saturday = 5 * 24 * HOUR;
        holds(invariant, nights, scheduled(required(saturday + 8 * HOUR), saturday + 8 * HOUR).build());
        TraceBuilder fri = required(4 * 24 * HOUR + 15 * HOUR); // Friday 23:00
        long at = fri.next();
        violatedAt(invariant, nights, scheduled(fri, saturday - 3 * HOUR).build(), at, "inside office hours");
        holds(invariant, nights, scheduled(required(4 * 24 * HOUR + 15 * HOUR), saturday - 2 * HOUR).build());
    }
}
