package io.replisim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pointers into the documentation resolve: every relative Markdown link names a file that exists
 * and, with a {@code #anchor}, one of its headings; every section a Java or YAML file names after a
 * page (the page's path, a comma, the heading's first words) is a heading of that page. Code
 * comments point at sections of the domain and architecture pages this way, so renaming a heading
 * must not leave them dangling.
 */
class DocumentationLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> SKIPPED = Set.of("target", "node_modules", "runs", ".git", ".idea", ".vscode");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern SECTION = Pattern.compile("docs/([\\w-]+\\.md), ");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.*)$");

    @Test
    void markdownLinksReachTheirFilesAndHeadings() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path md : files(".md")) {
            Matcher m = LINK.matcher(Files.readString(md));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // a URL
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                Path file = path.isEmpty() ? md : md.getParent().resolve(path).normalize();
                if (!Files.exists(file)) {
                    broken.add(ROOT.relativize(md) + ": " + target + " (no such file)");
                } else if (hash >= 0 && file.toString().endsWith(".md")
                        && headings(file).stream().map(DocumentationLinksTest::anchor).noneMatch(target.substring(hash + 1)::equals)) {
                    broken.add(ROOT.relativize(md) + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void sectionReferencesInSourcesNameHeadings() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> sources = new ArrayList<>(files(".java"));
        sources.addAll(files(".yaml"));
        for (Path source : sources) {
            // comments wrap: join lines, dropping the comment markers at their starts
            String text = Files.readString(source).replaceAll("\\n\\s*(\\*|//|#)?\\s*", " ");
            Matcher m = SECTION.matcher(text);
            while (m.find()) {
                Path doc = ROOT.resolve("docs").resolve(m.group(1));
                String rest = text.substring(m.end(), Math.min(text.length(), m.end() + 80));
                boolean quoted = rest.startsWith("\"");
                String ref = quoted ? rest.substring(1, Math.max(1, rest.indexOf('"', 1)))
                        : rest.replaceFirst("^\\{@code ", "");
                boolean found = Files.exists(doc) && headings(doc).stream()
                        .anyMatch(h -> quoted ? h.startsWith(ref) : ref.startsWith(h));
                if (!found) {
                    broken.add(ROOT.relativize(source) + ": docs/" + m.group(1) + ", " + rest.substring(0, Math.min(rest.length(), 40)));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** The file's headings outside code blocks, backticks dropped. */
    private static List<String> headings(Path md) {
        List<String> out = new ArrayList<>();
        boolean code = false;
        try {
            for (String line : Files.readAllLines(md)) {
                if (line.startsWith("```")) {
                    code = !code;
                    continue;
                }
                Matcher h = HEADING.matcher(line);
                if (!code && h.matches()) {
                    out.add(h.group(1).replace("`", "").strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** GitHub's anchor for a heading: lower case, punctuation but hyphens dropped, spaces as hyphens. */
    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }

    /** The repository's files ending in {@code suffix}, build outputs and installed packages aside. */
    private static List<Path> files(String suffix) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return SKIPPED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.toString().endsWith(suffix)) {
                    out.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(null);
        return out;
    }
}
