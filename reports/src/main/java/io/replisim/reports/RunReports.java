package io.replisim.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.replisim.simulator.run.RunRecord;
import io.replisim.simulator.trace.TraceJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the reports of a finished run into its output folder, beside {@code trace.jsonl}, and
 * renders them again from a run folder alone ({@code summary.json} + {@code trace.jsonl}).
 */
public final class RunReports {
    public static final String TRACE = "trace.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String REPORT = "report.html";
    public static final String JUNIT = "junit.xml";

    private static final ObjectMapper JSON = TraceJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private RunReports() {}

    /**
     * Removes a run's outputs left in {@code dir} by an earlier run, so that a run that stops
     * half-way leaves no complete-looking file that is not its own.
     */
    public static void clearOutputs(Path dir) throws IOException {
        for (String name : List.of(TRACE, SUMMARY, REPORT, JUNIT)) {
            Files.deleteIfExists(dir.resolve(name));
            Files.deleteIfExists(dir.resolve(name + ".partial"));
        }
    }

    /**
     * Writes {@code summary.json}, {@code report.html} and {@code junit.xml}. The charts come from
     * the folder's {@code trace.jsonl} when it is this run's; without it the page has the tables only.
     */
    public static void writeAll(RunRecord run, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeSummary(run, dir.resolve(SUMMARY));
        RunTimeline timeline = null;
        String note = null;
        Path trace = dir.resolve(TRACE);
        if ("none".equals(run.trace())) {
            note = "this run wrote no trace (--trace none); the state timeline and the event tables need one.";
        } else if (!Files.isRegularFile(trace)) {
            note = "there is no " + TRACE + " beside this page.";
        } else {
            try {
                timeline = RunTimeline.read(trace);
                note = mismatch(run, timeline);
                if (note != null) {
                    timeline = null;
                }
            } catch (RunTimeline.TraceFormatException e) {
                note = e.getMessage();
            }
        }
        writeReports(run, timeline, note, dir);
    }

    /** Renders {@code report.html} and {@code junit.xml} again from a run folder's summary and trace. */
    public static void rerender(Path dir) throws RunFolderException, IOException {
        RunRecord run = readFolder(dir);
        if ("none".equals(run.trace())) {
            writeReports(run, null, "this run wrote no trace (--trace none); the state timeline and the event tables need one.", dir);
            return;
        }
        RunTimeline timeline;
        try {
            timeline = RunTimeline.read(dir.resolve(TRACE));
        } catch (RunTimeline.TraceFormatException e) {
            throw new RunFolderException(e.getMessage());
        }
        String mismatch = mismatch(run, timeline);
        if (mismatch != null) {
            throw new RunFolderException(dir.resolve(TRACE) + ": " + mismatch);
        }
        writeReports(run, timeline, null, dir);
    }

    /** Checks that {@code dir} is a run folder and reads its summary. */
    public static RunRecord readFolder(Path dir) throws RunFolderException, IOException {
        if (!Files.isDirectory(dir)) {
            throw new RunFolderException(dir + ": not a folder");
        }
        if (!Files.isRegularFile(dir.resolve(SUMMARY))) {
            throw new RunFolderException(dir + ": no " + SUMMARY + " (expected a run folder written by 'replisim run')");
        }
        RunRecord run;
        try {
            run = readSummary(dir.resolve(SUMMARY));
        } catch (JsonProcessingException e) {
            throw new RunFolderException(dir.resolve(SUMMARY) + ": not a run summary ("
                    + e.getOriginalMessage() + (e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr()) + ")");
        }
        if (!"none".equals(run.trace()) && !Files.isRegularFile(dir.resolve(TRACE))) {
            throw new RunFolderException(dir + ": no " + TRACE + " (expected a run folder written by 'replisim run')");
        }
        return run;
    }

    private static String mismatch(RunRecord run, RunTimeline timeline) {
        if (timeline.scenario() == null) {
            return "the trace has no run.started event.";
        }
        if (!timeline.scenario().equals(run.scenario()) || timeline.seed() != run.seed()) {
            return "the trace is of another run (" + timeline.scenario() + ", seed " + timeline.seed() + ").";
        }
        return null;
    }

    private static void writeReports(RunRecord run, RunTimeline timeline, String note, Path dir) throws IOException {
        AtomicOutput.write(dir.resolve(REPORT), w -> HtmlReport.render(run, timeline, note, w));
        AtomicOutput.write(dir.resolve(JUNIT), w -> JunitReport.render(run, w));
    }

    public static void writeSummary(RunRecord run, Path file) throws IOException {
        AtomicOutput.write(file, w -> JSON.writeValue(w, run));
    }

    /** Reads a run back from its {@code summary.json}. */
    public static RunRecord readSummary(Path file) throws IOException {
        return JSON.readValue(file.toFile(), RunRecord.class);
    }
}
