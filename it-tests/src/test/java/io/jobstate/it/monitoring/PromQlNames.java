package io.jobstate.it.monitoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: every identifier that is not a function or aggregation
 * (followed by "("), a keyword, a label name (inside braces or a grouping clause) or part of a string,
 * a range or an offset. Enough for the expressions we ship, and a Grafana query variable's
 * {@code label_values(metric, label)}; not a full PromQL parser (Prometheus has no parser outside Go,
 * and the one way to reach it, its HTTP API's parse endpoint, came after Debian's 2.42). Stateless.
 */
public final class PromQlNames {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern MODIFIERS = Pattern.compile("\\boffset\\s+-?[0-9a-z]+|@\\s*[-0-9.a-z()]+");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\(\\s*([^,)]+)(,[^)]*)?\\)\\s*$");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "inf", "nan", "Inf", "NaN");

    private PromQlNames() {
    }

    /** The metric names {@code expression} reads, sorted. */
    public static Set<String> of(String expression) {
        Matcher labelValues = LABEL_VALUES.matcher(expression);
        String query = labelValues.matches() ? labelValues.group(1) : expression;
        String stripped = GROUPING.matcher(MODIFIERS.matcher(RANGES.matcher(MATCHERS.matcher(
                STRINGS.matcher(query).replaceAll("\"\"")).replaceAll("{}")).replaceAll("[]")).replaceAll(" ")).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            String name = identifier.group();
            if (!KEYWORDS.contains(name) && !calledAt(stripped, identifier.end())) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean calledAt(String text, int position) {
        int next = position;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
            next++;
        }
        return next < text.length() && text.charAt(next) == '(';
    }
}
