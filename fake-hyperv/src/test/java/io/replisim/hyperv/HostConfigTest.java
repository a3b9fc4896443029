package io.replisim.hyperv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostConfigTest {

    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void standalonePresetHasOneSixtyFourGibVolumeCAndSixteenGibOfMemory() {
        HostConfig c = HostConfig.standalone("hv01");
        assertEquals("hv01", c.name());
        assertEquals(List.of(VolumeConfig.of("C", 64 * GIB)), c.volumes());
        assertEquals(16 * GIB, c.memoryBudgetBytes());
        assertEquals(Optional.empty(), c.vmmServer());
        assertEquals(Optional.empty(), c.cluster());
    }

    @Test
    void toBuilderRoundTripsAndDerivesVariants() {
        HostConfig c = HostConfig.standalone("hv01").toBuilder().setVmmServer("vmm01").setCluster("clu01")
                .addVolume(VolumeConfig.of("D", GIB)).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(Optional.of("vmm01"), c.vmmServer());
        assertEquals(2, c.volumes().size());
        assertEquals(Optional.empty(), c.toBuilder().clearVmmServer().build().vmmServer());
    }

    @Test
    void settersRejectInvalidValuesAtOnce() {
        HostConfig.Builder b = HostConfig.builder("hv01");
        assertThrows(IllegalArgumentException.class, () -> b.setName("bad name"));
        assertThrows(IllegalArgumentException.class, () -> b.setMemoryBudgetBytes(0));
        b.addVolume(VolumeConfig.of("C", GIB));
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> b.addVolume(VolumeConfig.of("c", GIB)));
        assertTrue(dup.getMessage().contains("already has a volume"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VolumeConfig.of("C", 4097 * 1024));
        assertThrows(IllegalArgumentException.class, () -> VolumeConfig.of("a/b", GIB));
    }

    @Test
    void aHostNeedsAVolume() {
        assertThrows(IllegalStateException.class, () -> HostConfig.builder("hv01").build());
    }
}
