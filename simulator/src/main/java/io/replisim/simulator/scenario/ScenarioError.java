package io.replisim.simulator.scenario;

import java.nio.file.Path;

/**
 * One located problem in a scenario file: where (file, line, column), which field (its path
 * from the document root, e.g. {@code site.hosts[0].vms[0].disks[0].size}) and what was wrong.
 * Line and column are 1-based; 0 when unknown.
 */
public record ScenarioError(Path file, int line, int column, String fieldPath, String message) {

    /** {@code file:line:column: field: message}, the form editors and CI logs understand. */
    public String format() {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (fieldPath != null && !fieldPath.isEmpty()) {
            sb.append(fieldPath).append(": ");
        }
        return sb.append(message).toString();
    }
}
