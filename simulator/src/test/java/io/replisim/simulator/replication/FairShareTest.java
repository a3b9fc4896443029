package io.replisim.simulator.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VMs competing for one uplink, through the real kernel and stack. */
class FairShareTest {
    private static final String TWO_VMS = RunFixture.SMALL.replace("DURATION", "30m").replace("""
                    - name: vm1
                      disks:
                        - { name: os, size: 16MiB, churn: { rate: 256KiB/min } }
            """, """
                    - name: vm1
                      disks:
                        - { name: os, size: 16MiB, churn: { rate: 256KiB/min } }
                    - name: vm2
                      disks:
                        - { name: os, size: 16MiB, churn: { rate: 256KiB/min } }
            """);

    private static List<Duration> initialCopies(RunFixture run) {
        return run.ofType("transfer.finished").stream().filter(t -> t.get("kind").asText().equals("initial"))
                .map(t -> Duration.parse(t.get("duration").asText())).toList();
    }

    @Test
    void twoVmsSharingAnUplinkGetEqualShares() throws Exception {
        assertTrue(TWO_VMS.contains("vm2"), "fixture");
        List<Duration> shared = initialCopies(RunFixture.run(TWO_VMS));
        List<Duration> alone = initialCopies(RunFixture.run(RunFixture.small("30m", "")));
        assertEquals(2, shared.size());
        assertEquals(shared.get(0), shared.get(1), "both copies start together and get the same share");
        // 16 MiB at 20 Mbps takes 6.71 s alone; sharing the link halves each VM's rate
        assertEquals(Duration.ofNanos(6_710_886_400L), alone.get(0));
        assertEquals(alone.get(0).multipliedBy(2), shared.get(0));
    }
}
