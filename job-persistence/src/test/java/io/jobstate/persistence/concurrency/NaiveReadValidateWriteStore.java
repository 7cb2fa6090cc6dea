package io.jobstate.persistence.concurrency;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.counts.StatusCounts;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.history.HistoryPage;
import io.jobstate.jobs.history.HistoryQuery;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionDecision;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * TEST CODE ONLY — the bug jobstate exists to kill, kept as a control: read the status, validate it
 * with the domain, then write unconditionally (the seed report's T1/T2/T3). Running the storm
 * through it must break the invariants, which shows that the checker can fail.
 */
public final class NaiveReadValidateWriteStore implements JobStore {

    private final DataSource pool;

    public NaiveReadValidateWriteStore(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public TransitionOutcome transition(UUID id, TransitionRequest request) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                TransitionOutcome outcome = readValidateWrite(connection, id, request);
                connection.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TransitionOutcome readValidateWrite(Connection connection, UUID id, TransitionRequest request)
            throws SQLException {
        // T1: read
        Optional<Job> current = read(connection, id);
        if (current.isEmpty()) {
            return new TransitionOutcome.NotFound(id);
        }
        Optional<HistoryEntry> prior = Optional.empty();
        if (request.idempotencyKey() != null) {
            try (PreparedStatement s = connection.prepareStatement("SELECT version, from_status, to_status, at, attempt,"
                    + " idempotency_key, request_fingerprint FROM job_history WHERE job_id = ? AND idempotency_key = ?")) {
                s.setObject(1, id);
                s.setString(2, request.idempotencyKey());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        prior = Optional.of(new HistoryEntry(r.getLong(1), JobStatus.valueOf(r.getString(2)),
                                JobStatus.valueOf(r.getString(3)), r.getObject(4, OffsetDateTime.class).toInstant(),
                                r.getInt(5), r.getString(6), r.getString(7)));
                    }
                }
            }
        }
        // T2: validate against what was read
        TransitionOutcome outcome = TransitionDecision.decide(current.get(), prior, request, Instant.now());
        if (!(outcome instanceof TransitionOutcome.Applied applied)) {
            return outcome;
        }
        // T3: write, whatever happened since T1
        Job next = applied.job();
        long version;
        try (PreparedStatement s = connection.prepareStatement("UPDATE jobs SET previous_status = status, status = ?,"
                + " version = version + 1, attempt = ?, updated_at = now(), lease_token = ?, lease_seconds = ?,"
                + " lease_expires_at = clock_timestamp() + CAST(? AS integer) * interval '1 second' WHERE id = ? RETURNING version")) {
            s.setString(1, next.status().name());
            s.setInt(2, next.attempt());
            s.setString(3, next.lease() == null ? null : next.lease().token());
            s.setObject(4, next.lease() == null ? null : next.lease().seconds(), java.sql.Types.INTEGER);
            s.setObject(5, next.lease() == null ? null : next.lease().seconds(), java.sql.Types.INTEGER);
            s.setObject(6, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                version = r.getLong(1);
            }
        }
        String key = request.idempotencyKey();
        // the state after it is copied from the row just written, as the real statement does: the control
        // must break the checker by racing, not by leaving out what it can write without any race
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO job_history (job_id, version, from_status,"
                + " to_status, at, attempt, idempotency_key, request_fingerprint, progress, result, error, started_at,"
                + " finished_at, lease_token, lease_expires_at, lease_seconds) SELECT id, ?, ?, ?, now(), ?, ?, ?,"
                + " progress, result, error, started_at, finished_at, lease_token, lease_expires_at, lease_seconds"
                + " FROM jobs WHERE id = ?")) {
            s.setLong(1, version);
            s.setString(2, current.get().status().name());
            s.setString(3, next.status().name());
            s.setInt(4, next.attempt());
            s.setString(5, key);
            s.setString(6, key == null ? null : request.fingerprint());
            s.setObject(7, id);
            s.executeUpdate();
        }
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO event_outbox (job_id, from_status, to_status,"
                + " version, at) VALUES (?, ?, ?, ?, now())")) {
            s.setObject(1, id);
            s.setString(2, current.get().status().name());
            s.setString(3, next.status().name());
            s.setLong(4, version);
            s.executeUpdate();
        }
        return new TransitionOutcome.Applied(next, current.get().status());
    }

    private static Optional<Job> read(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT id, type, status, version, attempt, progress,"
                + " created_at, updated_at, lease_token, lease_expires_at, lease_seconds FROM jobs WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Job(r.getObject(1, UUID.class), r.getString(2), JobStatus.valueOf(r.getString(3)),
                        r.getLong(4), r.getInt(5), r.getInt(6), null, null, null,
                        r.getObject(7, OffsetDateTime.class).toInstant(), r.getObject(8, OffsetDateTime.class).toInstant(),
                        null, null, r.getString(9) == null ? null
                                : new Lease(r.getString(9), r.getObject(10, OffsetDateTime.class).toInstant(), r.getInt(11))));
            }
        }
    }

    @Override
    public Optional<Job> find(UUID id) {
        try (Connection connection = pool.getConnection()) {
            return read(connection, id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CreateOutcome create(NewJob request) {
        throw new UnsupportedOperationException("the control only transitions");
    }

    @Override
    public JobPage list(JobQuery query) {
        throw new UnsupportedOperationException("the control only transitions");
    }

    @Override
    public StatusCounts counts() {
        throw new UnsupportedOperationException("the control only transitions");
    }

    @Override
    public Optional<HistoryPage> history(UUID id, HistoryQuery query) {
        throw new UnsupportedOperationException("the control only transitions");
    }

    @Override
    public ClaimOutcome claim(ClaimRequest request) {
        throw new UnsupportedOperationException("the control only transitions");
    }

    @Override
    public ProgressOutcome reportProgress(UUID id, int progress, String leaseToken) {
        throw new UnsupportedOperationException("the control only transitions");
    }

    @Override
    public HeartbeatOutcome heartbeat(UUID id, String leaseToken) {
        throw new UnsupportedOperationException("the control only transitions");
    }

    @Override
    public List<Job> reapExpiredLeases(int limit) {
        throw new UnsupportedOperationException("the control only transitions");
    }
}
