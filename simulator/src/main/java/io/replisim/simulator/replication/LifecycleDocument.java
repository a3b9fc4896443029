package io.replisim.simulator.replication;

import io.replisim.simulator.replication.Lifecycle.State;
import io.replisim.simulator.replication.Lifecycle.Transition;

/**
 * {@code docs/lifecycle.md}, written from {@link Lifecycle#TABLE}: a Mermaid state diagram and
 * the table itself. {@code LifecycleTest} keeps the committed file current.
 */
final class LifecycleDocument {
    private LifecycleDocument() {}

    static String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("""
                # The protection lifecycle

                <!-- Generated from simulator/src/main/java/io/replisim/simulator/replication/Lifecycle.java
                     by LifecycleTest; do not edit: change the table and regenerate with
                     mvn -B -pl simulator -am test -Dtest=LifecycleTest -Dsurefire.failIfNoSpecifiedTests=false -Dreplisim.writeDocs=true -->

                Every protected VM moves through these states, and only along the transitions below.
                The table lives in one place, `Lifecycle.TABLE`; the stack fires an event at each step
                and a transition that is not listed stops the run as an internal error naming the VM,
                its state and the event (exit code 3), so a bug shows where it starts instead of
                leaving a VM in a combination of flags nobody can enumerate.

                The states are the stack's view, in Site Recovery's and Hyper-V's words. Hyper-V's own
                state, which the trace's `vm.state` events show, follows from what each transition
                starts: *Initial replication* is Hyper-V's *Waiting to complete initial replication*;
                *Enabling protection* passes through *Not enabled* and *Ready for replication*;
                *Initial replication scheduled* is *Ready for replication*; *Failing over*, *Failing
                back*, *Failed back*, *Reprotecting* and *Disabling replication* are Site Recovery jobs
                running or done, during which Hyper-V shows the state the job found or made. Hyper-V's
                *Paused* and *Resynchronization suspended* never occur: no action pauses replication.

                Work inside a state is the phases' business and not a transition: a delta cycle, a
                retry on the ladder after a recoverable error (1, 2, 4, 8, 10 minutes, then every 30), a
                test failover and its cleanup, a commit.

                *Error* is where a non-recoverable error leaves the VM until an administrator's
                `resume`: it remembers the state the error interrupted, and a resume returns there and
                runs the failed operations again. A resynchronization requirement, an unplanned
                failover or disabling replication also end the wait. A manual `resync` counts as the
                administrator's act when the VM waits with a resynchronization required.

                A resynchronization can only be required while Hyper-V tracks writes for this direction
                of replication (the states that have a *resynchronization required* transition, or an
                Error that interrupted one of them); once an unplanned failover or disabling began, or
                the VM failed over, resync triggers are ignored.

                ## Diagram

                ```mermaid
                """);
        b.append(mermaid());
        b.append("```\n\n## Transitions\n\n");
        b.append(table());
        return b.toString();
    }

    /** The table as a Mermaid state diagram. */
    static String mermaid() {
        StringBuilder b = new StringBuilder("stateDiagram-v2\n");
        b.append("    [*] --> ").append(State.NOT_ENABLED.name()).append('\n');
        for (State s : State.values()) {
            b.append("    state \"").append(s.label()).append("\" as ").append(s.name()).append('\n');
        }
        for (Transition t : Lifecycle.TABLE) {
            b.append("    ").append(t.from().name()).append(" --> ").append(t.to().name()).append(" : ").append(t.event().label());
            if (!t.guard().label().isEmpty()) {
                b.append(" [").append(t.guard().label()).append(']');
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The table as Markdown: from, event, guard, to, what it starts. */
    static String table() {
        StringBuilder b = new StringBuilder("| from | event | guard | to | starts |\n|---|---|---|---|---|\n");
        for (Transition t : Lifecycle.TABLE) {
            b.append("| ").append(t.from().label()).append(" | ").append(t.event().label()).append(" | ")
                    .append(t.guard().label()).append(" | ").append(t.to().label()).append(" | ").append(t.starts())
                    .append(" |\n");
        }
        return b.toString();
    }
}
