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
 * {@link EventLog} on the {@code event_outbox} (V13), the {@code job_events} feed and the one-row
 * {@code event_feed} (V2).
 *
 * <p>Publishing first locks the {@code event_feed} row. Publishers in any process therefore run one
 * at a time, and because the lock is taken by its own statement, the next statement's snapshot (READ
 * COMMITTED) already sees what the previous publisher committed. Events of one job are committed in
 * version order (each transition waits for the job row the previous one held), so a snapshot that
 * holds version v+1 holds v, and numbering in outbox order keeps every job's events in version order.
 *
 * <p>Retention deletes the feed's leading run of events older than the retention, a batch per
 * transaction under the same row lock, so a publisher waits for one batch, never for a backlog. Both
 * first read whether there is anything to do: an idle instance locks and writes nothing. Thread-safe.
 */
public final class PostgresEventLog implements EventLog {

    /** The channel {@link #publish()} notifies with the newest sequence as payload. */
    public static final String CHANNEL = "jobstate_events";
    static final int PUBLISH_BATCH = 2000;
    /** Events deleted per transaction: the publisher waits at most one such batch for the feed's row. */
    static final int PRUNE_BATCH = 1000;
    /** Batches per {@link #prune} call: a backlog beyond it is left to the next call, so no call runs for long. */
    static final int MAX_PRUNE_BATCHES = 1000;

    /**
     * Locks the feed's row, and plans the rest of the publisher's transaction without sequential
     * scans and without JIT. The outbox is small but its heap is not: every event moved leaves a dead
     * row until autovacuum's next visit, up to a minute of events. Planned from the statistics of an
     * almost empty outbox, the batch read the whole heap twice (a scan and sort for the oldest, a scan
     * to join them for the delete: 241 buffers for 12 events after 7,000 moved, against 129 through its
     * key). The cost that keeps sequential scans out (event_feed's one row has no other) made
     * PostgreSQL JIT-compile every batch: 280 ms a batch in the service, against under a millisecond.
     */
    static final String LOCK_FEED = "SELECT last_seq, set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"
            + " FROM event_feed FOR UPDATE";
    /**
     * Moves the oldest committed events of the outbox into the feed, numbered in outbox order (V13):
     * each event is written into {@code job_events} once, with its seq, never updated. The delete takes
     * the range up to the batch's last key: in the statement's one snapshot, the visible rows in it are
     * exactly the batch.
     */
    static final String NUMBER_PENDING = """
            WITH pending AS (
                SELECT outbox_id FROM event_outbox ORDER BY outbox_id LIMIT ?),
            moved AS (
                DELETE FROM event_outbox WHERE outbox_id <= (SELECT max(outbox_id) FROM pending)
                RETURNING outbox_id, job_id, from_status, to_status, version, at, trace_id),
            numbered AS (
                INSERT INTO job_events (seq, outbox_id, job_id, from_status, to_status, version, at, trace_id)
                SELECT ? + row_number() OVER (ORDER BY outbox_id), outbox_id, job_id, from_status, to_status, version, at, trace_id
                FROM moved RETURNING seq),
            fed AS (
                UPDATE event_feed SET last_seq = last_seq + (SELECT count(*) FROM numbered) RETURNING last_seq)
            SELECT last_seq, CASE WHEN last_seq > ? THEN pg_notify('%s', last_seq::text) END FROM fed""".formatted(CHANNEL);
    /** One snapshot for the feed's bounds and the page, so a concurrent prune cannot slip between them. */
    private static final String READ = """
            SELECT f.pruned_through, %s
            FROM event_feed f LEFT JOIN LATERAL (
                SELECT %s FROM job_events
                WHERE seq > ? %s LIMIT ?) e ON true""";
    private static final String READ_ALL = READ.formatted(EventTable.COLUMNS, EventTable.NAMES, "ORDER BY seq");
    /**
     * One job's events in version order, which for one job is seq order (its next event is written
     * only after the one before committed, so it is numbered later): read through the unique index on
     * (job_id, version), the one index of a job's events (V12).
     */
    private static final String READ_JOB = READ.formatted(EventTable.COLUMNS, EventTable.NAMES,
            "AND job_id = ? ORDER BY version");
    /** Whether anything waits to be numbered: a read, so that an idle publisher writes nothing. */
    private static final String UNPUBLISHED = "SELECT last_seq, EXISTS (SELECT 1 FROM event_outbox) FROM event_feed";
    /**
     * Whether the feed's first event is older than the retention: a read through the index of {@code seq},
     * so that a retention pass with nothing due writes nothing and takes no lock.
     */
    private static final String PRUNABLE = """
            SELECT f.pruned_through, coalesce(e.at < now() - CAST(? AS bigint) * interval '1 millisecond', false)
            FROM event_feed f LEFT JOIN LATERAL (
                SELECT at FROM job_events WHERE seq > f.pruned_through ORDER BY seq LIMIT 1) e ON true""";
    private static final String LOCK_PRUNED_THROUGH = "SELECT pruned_through FROM event_feed FOR UPDATE";
    /**
     * One batch of the feed's prefix: the next {@value #PRUNE_BATCH} events in {@code seq} order (the
     * index of {@code seq}, whatever the backlog), of which the leading run older than the retention is
     * deleted and becomes the pruned prefix. Returns the new end of the prefix, the batch's size and
     * whether the whole batch was old (then the next batch may be too).
     */
    private static final String PRUNE_BATCH_SQL = """
            WITH batch AS (
                SELECT seq, bool_and(at < now() - CAST(? AS bigint) * interval '1 millisecond') OVER (ORDER BY seq) AS old
                FROM (SELECT seq, at FROM job_events WHERE seq > ? ORDER BY seq LIMIT ?) next),
            horizon AS (
                SELECT coalesce(max(seq) FILTER (WHERE old), ?) AS seq, count(*) AS size, coalesce(bool_and(old), false) AS all_old
                FROM batch),
            deleted AS (
                DELETE FROM job_events WHERE seq > ? AND seq <= (SELECT seq FROM horizon)),
            fed AS (
                UPDATE event_feed SET pruned_through = (SELECT seq FROM horizon) WHERE pruned_through < (SELECT seq FROM horizon))
            SELECT seq, size, all_old FROM horizon""";

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
        Published idle = SqlWork.autoCommitted(dataSource, PostgresEventLog::nothingToPublish);
        if (idle != null) {
            return idle;
        }
        int total = 0;
        while (true) {
            Published batch = SqlWork.inOwnTransaction(dataSource, PostgresEventLog::publishBatch);
            total += batch.count();
            if (batch.count() < PUBLISH_BATCH) {
                return new Published(total, batch.lastSeq());
            }
        }
    }

    /** The feed's end when no committed event waits to be numbered (then nothing is locked or written), else null. */
    private static Published nothingToPublish(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNPUBLISHED); ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("event_feed has no row: is the schema at V2?");
            }
            return row.getBoolean(2) ? null : new Published(0, row.getLong(1));
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
        long millis = retention.toMillis();
        Pruning state = SqlWork.autoCommitted(dataSource, connection -> prunable(connection, millis));
        for (int batches = 0; state.more() && batches < MAX_PRUNE_BATCHES; batches++) {
            state = SqlWork.inOwnTransaction(dataSource, connection -> pruneBatch(connection, millis));
        }
        return state.prunedThrough();
    }

    /** Where the pruned prefix ends and whether the feed's first event is due (a read: an idle pass writes nothing). */
    private static Pruning prunable(Connection connection, long retentionMillis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PRUNABLE)) {
            statement.setLong(1, retentionMillis);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("event_feed has no row: is the schema at V2?");
                }
                return new Pruning(row.getLong(1), row.getBoolean(2));
            }
        }
    }

    /**
     * One batch, under the feed's row lock (publishers and other pruners wait for this one batch, not
     * for the whole backlog), in a transaction of its own.
     */
    private static Pruning pruneBatch(Connection connection, long retentionMillis) throws SQLException {
        long prunedThrough = single(connection, LOCK_PRUNED_THROUGH);
        try (PreparedStatement statement = connection.prepareStatement(PRUNE_BATCH_SQL)) {
            statement.setLong(1, retentionMillis);
            statement.setLong(2, prunedThrough);
            statement.setInt(3, PRUNE_BATCH);
            statement.setLong(4, prunedThrough);
            statement.setLong(5, prunedThrough);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new Pruning(row.getLong(1), row.getInt(2) == PRUNE_BATCH && row.getBoolean(3));
            }
        }
    }

    /** Where the pruned prefix ends, and whether more of the feed may be due. */
    private record Pruning(long prunedThrough, boolean more) {
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
