package io.replisim.simulator.hunt;

import io.replisim.simulator.scenario.Resync;
import io.replisim.simulator.scenario.Scenario;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An automatic resynchronization starts only outside office hours (docs/domain.md, Office hours),
 * per VM. The window is the scenario's ({@code Scenario.effectiveResync().officeHours()}: its
 * days and hours, in the scenario's time zone), worked out here from those fields, not by the
 * calendar code the stack uses:
 * <ul>
 *   <li>a {@code resync.started} with trigger {@code scheduled} never comes when the scenario says
 *       {@code automatic: false}, and never inside office hours;</li>
 *   <li>it comes at the first moment outside office hours at or after the VM's latest
 *       {@code resync.required} (at once when that came outside them), or up to {@link #STEP}
 *       later, never earlier. Once the VM had an {@code error} after its requirement (the start
 *       failed and is retried on the ladder, or the requirement itself waits for an
 *       administrator), only "not earlier" is checked;</li>
 *   <li>when automatic, it does come: by that moment plus {@link #STEP}, unless an error of the
 *       VM, an administrator's action on it, a change of its state or the end of the trace comes
 *       first.</li>
 * </ul>
 */
public final class ResyncOutsideOfficeHours implements Invariant {
    public static final String NAME = "resync-outside-office-hours";
    /** How late a scheduled start may come: the stack's checks run every 10 s of simulated time. */
    public static final Duration STEP = Duration.ofSeconds(10);

    @Override
    public String name() {
        return NAME;
    }

    /** A required resync waiting for its scheduled start. */
    private static final class Pending {
        final TraceLine required;
        final long due;
        /** An error, an action or a state change came since: the start may come later than due, or not at all. */
        boolean disturbed;

        Pending(TraceLine required, long due) {
            this.required = required;
            this.due = due;
        }
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        Scenario scenario = run.scenario();
        Resync resync = scenario.effectiveResync();
        OfficeHours office = new OfficeHours(resync.officeHours().days(), resync.officeHours().from(),
                resync.officeHours().to(), resync.officeHours().untilMidnight(), scenario.effectiveZone());
        boolean automatic = !Boolean.FALSE.equals(resync.automatic());
        long step = STEP.toNanos();
        List<Violation> found = new ArrayList<>();
        Map<String, Pending> pending = new HashMap<>(); // lookups only
        Map<String, Pending> watching = new LinkedHashMap<>(); // the undisturbed ones, checked on every line
        for (TraceLine l : run.trace()) {
            for (Iterator<Map.Entry<String, Pending>> it = watching.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Pending> e = it.next();
                Pending p = e.getValue();
                if (p.disturbed || pending.get(e.getKey()) != p) {
                    it.remove();
                } else if (l.t() > p.due + step && !(l.is("resync.started") && e.getKey().equals(l.vm()))) {
                    found.add(new Violation(NAME, p.required.seq(), "the resync " + e.getKey() + " required at "
                            + p.required.time() + " was due to start at " + office.local(p.due) + " (first moment outside office hours "
                            + office + "), but no scheduled resync.started came by " + STEP + " later"));
                    it.remove();
                }
            }
            String vm = l.vm();
            if (vm == null) {
                if (l.is("action")) {
                    pending.values().forEach(p -> p.disturbed = true); // an action on every VM
                }
                continue;
            }
            switch (l.type()) {
                case "resync.required" -> {
                    long due = office.firstMomentOutside(l.t());
                    Pending p = new Pending(l, due);
                    pending.put(vm, p);
                    if (automatic && due != Long.MAX_VALUE) {
                        watching.remove(vm);
                        watching.put(vm, p);
                    }
                }
                case "resync.started" -> {
                    Pending p = pending.remove(vm);
                    if (!"scheduled".equals(l.str("trigger"))) {
                        continue;
                    }
                    if (!automatic) {
                        found.add(new Violation(NAME, l.seq(), "a scheduled resync of " + vm
                                + " started, but the scenario's resync is not automatic (automatic: false)"));
                        continue;
                    }
                    if (office.inside(l.t())) {
                        found.add(new Violation(NAME, l.seq(), "a scheduled resync of " + vm + " started at " + office.local(l.t())
                                + ", inside office hours " + office));
                    } else if (p == null) {
                        continue; // no requirement before it: resync-iff-trigger says so
                    } else if (l.t() < p.due) {
                        found.add(new Violation(NAME, l.seq(), "a scheduled resync of " + vm + " started at " + office.local(l.t())
                                + ", before the first moment outside office hours " + office + " after its resync.required (seq "
                                + p.required.seq() + "): " + office.local(p.due)));
                    } else if (!p.disturbed && l.t() > p.due + step) {
                        found.add(new Violation(NAME, l.seq(), "a scheduled resync of " + vm + " started at " + office.local(l.t())
                                + ", " + Duration.ofNanos(l.t() - p.due) + " after the first moment outside office hours " + office
                                + " after its resync.required (seq " + p.required.seq() + "): " + office.local(p.due)));
                    }
                }
                case "error", "action", "failover.finished" -> disturb(pending, vm);
                case "vm.state" -> {
                    if (!"Resynchronization required".equals(l.str("to"))) {
                        disturb(pending, vm);
                    }
                }
                default -> { }
            }
        }
        return found;
    }

    private static void disturb(Map<String, Pending> pending, String vm) {
        Pending p = pending.get(vm);
        if (p != null) {
            p.disturbed = true;
        }
    }

    /**
     * A weekly window of local time: on each of {@code days} from {@code from} (inclusive) to
     * {@code to} (exclusive), past midnight into the next day when {@code to} is not after
     * {@code from}, to midnight when {@code untilMidnight}.
     */
    record OfficeHours(Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean untilMidnight, ZoneId zone) {

        /** The window that starts on {@code date}, as instants in ns since the epoch, or null on a day without one. */
        private long[] windowOf(LocalDate date) {
            if (!days.contains(date.getDayOfWeek())) {
                return null;
            }
            LocalDateTime start = date.atTime(from);
            LocalDateTime end = untilMidnight ? date.plusDays(1).atStartOfDay()
                    : to.isAfter(from) ? date.atTime(to) : date.plusDays(1).atTime(to);
            return new long[] {nanos(start), nanos(end)};
        }

        private long nanos(LocalDateTime local) {
            Instant at = local.atZone(zone).toInstant();
            return at.getEpochSecond() * 1_000_000_000L + at.getNano();
        }

        /** The window holding {@code t}, or null: it started on t's local date or the day before. */
        private long[] windowAt(long t) {
            LocalDate date = localDate(t);
            for (LocalDate d : new LocalDate[] {date, date.minusDays(1)}) {
                long[] w = windowOf(d);
                if (w != null && w[0] <= t && t < w[1]) {
                    return w;
                }
            }
            return null;
        }

        boolean inside(long t) {
            return windowAt(t) != null;
        }

        /** {@code t} if it is outside the window, else the end of the window (or windows back to back) holding it; MAX_VALUE if never. */
        long firstMomentOutside(long t) {
            for (int i = 0; i < 16; i++) { // a week of back-to-back windows ends within 8
                long[] w = windowAt(t);
                if (w == null) {
                    return t;
                }
                t = w[1];
            }
            return Long.MAX_VALUE;
        }

        private LocalDate localDate(long t) {
            return Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L)).atZone(zone)
                    .toLocalDate();
        }

        String local(long t) {
            return Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L), Math.floorMod(t, 1_000_000_000L)).atZone(zone)
                    .toOffsetDateTime().toString();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (DayOfWeek d : DayOfWeek.values()) {
                if (days.contains(d)) {
                    s.append(s.length() == 0 ? "" : ",").append(d.getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH));
                }
            }
            return s + " " + from + "-" + (untilMidnight ? "24:00" : to.toString());
        }
    }
}
