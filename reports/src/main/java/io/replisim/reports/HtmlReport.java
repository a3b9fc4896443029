package io.replisim.reports;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.replisim.simulator.run.RunRecord;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: a self-contained page (no CDN, no script) rendered by Mustache, which
 * escapes every value, so scenario-supplied text cannot inject markup.
 */
final class HtmlReport {
    private static final Mustache TEMPLATE =
            new DefaultMustacheFactory("io/replisim/reports").compile("report.html.mustache");

    private HtmlReport() {}

    static void render(RunRecord run, Writer out) throws IOException {
        TEMPLATE.execute(out, model(run)).flush();
    }

    private static Map<String, Object> model(RunRecord run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", run);
        m.put("verdict", run.passed() ? "passed" : "failed");
        m.put("duration", human(run.duration()));
        m.put("simulated", human(run.simulated()));
        List<Map<String, Object>> vms = new ArrayList<>();
        for (RunRecord.VmSummary vm : run.vms()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("vm", vm);
            v.put("timeToReplicating", vm.timeToReplicating() == null ? "never" : human(vm.timeToReplicating()));
            v.put("bytesSent", Bytes.human(vm.bytesSent()));
            v.put("irBytes", Bytes.human(vm.initialReplicationBytes()));
            v.put("logBytes", Bytes.human(vm.logBytesShipped()));
            v.put("rpo", vm.rpo() == null ? "none yet"
                    : human(vm.rpo().p50()) + " / " + human(vm.rpo().p95()) + " / " + human(vm.rpo().max()));
            vms.add(v);
        }
        m.put("vms", vms);
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (RunRecord.JobRow j : run.jobs()) {
            jobs.add(Map.of("job", j, "duration", j.duration() == null ? "" : human(j.duration())));
        }
        m.put("jobs", jobs);
        return m;
    }

    static String human(Duration d) {
        if (d == null) {
            return "";
        }
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        StringBuilder sb = new StringBuilder();
        if (s >= 86400) {
            sb.append(s / 86400).append("d ");
        }
        if (s >= 3600) {
            sb.append(s % 86400 / 3600).append("h ");
        }
        sb.append(s % 3600 / 60).append("m");
        if (s % 60 != 0 && s < 3600) {
            sb.append(' ').append(s % 60).append('s');
        }
        return sb.toString().trim();
    }

    /** Byte counts for people. */
    static final class Bytes {
        private Bytes() {}

        static String human(long bytes) {
            String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
            double v = bytes;
            int i = 0;
            while (v >= 1024 && i < units.length - 1) {
                v /= 1024;
                i++;
            }
            return i == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[i]);
        }
    }
}
