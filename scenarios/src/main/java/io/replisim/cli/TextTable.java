package io.replisim.cli;

import java.io.PrintWriter;
import java.util.List;

/** A table on the terminal: columns as wide as their widest cell, two spaces apart. */
final class TextTable {
    private TextTable() {}

    static void print(PrintWriter out, List<List<String>> table) {
        int[] width = new int[table.get(0).size()];
        for (List<String> row : table) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : table) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                sb.append(i == 0 ? "" : "  ").append(String.format("%-" + width[i] + "s", row.get(i)));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
