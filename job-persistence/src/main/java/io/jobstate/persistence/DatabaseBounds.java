package io.jobstate.persistence;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bounds on every wait for the database, and the pgjdbc connection properties that set them on
 * every connection of a data source, so that no statement of the store (its own SQL, EclipseLink's,
 * the background work's) can wait without one. The service's data source takes the same properties
 * from its server.xml variables ({@code jobstate.db.lock-timeout} …); plain-Java callers (tests,
 * benchmarks) give {@link #driverProperties()} to their pool. Immutable.
 *
 * @param lockWait  {@code lock_timeout}: how long a statement waits for a row lock another session
 *                  holds (another writer of the job); also how long a write waits for its turn
 *                  behind the other writers of its job in this process
 * @param statement {@code statement_timeout}: how long one statement may run, lock waits included;
 *                  also {@code idle_in_transaction_session_timeout}, so a session of the service never
 *                  holds locks in an idle transaction for longer
 * @param connect   pgjdbc's {@code connectTimeout}: opening a TCP connection to one host
 * @param login     pgjdbc's {@code loginTimeout}: the whole attempt to get a connection, over every
 *                  host of the URL and the authentication
 * @param network   pgjdbc's {@code socketTimeout}: how long the driver waits for any answer on an open
 *                  connection (a database or network that hangs rather than resets); must exceed
 *                  {@code statement}, so that a slow statement is cancelled by the server, cleanly,
 *                  before the driver gives its connection up
 */
public record DatabaseBounds(Duration lockWait, Duration statement, Duration connect, Duration login, Duration network) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s)");

    public DatabaseBounds {
        requirePositive(lockWait, "lockWait");
        requirePositive(statement, "statement");
        requireWholeSeconds(connect, "connect");
        requireWholeSeconds(login, "login");
        requireWholeSeconds(network, "network");
        if (network.compareTo(statement) <= 0) {
            throw new IllegalArgumentException("network (" + network + ") must exceed statement (" + statement + ")");
        }
    }

    /**
     * The pgjdbc properties: {@code options} (the server settings of the session: lock_timeout,
     * statement_timeout, idle_in_transaction_session_timeout), the timeouts, and TCP keep-alive (so
     * that the operating system also notices a peer that vanished while nothing is being read).
     */
    public Map<String, String> driverProperties() {
        return Map.of(
                "options", "-c lock_timeout=" + lockWait.toMillis() + "ms -c statement_timeout=" + statement.toMillis() + "ms"
                        + " -c idle_in_transaction_session_timeout=" + statement.toMillis() + "ms",
                "connectTimeout", Long.toString(connect.toSeconds()),
                "loginTimeout", Long.toString(login.toSeconds()),
                "socketTimeout", Long.toString(network.toSeconds()),
                "tcpKeepAlive", "true");
    }

    /**
     * Reads a bound as server.xml writes it, in a form PostgreSQL and Liberty both read:
     * {@code 2s}, {@code 500ms}.
     */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(Objects.requireNonNull(text, "text is required").trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a database bound is a whole number of s or ms (2s, 500ms), not '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return "ms".equals(matcher.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
    }

    private static void requirePositive(Duration bound, String name) {
        Objects.requireNonNull(bound, name + " is required");
        // zero would mean "wait for ever" to PostgreSQL and pgjdbc
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + bound);
        }
    }

    private static void requireWholeSeconds(Duration bound, String name) {
        requirePositive(bound, name);
        if (bound.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(name + " must be whole seconds (pgjdbc counts it in seconds), was " + bound);
        }
    }
}
