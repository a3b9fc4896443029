package io.replisim.reports;

import java.io.StringWriter;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A small SVG writer over the JDK's {@link XMLStreamWriter}, which escapes every text and
 * attribute value: names from a scenario or a trace can never become markup. Attributes are
 * given as name, value pairs.
 */
final class Svg {
    static final String NS = "http://www.w3.org/2000/svg";

    private final StringWriter buffer = new StringWriter();
    private final XMLStreamWriter x;

    /** Opens the root {@code <svg>}: a chart {@code width} by {@code height} user units that scales to its box. */
    Svg(String chart, double width, double height, String label) {
        try {
            x = XMLOutputFactory.newFactory().createXMLStreamWriter(buffer);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        open("svg", "xmlns", NS, "class", "chart", "data-chart", chart, "viewBox", "0 0 " + num(width) + " " + num(height),
                "role", "img", "aria-label", label);
        text("title", label);
    }

    Svg open(String element, String... attributes) {
        try {
            x.writeStartElement(element);
            attributes(attributes);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    Svg close() {
        try {
            x.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** An element without content. */
    Svg empty(String element, String... attributes) {
        return open(element, attributes).close();
    }

    /** An element holding {@code text}. */
    Svg text(String element, String text, String... attributes) {
        open(element, attributes);
        try {
            x.writeCharacters(text == null ? "" : text);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return close();
    }

    /** An element holding {@code text}, with a hover tooltip ({@code <title>}). */
    Svg titledText(String element, String text, String title, String... attributes) {
        open(element, attributes);
        text("title", title);
        try {
            x.writeCharacters(text == null ? "" : text);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return close();
    }

    /** An element with a hover tooltip ({@code <title>}). */
    Svg withTitle(String element, String title, String... attributes) {
        return open(element, attributes).text("title", title).close();
    }

    /** Closes the root and returns the markup. */
    String finish() {
        try {
            x.writeEndElement();
            x.flush();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return buffer.toString();
    }

    private void attributes(String[] attributes) throws XMLStreamException {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                x.writeAttribute(attributes[i], attributes[i + 1]);
            }
        }
    }

    /** A coordinate with at most one decimal, locale-independent. */
    static String num(double v) {
        long tenths = Math.round(v * 10);
        if (tenths % 10 == 0) {
            return Long.toString(tenths / 10);
        }
        return String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }

    /** Path data ({@code d}): numbers and commands only. */
    static final class Path {
        private final StringBuilder d = new StringBuilder();

        Path move(double x, double y) {
            return cmd('M', x, y);
        }

        Path line(double x, double y) {
            return cmd('L', x, y);
        }

        Path closePath() {
            d.append('Z');
            return this;
        }

        boolean isEmpty() {
            return d.length() == 0;
        }

        private Path cmd(char c, double x, double y) {
            d.append(c).append(num(x)).append(',').append(num(y));
            return this;
        }

        @Override
        public String toString() {
            return d.toString();
        }
    }
}
