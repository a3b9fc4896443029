package io.replisim.simulator.hunt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resync, a failback and a reprotect send exactly the blocks that differ (docs/domain.md,
 * Resynchronization): {@code blocksCompared} is every block of the VM's disks at the scenario's
 * block size, and {@code blocksSent} is the number of blocks in which the two sides differed when
 * the comparison began, as {@link GroundTruthProbe} counted them by reading both sides' bytes;
 * at most that many when an error interrupted it (the stack compares again from where it
 * stopped); every block for a failback with {@code sync: full}. A failback leaves the
 * on-premises disks equal to the Azure VM's. Without ground truth (a trace checked alone) or in
 * content-free fidelities, only what can be told is judged.
 */
public final class SendsOnlyDifferingBlocks implements Invariant {
    public static final String NAME = "sends-only-differing-blocks";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> check(RunEvidence run) {
        List<Violation> found = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>(); // "vm/type" -> occurrences so far; lookups only
        long blockBytes = run.scenario().effectiveResync().blockSize().bytes();
        for (TraceLine l : run.trace()) {
            if (!l.is("resync.finished") && !l.is("failback.finished") && !l.is("reprotect.finished")) {
                continue;
            }
            int n = seen.merge(l.vm() + "/" + l.type(), 1, Integer::sum);
            Optional<GroundTruth.BlockComparison> fact = run.truth().comparison(l.vm(), l.type(), n);
            String what = l.type().substring(0, l.type().indexOf('.')) + " of " + l.vm();
            long compared = l.num("blocksCompared");
            long sent = l.num("blocksSent");
            if (l.num("bytesSent") > sent * blockBytes) {
                found.add(new Violation(NAME, l.seq(), what + " sent " + l.num("bytesSent") + " bytes in " + sent
                        + " blocks of " + blockBytes + " bytes"));
            }
            if (fact.isEmpty()) {
                continue;
            }
            GroundTruth.BlockComparison truth = fact.get();
            if (compared != truth.blocks()) {
                found.add(new Violation(NAME, l.seq(), what + " compared " + compared + " blocks, but its disks have "
                        + truth.blocks() + " blocks of " + blockBytes + " bytes"));
            }
            boolean full = "full".equals(l.str("sync"));
            long due = full ? truth.blocks() : truth.differing();
            if (due >= 0) {
                boolean wrong = truth.interrupted() && !full ? sent > due : sent != due;
                if (wrong) {
                    found.add(new Violation(NAME, l.seq(), what + " sent " + sent + " blocks, but "
                            + (full ? "a full sync sends all " + due : due + " of " + truth.blocks() + " differed when it began"
                            + (truth.interrupted() ? " (it was interrupted: at most that many are left)" : ""))));
                }
            }
            if (Boolean.FALSE.equals(truth.equalAfter())) {
                found.add(new Violation(NAME, l.seq(), what + " finished, but the on-premises disks differ from the Azure VM's"));
            }
        }
        return found;
    }
}
