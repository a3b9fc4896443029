package io.replisim.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.trace.TraceJson;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the reports of a finished run into its output folder, beside {@code trace.jsonl}. */
public final class RunReports {
    public static final String SUMMARY = "summary.json";
    public static final String REPORT = "report.html";
    public static final String JUNIT = "junit.xml";

    private static final ObjectMapper JSON = TraceJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private RunReports() {}

    /** Writes {@code summary.json}, {@code report.html} and {@code junit.xml}. */
    public static void writeAll(RunRecord run, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeSummary(run, dir.resolve(SUMMARY));
        try (Writer w = Files.newBufferedWriter(dir.resolve(REPORT), StandardCharsets.UTF_8)) {
            HtmlReport.render(run, w);
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(JUNIT), StandardCharsets.UTF_8)) {
            JunitReport.render(run, w);
        }
    }

    public static void writeSummary(RunRecord run, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            JSON.writeValue(w, run);
        }
    }

    /** Reads a run back from its {@code summary.json}. */
    public static RunRecord readSummary(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RunRecord.class);
    }
}
