package io.replisim.simulator.kernel;

/** Something scheduled on the kernel; {@link #name()} labels it for traces and debugging. */
@FunctionalInterface
public interface Action {

    void run();

    /** Override to give lambdas and anonymous classes a readable label. */
    default String name() {
        return getClass().getSimpleName();
    }
}
