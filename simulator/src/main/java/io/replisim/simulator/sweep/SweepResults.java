package io.replisim.simulator.sweep;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A sweep's output folder: {@code results.csv} (one row per point, in point order, written
 * whole at the end) and {@code results.partial.csv} (rows appended as points finish, so that an
 * interrupted sweep resumes where it stopped). A point whose scenario text and seed already have
 * a row in either is not run again.
 */
public final class SweepResults {
    public static final String RESULTS = "results.csv";
    static final String PARTIAL = "results.partial.csv";
    private static final CsvMapper CSV = new CsvMapper();

    private SweepResults() {}

    /** The header of a sweep's results: point, the grid's paths, the figures. */
    public static List<String> header(Sweep sweep) {
        List<String> h = new ArrayList<>();
        h.add("point");
        sweep.axes().forEach(a -> h.add(a.path()));
        h.addAll(SweepRow.FIGURES);
        return h;
    }

    /**
     * Runs what {@code out} does not hold yet on {@code engine} and writes results.csv; returns
     * every point's row in order. {@code progress} hears of each row as it finishes (and of those
     * found), with how many points are done.
     */
    public static List<SweepRow> run(Sweep sweep, Path out, SweepEngine engine, Progress progress) throws Exception {
        Files.createDirectories(out);
        List<SweepTask> tasks = sweep.tasks();
        Map<String, SweepRow> found = new HashMap<>();
        for (String name : List.of(RESULTS, PARTIAL)) {
            for (List<String> cells : read(out.resolve(name))) {
                SweepRow row = rowOrNull(cells, sweep.axes().size());
                if (row != null) {
                    found.put(row.key(), row);
                }
            }
        }
        List<SweepTask> todo = new ArrayList<>();
        int[] done = {0};
        for (SweepTask t : tasks) {
            if (!found.containsKey(t.key())) {
                todo.add(t);
            } else {
                done[0]++;
            }
        }
        progress.started(tasks.size(), done[0]);
        Path partial = out.resolve(PARTIAL);
        try (Writer w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             SequenceWriter csv = CSV.writer().writeValues(w)) {
            Consumer<SweepRow> finished = row -> {
                synchronized (csv) {
                    try {
                        csv.write(row.cells());
                        csv.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    progress.finished(row, ++done[0], tasks.size());
                }
            };
            for (SweepRow row : engine.run(todo, finished)) {
                found.put(row.key(), row);
            }
        }
        List<SweepRow> rows = new ArrayList<>();
        for (SweepTask t : tasks) {
            rows.add(found.get(t.key()).at(t.index(), t.values()));
        }
        write(out.resolve(RESULTS), header(sweep), rows);
        Files.deleteIfExists(partial);
        engine.written(sweep, rows, out);
        return rows;
    }

    /** Writes the rows as CSV through a temporary file, so a reader never sees half of it. */
    public static void write(Path file, List<String> header, List<SweepRow> rows) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8); SequenceWriter csv = CSV.writer().writeValues(w)) {
            csv.write(header);
            for (SweepRow row : rows) {
                csv.write(row.cells());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads back results.csv (without its header). */
    public static List<SweepRow> read(Path file, int axes) throws IOException {
        List<SweepRow> rows = new ArrayList<>();
        for (List<String> cells : read(file)) {
            SweepRow row = rowOrNull(cells, axes);
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<List<String>> read(Path file) throws IOException {
        List<List<String>> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(file.toFile())) {
            while (it.hasNextValue()) {
                lines.add(it.nextValue());
            }
        } catch (RuntimeException e) {
            // a line cut off by an interrupted sweep: what came before it still counts
        }
        return lines;
    }

    /** A row, or null for the header or a line that is not one of this sweep's (another grid, cut off). */
    private static SweepRow rowOrNull(List<String> cells, int axes) {
        if (cells.size() != 1 + axes + SweepRow.FIGURES.size()) {
            return null;
        }
        try {
            return SweepRow.of(cells, axes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Who is told how far a sweep got. */
    public interface Progress {
        Progress NONE = new Progress() {};

        default void started(int points, int alreadyDone) {}

        default void finished(SweepRow row, int done, int points) {}
    }
}
