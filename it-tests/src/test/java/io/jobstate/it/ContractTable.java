package io.jobstate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-operation status table of docs/api.md, read strictly: the rows between its two marker
 * comments, each {@code | METHOD | /path | 200, 404, … |}, keyed by "METHOD /path". Anything else
 * inside the markers (but the header and separator rows) is an error, so a table that drifts out of
 * its format fails the test instead of being skipped. Immutable; thread-safe.
 */
final class ContractTable {

    static final String BEGIN = "<!-- status-codes:begin -->";
    static final String END = "<!-- status-codes:end -->";
    private static final Pattern ROW = Pattern.compile(
            "\\|\\s*(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE)\\s*\\|\\s*(/\\S*)\\s*\\|\\s*([1-5][0-9]{2}(?:\\s*,\\s*[1-5][0-9]{2})*)\\s*\\|");
    private static final Pattern HEADER = Pattern.compile("\\|\\s*method\\s*\\|\\s*path\\s*\\|\\s*status codes\\s*\\|");
    private static final Pattern SEPARATOR = Pattern.compile("\\|(\\s*-{3,}\\s*\\|){3}");

    private ContractTable() {
    }

    /** The table of the document at {@code file}. */
    static Map<String, Set<String>> read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract " + file, e);
        }
    }

    /** Operation ("POST /api/jobs") to its status codes, from the lines of a document. */
    static Map<String, Set<String>> parse(List<String> lines) {
        int begin = lines.indexOf(BEGIN);
        int end = lines.indexOf(END);
        if (begin < 0 || end < begin || lines.lastIndexOf(BEGIN) != begin || lines.lastIndexOf(END) != end) {
            throw new IllegalArgumentException("the document needs exactly one " + BEGIN + " … " + END + " block");
        }
        Map<String, Set<String>> table = new TreeMap<>();
        for (String line : lines.subList(begin + 1, end)) {
            String row = line.strip();
            if (row.isEmpty() || HEADER.matcher(row).matches() || SEPARATOR.matcher(row).matches()) {
                continue;
            }
            Matcher cells = ROW.matcher(row);
            if (!cells.matches()) {
                throw new IllegalArgumentException("not a status-table row (| METHOD | /path | codes |): " + line);
            }
            String operation = cells.group(1) + " " + cells.group(2);
            Set<String> codes = new TreeSet<>(Arrays.stream(cells.group(3).split(",")).map(String::strip).toList());
            if (table.put(operation, codes) != null) {
                throw new IllegalArgumentException("operation listed twice: " + operation);
            }
        }
        if (table.isEmpty()) {
            throw new IllegalArgumentException("the status table lists no operation");
        }
        return table;
    }

    /**
     * Each way {@code documented} and {@code served} differ, as a sentence: an operation on one side
     * only, or another set of status codes. Empty when they are equal.
     */
    static List<String> differences(Map<String, Set<String>> documented, Map<String, Set<String>> served) {
        Set<String> operations = new TreeSet<>(documented.keySet());
        operations.addAll(served.keySet());
        List<String> differences = new ArrayList<>();
        for (String operation : operations) {
            Set<String> inDocument = documented.get(operation);
            Set<String> inOpenApi = served.get(operation);
            if (inDocument == null) {
                differences.add(operation + ": served " + inOpenApi + ", missing from docs/api.md");
            } else if (inOpenApi == null) {
                differences.add(operation + ": in docs/api.md " + inDocument + ", not served");
            } else if (!inDocument.equals(inOpenApi)) {
                differences.add(operation + ": docs/api.md " + inDocument + ", served " + inOpenApi);
            }
        }
        return differences;
    }
}
