package io.jobstate.testing.postgres;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * One client writing through a cluster's switches: it commits numbered rows, one per transaction,
 * through the database's URL with {@code options}, opens a new connection after every failure, and
 * records when each commit was acknowledged. What a service's client would have been told, to
 * compare with what the new leader holds, and to measure how long writes were refused.
 */
final class AcknowledgedWriter implements AutoCloseable {

    /** Acknowledged row → System.nanoTime() of the acknowledgement. */
    private final Map<Long, Long> acknowledged = new ConcurrentSkipListMap<>();
    private final TestDatabase database;
    private final String url;
    private final Thread thread;
    private volatile boolean stopping;

    AcknowledgedWriter(TestDatabase database, String options) throws SQLException {
        this.database = database;
        this.url = database.jdbcUrl() + options;
        try (Connection db = DriverManager.getConnection(url, database.migration().user(), database.migration().password());
             Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE acknowledged (n bigint PRIMARY KEY)");
        }
        this.thread = new Thread(this::write, "acknowledged-writer");
        thread.start();
    }

    private void write() {
        long n = 0;
        while (!stopping) {
            try (Connection db = DriverManager.getConnection(url, database.migration().user(), database.migration().password());
                 PreparedStatement insert = db.prepareStatement("INSERT INTO acknowledged VALUES (?)")) {
                while (!stopping) {
                    insert.setLong(1, ++n);
                    insert.executeUpdate();
                    acknowledged.put(n, System.nanoTime());
                }
            } catch (SQLException refused) {
                // not acknowledged: the next attempt takes a new number and a new connection
                pauseBeforeReconnecting();
            }
        }
    }

    /** A client's back-off: without it a refused connection would be retried in a tight loop. */
    private static void pauseBeforeReconnecting() {
        try {
            TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code count} commits have been acknowledged in all. */
    void awaitAcknowledged(int count) {
        await("acknowledged commits").atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= count);
    }

    /** Waits for the first commit acknowledged after {@code nanoTime}; returns the time between. */
    Duration awaitFirstAcknowledgedAfter(long nanoTime, Duration timeout) {
        await("a commit acknowledged after the disruption").atMost(timeout).until(() -> lastAcknowledgedAt() > nanoTime);
        long first = acknowledged.values().stream().filter(at -> at > nanoTime).min(Long::compare).orElseThrow();
        return Duration.ofNanos(first - nanoTime);
    }

    /**
     * The longest time without an acknowledgement from the last one before {@code from} to the first
     * one after {@code to} (both System.nanoTime()).
     */
    Duration longestPause(long from, long to) {
        List<Long> times = acknowledged.values().stream().sorted().toList();
        long start = times.stream().filter(at -> at <= from).max(Long::compare).orElse(from);
        long end = times.stream().filter(at -> at > to).min(Long::compare).orElseThrow();
        long longest = 0;
        long previous = start;
        for (long at : times) {
            if (at > start && at <= end) {
                longest = Math.max(longest, at - previous);
                previous = at;
            }
        }
        return Duration.ofNanos(longest);
    }

    int count() {
        return acknowledged.size();
    }

    private long lastAcknowledgedAt() {
        return acknowledged.values().stream().max(Long::compare).orElse(Long.MIN_VALUE);
    }

    /** The acknowledged rows that {@code db} (the new leader) does not hold. */
    Set<Long> missingOn(Connection db) throws SQLException {
        Set<Long> missing = new TreeSet<>(acknowledged.keySet());
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery("SELECT n FROM acknowledged")) {
            while (rows.next()) {
                missing.remove(rows.getLong(1));
            }
        }
        return missing;
    }

    /** Stops writing; returns once the last statement has returned (each is bounded by the URL's socket timeout). */
    void stop() {
        stopping = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            throw new IllegalStateException("the writer did not stop within 30 s");
        }
    }

    @Override
    public void close() {
        stop();
    }
}
