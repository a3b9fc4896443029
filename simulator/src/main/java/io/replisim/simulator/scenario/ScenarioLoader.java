package io.replisim.simulator.scenario;

import io.replisim.simulator.calendar.WeeklyHours;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads scenario files: YAML with human units, unknown fields rejected, every problem located
 * (file:line:column, the field's path, what was expected). Never lets a parser exception out.
 */
public final class ScenarioLoader {

    private final ObjectMapper mapper;

    public ScenarioLoader() {
        SimpleModule units = new SimpleModule("replisim-units");
        units.addDeserializer(Duration.class, unit(Duration.class, Units::duration));
        units.addDeserializer(DataSize.class, unit(DataSize.class, DataSize::parse));
        units.addDeserializer(Bandwidth.class, unit(Bandwidth.class, Bandwidth::parse));
        units.addDeserializer(DataRate.class, unit(DataRate.class, DataRate::parse));
        units.addDeserializer(WeeklyHours.class, unit(WeeklyHours.class, WeeklyHours::parse));
        units.addDeserializer(Count.class, new CountDeserializer());
        units.addDeserializer(Spread.class, new SpreadDeserializer(null));
        YAMLFactory yaml = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.mapper = JsonMapper.builder(yaml)
                .addModule(new JavaTimeModule())
                .addModule(units)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .build();
    }

    /** Loads and validates a scenario file. */
    public Scenario load(Path file) throws ScenarioException {
        return parse(file, read(file));
    }

    /** A file's text, which must be UTF-8; a problem names the file. */
    public static String read(Path file) throws ScenarioException {
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return decoder.decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw single(file, "file not found");
        } catch (CharacterCodingException e) {
            throw single(file, "not a UTF-8 text file");
        } catch (IOException e) {
            throw single(file, "cannot read the file: " + e.getMessage());
        }
    }

    /**
     * Scenario text as a tree (aliases resolved), for tools that derive scenarios from one (a
     * sweep sets fields by their paths); {@link #parse} binds and validates what they make.
     */
    public JsonNode tree(String text) throws IOException {
        return Aliases.used(text) ? Aliases.resolve(text) : mapper.readTree(text);
    }

    /**
     * Binds YAML text to {@code type} with the scenario's units, strictness and aliases; a
     * problem is reported located in {@code file}. Other files in the scenario's style (a
     * planner's plan) bind with it too.
     */
    public <T> T bind(Path file, String text, Class<T> type, String emptyMessage) throws ScenarioException {
        if (text.isBlank()) {
            throw single(file, emptyMessage);
        }
        T bound;
        boolean aliased = Aliases.used(text);
        try {
            // Jackson's YAML parser does not resolve aliases (*name): a document that uses them is
            // composed by SnakeYAML first, and its problems are located by their paths
            bound = aliased ? mapper.treeToValue(Aliases.resolve(text), type) : mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            ScenarioError error = describe(file, e);
            if (!aliased && !(e instanceof UnrecognizedPropertyException)) {
                throw new ScenarioException(List.of(error));
            }
            // Jackson buffers record properties, so its location is the mapping's end: point at the key instead.
            YamlLocator locator = new YamlLocator(text);
            int[] at = e instanceof UnrecognizedPropertyException ? locator.locateKey(error.fieldPath()) : locator.locate(error.fieldPath());
            throw new ScenarioException(List.of(new ScenarioError(file, at[0], at[1], error.fieldPath(), error.message())));
        } catch (RuntimeException e) {
            // A malformed document can trip the YAML parser itself; still report it located.
            throw single(file, "not a valid YAML document: " + e.getMessage());
        }
        if (bound == null) {
            throw single(file, emptyMessage);
        }
        return bound;
    }

    /** Parses and validates scenario text; {@code file} names it in messages. */
    public Scenario parse(Path file, String text) throws ScenarioException {
        String empty = "the file is empty: expected a scenario with name, start, duration and site";
        Scenario scenario = bind(file, text, Scenario.class, empty);
        YamlLocator[] parsed = new YamlLocator[1]; // parsed again only when there is a problem to locate
        java.util.function.Supplier<YamlLocator> locate = () -> parsed[0] != null ? parsed[0] : (parsed[0] = new YamlLocator(text));
        throwLocated(file, locate, new ScenarioValidator(path -> locate.get().scalar(path)).templates(scenario), java.util.Map.of());
        FleetExpansion.Result expanded = FleetExpansion.expand(scenario, file);
        scenario = expanded.scenario();
        throwLocated(file, locate, new ScenarioValidator(path -> locate.get().scalar(path)).validate(scenario), expanded.origins());
        throwLocated(file, locate, missingFiles(file, scenario), expanded.origins());
        return withProfiles(file, scenario);
    }

    /** The CSV profiles the scenario names that do not exist, each at the line that names it. */
    private static List<ScenarioValidator.Problem> missingFiles(Path file, Scenario scenario) {
        Path dir = file.toAbsolutePath().getParent();
        List<ScenarioValidator.Problem> missing = new ArrayList<>();
        java.util.function.BiConsumer<String, String> check = (path, name) -> {
            Path csv = dir == null ? Path.of(name) : dir.resolve(name).normalize();
            if (!Files.isRegularFile(csv)) {
                missing.add(new ScenarioValidator.Problem(path, "'" + name + "': no such file (looked for " + csv + ")"));
            }
        };
        List<Site> sites = scenario.effectiveSites();
        for (int i = 0; i < sites.size(); i++) {
            String sp = scenario.sites().isEmpty() ? "site" : "sites[" + i + "]";
            Site site = sites.get(i);
            if (site.uplink() != null && site.uplink().profile() != null) {
                check.accept(sp + ".uplink.profile", site.uplink().profile());
            }
            for (int h = 0; site.hosts() != null && h < site.hosts().size(); h++) {
                List<Site.Vm> vms = site.hosts().get(h).vms();
                for (int v = 0; vms != null && v < vms.size(); v++) {
                    List<Site.Disk> disks = vms.get(v).disks();
                    for (int d = 0; disks != null && d < disks.size(); d++) {
                        Site.Churn c = disks.get(d).churn();
                        if (c != null && c.profile() != null) {
                            check.accept(sp + ".hosts[" + h + "].vms[" + v + "].disks[" + d + "].churn.profile", c.profile());
                        }
                    }
                }
            }
        }
        return missing;
    }

    /**
     * Throws {@code problems}, if any, located in the file; a problem with a host made from a
     * fleet template or an inventory is reported once, at what made it.
     */
    private static void throwLocated(Path file, java.util.function.Supplier<YamlLocator> locate,
                                     List<ScenarioValidator.Problem> problems, java.util.Map<String, String> origins)
            throws ScenarioException {
        if (problems.isEmpty()) {
            return;
        }
        java.util.Set<ScenarioError> errors = new java.util.LinkedHashSet<>();
        for (ScenarioValidator.Problem p : problems) {
            String path = origin(p.path(), origins);
            int[] at = locate.get().locate(path);
            errors.add(new ScenarioError(file, at[0], at[1], path, p.message()));
        }
        throw new ScenarioException(List.copyOf(errors));
    }

    /** Where a problem's path is in the file: a made host's path leads to its template or inventory. */
    private static String origin(String path, java.util.Map<String, String> origins) {
        int end = path.indexOf(']', path.indexOf(".hosts["));
        if (end < 0 || path.indexOf(".hosts[") < 0) {
            return path;
        }
        String origin = origins.get(path.substring(0, end + 1));
        if (origin == null) {
            return path;
        }
        if (origin.endsWith(".inventory")) {
            return origin;
        }
        String rest = path.substring(end + 1).replaceFirst("^\\.vms\\[\\d+]", "");
        return origin + (rest.equals(".name") && !path.substring(end + 1).startsWith(".vms") ? ".hostName"
                : rest.equals(".name") ? ".vmName" : rest);
    }

    /** Checks a scenario changed after loading (another fidelity, say) with the same rules; no locations. */
    public Scenario revalidate(Scenario scenario) throws ScenarioException {
        List<ScenarioValidator.Problem> problems = new ScenarioValidator().validate(scenario);
        if (problems.isEmpty()) {
            return scenario;
        }
        List<ScenarioError> errors = new ArrayList<>();
        for (ScenarioValidator.Problem p : problems) {
            errors.add(new ScenarioError(Path.of(scenario.name() + ".yaml"), 0, 0, p.path(), p.message()));
        }
        throw new ScenarioException(errors);
    }

    /** Loads the CSV files a scenario built in code names (profiles), relative to {@code file}. */
    public static Scenario withFiles(Path file, Scenario scenario) throws ScenarioException {
        return withProfiles(file, scenario);
    }

    /**
     * Loads every site's CSV profiles, relative to the scenario file, into the scenario: the
     * uplink's, and each disk's churn profile (a file that many disks share is read once).
     */
    private static Scenario withProfiles(Path file, Scenario scenario) throws ScenarioException {
        List<Site> sites = new ArrayList<>();
        java.util.Map<Path, ChurnCsv.Series> churns = new java.util.HashMap<>();
        for (Site site : scenario.effectiveSites()) {
            sites.add(withProfile(file, site, scenario.start(), scenario.effectiveZone(), churns));
        }
        return scenario.withSites(sites);
    }

    /**
     * Loads the uplink's CSV profile and its disks' churn profiles (those in {@code churns}
     * already read), relative to the scenario file, into the site.
     */
    private static Site withProfile(Path file, Site site, java.time.OffsetDateTime start, java.time.ZoneId zone,
                                    java.util.Map<Path, ChurnCsv.Series> churns) throws ScenarioException {
        Path dir = file.toAbsolutePath().getParent();
        Function<String, Path> resolved = p -> dir == null ? Path.of(p) : dir.resolve(p).normalize();
        Function<String, Path> named = p -> file.getParent() == null ? Path.of(p) : file.getParent().resolve(p).normalize();
        if (site.hosts() != null && site.hosts().stream().flatMap(h -> h.vms().stream()).flatMap(v -> v.disks().stream())
                .anyMatch(d -> d.churn() != null && d.churn().profile() != null)) {
            List<Site.Host> hosts = new ArrayList<>();
            for (Site.Host h : site.hosts()) {
                List<Site.Vm> vms = new ArrayList<>();
                for (Site.Vm v : h.vms()) {
                    List<Site.Disk> disks = new ArrayList<>();
                    for (Site.Disk d : v.disks()) {
                        Site.Churn c = d.churn();
                        if (c != null && c.profile() != null) {
                            Path csv = resolved.apply(c.profile());
                            ChurnCsv.Series series = churns.get(csv);
                            if (series == null) {
                                series = ChurnCsv.read(csv, named.apply(c.profile()), start, zone);
                                churns.put(csv, series);
                            }
                            d = new Site.Disk(d.name(), d.size(), c.withSeries(series), d.used());
                        }
                        disks.add(d);
                    }
                    vms.add(new Site.Vm(v.name(), disks, v.initialReplicationStart()));
                }
                hosts.add(new Site.Host(h.name(), h.volume(), h.memory(), vms));
            }
            site = site.withHosts(hosts);
        }
        Site.Uplink uplink = site.uplink();
        if (uplink.profile() == null) {
            return site;
        }
        Path csv = resolved.apply(uplink.profile());
        Path shown = named.apply(uplink.profile());
        try {
            return site.withUplink(uplink.withSamples(ProfileCsv.read(csv, start, zone)));
        } catch (ScenarioException e) {
            // name the file as the user would, relative to where they ran the command
            List<ScenarioError> errors = new ArrayList<>();
            for (ScenarioError err : e.errors()) {
                errors.add(new ScenarioError(shown, err.line(), err.column(), err.fieldPath(), err.message()));
            }
            throw new ScenarioException(errors);
        }
    }

    private static ScenarioException single(Path file, String message) {
        return new ScenarioException(List.of(new ScenarioError(file, 0, 0, "", message)));
    }

    private static ScenarioError describe(Path file, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : Math.max(0, loc.getLineNr());
        int column = loc == null ? 0 : Math.max(0, loc.getColumnNr());
        String path = "";
        String message;
        if (e instanceof JsonMappingException jme) {
            path = path(jme.getPath());
        }
        org.yaml.snakeyaml.error.MarkedYAMLException yaml = null;
        for (Throwable t = e; t != null && yaml == null; t = t.getCause()) {
            yaml = t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m ? m : null;
        }
        if (yaml != null) {
            message = yamlSyntax(yaml.getProblem(), yaml.getContext());
            // a syntax error belongs to no field; an unclosed quote or bracket is shown where it opened
            path = "";
            boolean opened = message.contains("opened here");
            org.yaml.snakeyaml.error.Mark mark = opened && yaml.getContextMark() != null ? yaml.getContextMark() : yaml.getProblemMark();
            if (mark != null) {
                line = mark.getLine() + 1;
                column = mark.getColumn() + 1;
            }
        } else if (e instanceof UnrecognizedPropertyException upe) {
            String known = upe.getKnownPropertyIds() == null ? "" : upe.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            message = "unknown field '" + upe.getPropertyName() + "'; expected one of: " + known;
        } else if (e instanceof InvalidFormatException ife) {
            message = invalidValue(ife);
        } else if (e instanceof MismatchedInputException mie) {
            message = mismatched(mie);
        } else if (e instanceof JsonMappingException jme && jme.getCause() instanceof IllegalArgumentException iae) {
            message = iae.getMessage();
        } else if (firstLine(e.getOriginalMessage()).startsWith("Duplicate field '")) {
            message = firstLine(e.getOriginalMessage()).replaceFirst("Duplicate field '([^']*)'.*",
                    "'$1' appears twice in this mapping: keep one");
        } else {
            message = firstLine(e.getOriginalMessage());
        }
        return new ScenarioError(file, line, column, path, message);
    }

    /** SnakeYAML's parser problem in words a scenario's author can act on. */
    static String yamlSyntax(String problem, String context) {
        String p = problem == null ? "" : problem;
        String c = context == null ? "" : context;
        String words;
        if (p.contains("mapping values are not allowed")) {
            words = "a ':' where this line cannot have one: indent the line like the keys beside it,"
                    + " or quote a value that contains ': '";
        } else if (p.contains("(TAB)") || p.contains("'\t'")) {
            words = "a tab: YAML indents with spaces only";
        } else if (c.contains("quoted scalar")) {
            words = "a quoted value is not closed: the quote opened here has no closing quote";
        } else if (c.contains("flow mapping") || c.contains("flow sequence")) {
            String brackets = c.contains("flow mapping") ? "'{ ... }'" : "'[ ... ]'";
            words = "the " + brackets + " opened here is not closed, or two of its entries lack the ',' between them";
        } else if (c.contains("flow node")) {
            words = "a value is missing here (a ',' or a closing bracket came first)";
        } else if (p.contains("could not find expected ':'")) {
            words = "a line without 'key: value' where a key was expected: a ':' is missing or the line is indented wrongly";
        } else if (p.contains("expected <block end>") || p.contains("did not find expected key")) {
            words = "this line is indented differently from the entries of the same level above it";
        } else if (p.contains("did not find expected '-' indicator")) {
            words = "a list's entries each start with '- ' at the same indentation";
        } else {
            words = p + (c.isEmpty() ? "" : " (" + c + ")");
        }
        return "YAML syntax: " + words;
    }

    private static String invalidValue(InvalidFormatException e) {
        Class<?> target = e.getTargetType();
        String value = String.valueOf(e.getValue());
        if (target != null && target.isEnum()) {
            String allowed = java.util.Arrays.stream(target.getEnumConstants())
                    .map(c -> jsonName((Enum<?>) c)).collect(Collectors.joining(", "));
            return "'" + value + "' is not one of: " + allowed;
        }
        if (e.getCause() instanceof IllegalArgumentException iae) {
            return iae.getMessage();
        }
        if (target != null && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("'")) {
            return e.getOriginalMessage();
        }
        return "'" + value + "' is not " + expected(target);
    }

    private static String mismatched(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        String original = firstLine(e.getOriginalMessage());
        if (original.startsWith("'")) {
            return original; // our unit parsers' own message
        }
        if (target != null && (List.class.isAssignableFrom(target) || target.isArray())) {
            return "expected a list";
        }
        if (target != null && target.isRecord()) {
            return "expected a mapping of fields";
        }
        return "expected " + expected(target);
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "a value of another kind";
        }
        if (target == Long.class || target == long.class || target == Integer.class || target == int.class) {
            return "a whole number";
        }
        if (target == Double.class || target == double.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a text value";
        }
        if (target == java.time.OffsetDateTime.class) {
            return "a date-time with offset such as 2026-01-05T08:00:00+01:00";
        }
        if (target == java.time.ZoneId.class) {
            return "a time zone such as Europe/Amsterdam";
        }
        if (target == Duration.class) {
            return Units.DURATION_EXPECTED;
        }
        return "a " + target.getSimpleName();
    }

    private static String jsonName(Enum<?> constant) {
        try {
            var ann = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return ann != null ? ann.value() : constant.name().toLowerCase(Locale.ROOT);
        } catch (NoSuchFieldException ex) {
            return constant.name();
        }
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid input";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    /** A count is a plain number (exactly) or a mapping {atLeast, atMost}. */
    private static final class CountDeserializer extends JsonDeserializer<Count> {
        @Override
        public Count deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return Count.exactly(p.getLongValue());
            }
            if (p.currentToken() == JsonToken.START_OBJECT) {
                Long atLeast = null;
                Long atMost = null;
                for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                    JsonToken value = p.nextToken();
                    if (value != JsonToken.VALUE_NUMBER_INT) {
                        throw InvalidFormatException.from(p, "'" + p.getText() + "' is not a whole number", p.getText(), Long.class);
                    }
                    switch (field) {
                        case "atLeast" -> atLeast = p.getLongValue();
                        case "atMost" -> atMost = p.getLongValue();
                        default -> throw UnrecognizedPropertyException.from(p, Count.class, field, List.<Object>of("atLeast", "atMost"));
                    }
                }
                return new Count(atLeast, atMost);
            }
            throw InvalidFormatException.from(p, "'" + p.getText() + "' is not a count: expected a number such as 0, or {atLeast: 1, atMost: 3}",
                    p.getText(), Count.class);
        }
    }

    /**
     * A {@link Spread} of sizes or rates: the value itself, or {between: [a, b]}, {oneOf: [...]},
     * {lognormal: {median: m, sigma: s}}; the element type comes from the field's declared type.
     */
    private static final class SpreadDeserializer extends JsonDeserializer<Spread<?>>
            implements com.fasterxml.jackson.databind.deser.ContextualDeserializer {
        private final Function<String, Long> parse;

        SpreadDeserializer(Function<String, Long> parse) {
            this.parse = parse;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, com.fasterxml.jackson.databind.BeanProperty property) {
            com.fasterxml.jackson.databind.JavaType type = property == null ? null : property.getType().containedType(0);
            if (type != null && type.getRawClass() == DataRate.class) {
                return new SpreadDeserializer(Units::rateBytesPerSecond);
            }
            return new SpreadDeserializer(Units::sizeBytes);
        }

        @Override
        public Spread<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Function<String, Long> unit = parse != null ? parse : Units::sizeBytes;
            if (p.currentToken() == JsonToken.VALUE_STRING || p.currentToken().isNumeric()) {
                return new Spread.Fixed<>(value(p, unit));
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw InvalidFormatException.from(p, "expected a value, or {between: [a, b]}, {oneOf: [...]} or"
                        + " {lognormal: {median: m, sigma: s}}", p.getText(), Spread.class);
            }
            String kind = p.nextFieldName();
            if (kind == null) {
                throw InvalidFormatException.from(p, "expected one of between, oneOf, lognormal", "{}", Spread.class);
            }
            p.nextToken();
            Spread<?> spread = switch (kind) {
                case "between" -> {
                    List<Long> both = list(p, unit);
                    if (both.size() != 2) {
                        throw InvalidFormatException.from(p, "'between' takes two values, low and high", both.toString(), Spread.class);
                    }
                    yield new Spread.Between<>(both.get(0), both.get(1));
                }
                case "oneOf" -> new Spread.OneOf<>(list(p, unit));
                case "lognormal" -> {
                    Long median = null;
                    Double sigma = null;
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        throw InvalidFormatException.from(p, "expected {median: m, sigma: s}", p.getText(), Spread.class);
                    }
                    for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
                        p.nextToken();
                        switch (f) {
                            case "median" -> median = value(p, unit);
                            case "sigma" -> {
                                if (!p.currentToken().isNumeric()) {
                                    throw InvalidFormatException.from(p, "'" + p.getText() + "' is not a number", p.getText(), Double.class);
                                }
                                sigma = p.getDoubleValue();
                            }
                            default -> throw UnrecognizedPropertyException.from(p, Spread.class, f, List.<Object>of("median", "sigma"));
                        }
                    }
                    if (median == null || sigma == null) {
                        throw InvalidFormatException.from(p, "expected {median: m, sigma: s}, both", "", Spread.class);
                    }
                    yield new Spread.LogNormal<>(median, sigma);
                }
                default -> throw UnrecognizedPropertyException.from(p, Spread.class, kind, List.<Object>of("between", "oneOf", "lognormal"));
            };
            if (p.nextToken() != JsonToken.END_OBJECT) {
                throw InvalidFormatException.from(p, "a spread has exactly one of between, oneOf, lognormal", p.getText(), Spread.class);
            }
            return spread;
        }

        private static List<Long> list(JsonParser p, Function<String, Long> unit) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw InvalidFormatException.from(p, "expected a list of values", p.getText(), Spread.class);
            }
            List<Long> values = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                values.add(value(p, unit));
            }
            return values;
        }

        private static long value(JsonParser p, Function<String, Long> unit) throws IOException {
            String text = p.getText();
            try {
                return unit.apply(text);
            } catch (IllegalArgumentException | ArithmeticException ex) {
                throw InvalidFormatException.from(p, ex.getMessage(), text, Spread.class);
            }
        }
    }

    /** A deserializer for a unit type: a scalar parsed by {@code parse}, located on failure. */
    private static <T> JsonDeserializer<T> unit(Class<T> type, Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                JsonToken token = p.currentToken();
                if (token != JsonToken.VALUE_STRING && !token.isNumeric()) {
                    return type.cast(ctxt.handleUnexpectedToken(type, p));
                }
                String text = p.getText();
                try {
                    return parse.apply(text);
                } catch (IllegalArgumentException | ArithmeticException ex) {
                    throw InvalidFormatException.from(p, ex.getMessage(), text, type);
                }
            }
        };
    }
}
