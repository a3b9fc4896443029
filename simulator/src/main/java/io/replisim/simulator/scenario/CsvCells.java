package io.replisim.simulator.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A CSV text as rows of cells that know where they are, so every bad cell is reported with its line and column. */
public final class CsvCells {
    private CsvCells() {}

    /** A cell and where it is (1-based). */
    public record Cell(String text, int line, int column) {}

    /** The rows of {@code text}, spaces trimmed; blank rows and rows whose first cell starts with {@code #} are left out. */
    public static List<List<Cell>> rows(String text) throws IOException {
        List<List<Cell>> rows = new ArrayList<>();
        try (CsvParser p = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).enable(CsvParser.Feature.TRIM_SPACES)
                .getFactory().createParser(text.replace("\uFEFF", ""))) {
            List<Cell> row = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_ARRAY) {
                    row = new ArrayList<>();
                } else if (t == JsonToken.END_ARRAY) {
                    if (row != null && !(row.size() == 1 && row.get(0).text().isEmpty())
                            && !(row.size() > 0 && row.get(0).text().startsWith("#"))) {
                        rows.add(row);
                    }
                    row = null;
                } else if (t == JsonToken.VALUE_STRING && row != null) {
                    JsonLocation at = p.currentTokenLocation();
                    row.add(new Cell(p.getText(), at.getLineNr(), at.getColumnNr()));
                }
            }
        }
        return rows;
    }
}
