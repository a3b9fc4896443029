package io.replisim.reports;

import io.replisim.simulator.run.RunRecord;
import java.io.Writer;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The run's expectations as a JUnit XML test suite, so CI servers show them as tests. The suite
 * is named after the scenario; every expectation is a test case; {@code time} is 0 because the
 * file, like the trace, must not depend on the wall clock.
 */
final class JunitReport {
    private JunitReport() {}

    static void render(RunRecord run, Writer out) throws java.io.IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            long failures = run.expectations().stream().filter(e -> !e.passed()).count();
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", "replisim." + run.scenario());
            x.writeAttribute("tests", Integer.toString(run.expectations().size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", "0");
            x.writeAttribute("time", "0");
            x.writeCharacters("\n  ");
            x.writeStartElement("properties");
            property(x, "replisim.version", run.replisim() == null ? "unknown" : run.replisim());
            property(x, "trace.format", Integer.toString(run.traceFormat()));
            property(x, "seed", Long.toString(run.seed()));
            property(x, "fidelity", run.fidelity());
            property(x, "azure", run.azure());
            if (run.azuriteLauncher() != null) {
                property(x, "azuriteLauncher", run.azuriteLauncher());
            }
            x.writeEndElement();
            for (RunRecord.ExpectationResult e : run.expectations()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testcase");
                x.writeAttribute("classname", "replisim." + run.scenario());
                x.writeAttribute("name", e.name());
                x.writeAttribute("time", "0");
                if (!e.passed()) {
                    x.writeStartElement("failure");
                    x.writeAttribute("message", e.detail());
                    x.writeCharacters(e.name() + ": " + e.detail() + (run.reproduce() == null ? "" : "\nreproduce: " + run.reproduce()));
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new java.io.IOException("cannot write junit.xml", e);
        }
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value == null ? "" : value);
    }
}
