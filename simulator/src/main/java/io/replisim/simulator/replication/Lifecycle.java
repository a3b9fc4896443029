package io.replisim.simulator.replication;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The protection lifecycle of one VM, as Site Recovery and Hyper-V name its states (docs/domain.md,
 * States), with every transition in one table: {@link #TABLE}. {@link #fire} moves the VM only along a
 * listed transition; anything else is a bug in the stack and stops the run with the VM, its state and the
 * event named. {@code docs/lifecycle.md} is generated from the table.
 *
 * <p>The lifecycle is the stack's view; Hyper-V's own state (what the trace's {@code vm.state}
 * shows) follows from what each transition starts. Work inside a state (a delta cycle, a retry on
 * the ladder, a test failover, which leaves the state alone) is the phases' business.
 */
final class Lifecycle {

    /** Where a protected VM stands. */
    enum State {
        NOT_ENABLED("Not enabled"),
        ENABLING_PROTECTION("Enabling protection"),
        INITIAL_REPLICATION_SCHEDULED("Initial replication scheduled"),
        INITIAL_REPLICATION("Initial replication"),
        REPLICATING("Replicating"),
        PREPARED_FOR_PLANNED_FAILOVER("Prepared for planned failover"),
        RESYNCHRONIZATION_REQUIRED("Resynchronization required"),
        RESYNCHRONIZING("Resynchronizing"),
        ERROR("Error"),
        FAILING_OVER("Failing over"),
        FAILOVER_COMPLETE("Failover complete"),
        FAILING_BACK("Failing back"),
        FAILED_BACK("Failed back"),
        REPROTECTING("Reprotecting"),
        DISABLING("Disabling replication"),
        DISABLED("Replication disabled");

        private final String label;

        State(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** What moves a VM from one state to another. */
    enum Event {
        ENABLE_PROTECTION("enable protection"),
        PROTECTED_IN_STEP("protected before the run, replica in step"),
        PROTECTION_ENABLED("Enable protection job done"),
        SCHEDULED_START("the policy's start time"),
        INITIAL_REPLICATION_DONE("initial replication done"),
        RESYNC_REQUIRED("resynchronization required"),
        RESYNC_STARTED("resynchronization starts"),
        RESYNC_DONE("resynchronization done"),
        SOURCE_SHUT_DOWN("planned failover: source shut down"),
        UNPLANNED_FAILOVER("unplanned failover"),
        FAILOVER_DONE("failover VM created"),
        FAILBACK("failback"),
        FAILBACK_DONE("on-premises VM started"),
        REPROTECT("reprotect"),
        REPROTECT_DONE("replica in step again"),
        DISABLE_REPLICATION("disable replication"),
        REPLICATION_DISABLED("Disable replication job done"),
        NON_RECOVERABLE_ERROR("non-recoverable error"),
        RESUMED("administrator resumes");

        private final String label;

        Event(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** What the lifecycle asks of the VM when a guard decides between transitions. */
    interface Facts {
        /** Whether the policy starts initial replication now (its checkpoint is taken already). */
        boolean initialReplicationStartsNow();
    }

    /** A condition on a transition, with the words the table and the diagram show. */
    record Guard(String label, java.util.function.BiPredicate<Lifecycle, Facts> holds) {
        static final Guard ALWAYS = new Guard("", (l, f) -> true);
        static final Guard STARTS_NOW = new Guard("the policy starts it now", (l, f) -> f.initialReplicationStartsNow());
        static final Guard STARTS_LATER = new Guard("the policy starts it later", (l, f) -> !f.initialReplicationStartsNow());

        /** After an error: back to the state it interrupted. */
        static Guard interrupted(State s) {
            return new Guard("interrupted " + s.label(), (l, f) -> l.interrupted == s);
        }
    }

    /** One row of the table: in {@code from}, {@code event} under {@code guard} leads to {@code to}, and starts {@code starts}. */
    record Transition(State from, Event event, Guard guard, State to, String starts) {}

    /** The states in which a non-recoverable error makes the VM wait for an administrator. */
    static final Set<State> CAN_FAIL = EnumSet.of(State.ENABLING_PROTECTION, State.INITIAL_REPLICATION,
            State.REPLICATING, State.PREPARED_FOR_PLANNED_FAILOVER, State.RESYNCHRONIZATION_REQUIRED,
            State.RESYNCHRONIZING, State.FAILING_OVER, State.FAILOVER_COMPLETE, State.FAILING_BACK, State.REPROTECTING,
            State.DISABLING);

    /**
     * Where Hyper-V still tracks writes for this direction of replication, so that a resync can
     * become necessary; once an unplanned failover or disabling has begun, or the VM failed
     * over, nothing will be resynchronized.
     */
    static final Set<State> RESYNC_CAN_BE_REQUIRED = EnumSet.of(State.ENABLING_PROTECTION, State.INITIAL_REPLICATION,
            State.REPLICATING, State.PREPARED_FOR_PLANNED_FAILOVER, State.RESYNCHRONIZING, State.REPROTECTING);
    private static final String RESYNC_PLANNED =
            "work in flight dropped; the resync at the next moment outside office hours (if automatic)";

    /** Every transition there is. */
    static final List<Transition> TABLE = table();

    private static List<Transition> table() {
        List<Transition> t = new ArrayList<>();
        // protection and initial replication
        t.add(row(State.NOT_ENABLED, Event.ENABLE_PROTECTION, State.ENABLING_PROTECTION,
                "Enable protection job: prerequisites, CreateReplicationRelationship, StartReplication"));
        t.add(row(State.NOT_ENABLED, Event.PROTECTED_IN_STEP, State.REPLICATING,
                "a first recovery point; delta cycles (policy: initial replication done before the run)"));
        t.add(new Transition(State.ENABLING_PROTECTION, Event.PROTECTION_ENABLED, Guard.STARTS_NOW, State.INITIAL_REPLICATION,
                "initial replication: disks copied from the checkpoint one after another"));
        t.add(new Transition(State.ENABLING_PROTECTION, Event.PROTECTION_ENABLED, Guard.STARTS_LATER,
                State.INITIAL_REPLICATION_SCHEDULED, "a wait for the policy's start time"));
        t.add(row(State.INITIAL_REPLICATION_SCHEDULED, Event.SCHEDULED_START, State.INITIAL_REPLICATION,
                "StartReplication (the checkpoint), then initial replication"));
        t.add(row(State.INITIAL_REPLICATION, Event.INITIAL_REPLICATION_DONE, State.REPLICATING,
                "Finalize protection job; delta cycles at the copy frequency"));
        // resynchronization
        for (State s : RESYNC_CAN_BE_REQUIRED) {
            t.add(row(s, Event.RESYNC_REQUIRED, State.RESYNCHRONIZATION_REQUIRED, RESYNC_PLANNED));
            t.add(new Transition(State.ERROR, Event.RESYNC_REQUIRED, Guard.interrupted(s), State.RESYNCHRONIZATION_REQUIRED,
                    RESYNC_PLANNED));
        }
        t.add(row(State.RESYNCHRONIZATION_REQUIRED, Event.RESYNC_STARTED, State.RESYNCHRONIZING,
                "Resynchronize job: a new checkpoint, block checksums compared, differing blocks sent"));
        t.add(row(State.RESYNCHRONIZING, Event.RESYNC_DONE, State.REPLICATING,
                "recovery points dropped, a new one; delta cycles"));
        // the failover family
        t.add(row(State.REPLICATING, Event.SOURCE_SHUT_DOWN, State.PREPARED_FOR_PLANNED_FAILOVER,
                "a final cycle ships everything written"));
        t.add(row(State.PREPARED_FOR_PLANNED_FAILOVER, Event.FAILOVER_DONE, State.FAILOVER_COMPLETE,
                "nothing more is replicated; the Azure VM runs"));
        for (State s : List.of(State.INITIAL_REPLICATION, State.REPLICATING, State.RESYNCHRONIZATION_REQUIRED,
                State.RESYNCHRONIZING, State.REPROTECTING, State.ERROR)) {
            t.add(row(s, Event.UNPLANNED_FAILOVER, State.FAILING_OVER,
                    "replication stops, the source is off; Unplanned failover job creates the Azure VM"));
        }
        t.add(row(State.FAILING_OVER, Event.FAILOVER_DONE, State.FAILOVER_COMPLETE,
                "nothing more is replicated; the Azure VM runs"));
        t.add(row(State.FAILOVER_COMPLETE, Event.FAILBACK, State.FAILING_BACK,
                "Planned failover job from Azure: differing (or all) blocks come back"));
        t.add(row(State.FAILING_BACK, Event.FAILBACK_DONE, State.FAILED_BACK, "the on-premises VM runs"));
        t.add(row(State.FAILED_BACK, Event.REPROTECT, State.REPROTECTING,
                "Reprotect job: a new relationship and checkpoint, the replica brought up to date by block comparison"));
        t.add(row(State.REPROTECTING, Event.REPROTECT_DONE, State.REPLICATING, "a recovery point; delta cycles"));
        // disabling
        for (State s : EnumSet.complementOf(EnumSet.of(State.NOT_ENABLED, State.DISABLING, State.DISABLED))) {
            t.add(row(s, Event.DISABLE_REPLICATION, State.DISABLING,
                    "replication stops; Disable replication job removes the relationship and the replica"));
        }
        t.add(row(State.DISABLING, Event.REPLICATION_DISABLED, State.DISABLED, "nothing"));
        // errors that need an administrator
        for (State s : CAN_FAIL) {
            t.add(row(s, Event.NON_RECOVERABLE_ERROR, State.ERROR, "a wait for an administrator"));
        }
        t.add(row(State.ERROR, Event.NON_RECOVERABLE_ERROR, State.ERROR, "the failed operation joins those to run again"));
        for (State s : CAN_FAIL) {
            t.add(new Transition(State.ERROR, Event.RESUMED, Guard.interrupted(s), s, "the failed operations, again"));
        }
        return List.copyOf(t);
    }

    private static Transition row(State from, Event event, State to, String starts) {
        return new Transition(from, event, Guard.ALWAYS, to, starts);
    }

    private final String vm;
    private final Facts facts;
    private State state = State.NOT_ENABLED;
    /** In {@link State#ERROR}: the state the error interrupted, where a resume returns. */
    private State interrupted;
    /** Whether delta replication began since protection was (re)enabled: initial replication or its resync is over. */
    private boolean deltaBegan;

    Lifecycle(String vm, Facts facts) {
        this.vm = vm;
        this.facts = facts;
    }

    State state() {
        return state;
    }

    boolean is(State s) {
        return state == s;
    }

    /** In {@link State#ERROR}: the state the error interrupted; otherwise the state itself. */
    State underlying() {
        return state == State.ERROR ? interrupted : state;
    }

    /** Whether delta replication has begun since protection was enabled or reprotected. */
    boolean deltaBegan() {
        return deltaBegan;
    }

    /** Whether {@code event} would move the VM (some transition from here is listed and its guard holds). */
    boolean allows(Event event) {
        return find(event) != null;
    }

    /** Moves the VM along the listed transition for {@code event}; an unlisted one is a bug in the stack. */
    Transition fire(Event event) {
        Transition t = find(event);
        if (t == null) {
            throw new IllegalStateException("internal error: VM " + vm + " in state '" + state.label()
                    + "' has no transition for '" + event.label() + "' (see docs/lifecycle.md)");
        }
        if (t.to() == State.ERROR && state != State.ERROR) {
            interrupted = state;
        } else if (t.to() != State.ERROR) {
            interrupted = null;
        }
        if (t.to() == State.REPLICATING) {
            deltaBegan = true;
        } else if (t.to() == State.REPROTECTING) {
            deltaBegan = false;
        }
        state = t.to();
        return t;
    }

    private Transition find(Event event) {
        for (Transition t : TABLE) {
            if (t.from() == state && t.event() == event && t.guard().holds().test(this, facts)) {
                return t;
            }
        }
        return null;
    }
}
