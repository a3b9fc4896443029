package io.replisim.simulator.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TraceJsonTest {
    @Test
    void linesCarrySeqTimeTypeThenFieldsInOrderWithoutNulls() {
        StringWriter out = new StringWriter();
        TraceJson json = new TraceJson(out, Instant.parse("2026-01-05T07:00:00Z"), ZoneId.of("Europe/Amsterdam"));
        long[] now = {90_500_000_000L};
        Trace trace = new Trace(() -> now[0]).addSink(json);
        trace.emit(new TraceEvent.TransferFinished("hv01", "app01", "os", "log/app01/os/3", "log", 1024, Duration.ofSeconds(61)));
        trace.emit(new TraceEvent.ReplicaVerified("hv01", "app01", "os", "sha256", "ab", null, false));
        assertEquals("""
                {"seq":0,"t":"2026-01-05T08:01:30.5+01:00","type":"transfer.finished","host":"hv01","vm":"app01","disk":"os","transfer":"log/app01/os/3","kind":"log","bytes":1024,"duration":"PT1M1S"}
                {"seq":1,"t":"2026-01-05T08:01:30.5+01:00","type":"replica.verified","host":"hv01","vm":"app01","disk":"os","method":"sha256","sourceSha256":"ab","matches":false}
                """, out.toString());
    }
}
