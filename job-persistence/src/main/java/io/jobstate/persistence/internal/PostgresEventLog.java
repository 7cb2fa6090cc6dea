package io.jobstate.persistence.internal;

import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * {@link EventLog} on the {@code job_events} outbox and the one-row {@code event_feed} (schema V2).
 *
 * <p>Publishing first locks the {@code event_feed} row. Publishers in any process therefore run one
 * at a time, and because the lock is taken by its own statement, the next statement's snapshot (READ
 * COMMITTED) already sees what the previous publisher committed. Events of one job are committed in
 * version order (each transition waits for the job row the previous one held), so a snapshot that
 * holds version v+1 holds v, and numbering in outbox order keeps every job's events in version order.
 * Thread-safe.
 */
public final class PostgresEventLog implements EventLog {

    /** The channel {@link #publish()} notifies with the newest sequence as payload. */
    public static final String CHANNEL = "jobstate_events";
    private static final int PUBLISH_BATCH = 2000;

    private static final String LOCK_FEED = "SELECT last_seq FROM event_feed FOR UPDATE";
    private static final String NUMBER_PENDING = """
            WITH pending AS (
                SELECT outbox_id, row_number() OVER (ORDER BY outbox_id) AS n
                FROM job_events WHERE seq IS NULL ORDER BY outbox_id LIMIT ?),
            numbered AS (
                UPDATE job_events e SET seq = ? + p.n FROM pending p WHERE e.outbox_id = p.outbox_id RETURNING e.seq),
            fed AS (
                UPDATE event_feed SET last_seq = last_seq + (SELECT count(*) FROM numbered) RETURNING last_seq)
            SELECT last_seq, CASE WHEN last_seq > ? THEN pg_notify('%s', last_seq::text) END FROM fed""".formatted(CHANNEL);
    /** One snapshot for the feed's bounds and the page, so a concurrent prune cannot slip between them. */
    private static final String READ = """
            SELECT f.pruned_through, %s
            FROM event_feed f LEFT JOIN LATERAL (
                SELECT seq, job_id, from_status, to_status, version, at FROM job_events
                WHERE seq > ? %s ORDER BY seq LIMIT ?) e ON true""";
    private static final String READ_ALL = READ.formatted(EventTable.COLUMNS, "");
    private static final String READ_JOB = READ.formatted(EventTable.COLUMNS, "AND job_id = ?");
    /** Deletes the published prefix up to the newest event older than the retention. */
    private static final String PRUNE = """
            WITH horizon AS (
                SELECT coalesce(max(seq), 0) AS seq FROM job_events
                WHERE seq IS NOT NULL AND at < clock_timestamp() - CAST(? AS interval)),
            deleted AS (
                DELETE FROM job_events WHERE seq <= (SELECT seq FROM horizon) RETURNING seq)
            UPDATE event_feed SET pruned_through = greatest(pruned_through, (SELECT seq FROM horizon))
            RETURNING pruned_through""";

    private final DataSource dataSource;

    public PostgresEventLog(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource is required");
    }

    @Override
    public EventRead read(EventQuery query) {
        if (!query.violations().isEmpty()) {
            throw new IllegalArgumentException("invalid query: " + query.violations());
        }
        return SqlWork.autoCommitted(dataSource, connection -> read(connection, query));
    }

    private static EventRead read(Connection connection, EventQuery query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query.jobId() == null ? READ_ALL : READ_JOB)) {
            int i = 1;
            statement.setLong(i++, query.after());
            if (query.jobId() != null) {
                statement.setObject(i++, query.jobId());
            }
            statement.setInt(i, query.limit());
            List<JobEvent> events = new ArrayList<>();
            long prunedThrough = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    prunedThrough = rows.getLong(1);
                    if (rows.getObject(2) != null) {
                        events.add(EventTable.event(rows, 2));
                    }
                }
            }
            if (query.after() < prunedThrough) {
                return new EventRead.Gone(query.after(), prunedThrough);
            }
            return new EventRead.Page(events, events.isEmpty() ? query.after() : events.getLast().seq());
        }
    }

    @Override
    public Published publish() {
        int total = 0;
        while (true) {
            Published batch = SqlWork.inOwnTransaction(dataSource, PostgresEventLog::publishBatch);
            total += batch.count();
            if (batch.count() < PUBLISH_BATCH) {
                return new Published(total, batch.lastSeq());
            }
        }
    }

    /**
     * Numbers a batch and, when it numbered anything, announces the new end in the same statement
     * (the NOTIFY is delivered when this transaction commits, to every listening server instance).
     */
    private static Published publishBatch(Connection connection) throws SQLException {
        long before = single(connection, LOCK_FEED);
        long after;
        try (PreparedStatement statement = connection.prepareStatement(NUMBER_PENDING)) {
            statement.setInt(1, PUBLISH_BATCH);
            statement.setLong(2, before);
            statement.setLong(3, before);
            after = single(statement);
        }
        return new Published(Math.toIntExact(after - before), after);
    }

    @Override
    public Announcements listen() {
        return EventAnnouncements.open(dataSource, CHANNEL);
    }

    @Override
    public long prune(Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + retention);
        }
        return SqlWork.inOwnTransaction(dataSource, connection -> {
            single(connection, LOCK_FEED);
            try (PreparedStatement statement = connection.prepareStatement(PRUNE)) {
                statement.setString(1, retention.toMillis() + " milliseconds");
                return single(statement);
            }
        });
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            return single(statement);
        }
    }

    private static long single(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("event_feed has no row: is the schema at V2?");
            }
            return rows.getLong(1);
        }
    }
}
