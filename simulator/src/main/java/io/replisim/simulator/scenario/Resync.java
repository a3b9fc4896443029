package io.replisim.simulator.scenario;

import io.replisim.simulator.calendar.WeeklyHours;

/**
 * How resynchronization runs. No public source fixes these (docs/domain.md, Values replisim chose): by
 * default a required resync starts automatically at the first moment outside office hours (Mon-Fri
 * 09:00-18:00 in the scenario's time zone) and compares blocks of 2 MiB.
 *
 * @param officeHours resync does not start automatically within these hours
 * @param blockSize   the fixed block size whose checksums are compared
 * @param automatic   false: a required resync waits for an administrator's {@code resync} action
 */
public record Resync(WeeklyHours officeHours, DataSize blockSize, Boolean automatic) {
    public static final Resync DEFAULT = new Resync(WeeklyHours.parse("Mon-Fri 09:00-18:00"), DataSize.ofMiB(2), true);

    public Resync withDefaults() {
        return new Resync(officeHours != null ? officeHours : DEFAULT.officeHours,
                blockSize != null ? blockSize : DEFAULT.blockSize, automatic != null ? automatic : DEFAULT.automatic);
    }
}
