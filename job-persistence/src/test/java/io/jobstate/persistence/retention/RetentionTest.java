package io.jobstate.persistence.retention;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.JobPruner;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.Backdating;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.JobsInStatus;
import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the retention tests: every test starts from empty tables (pruning is global, so the jobs of
 * one test must not be another's), makes jobs through the store and backdates them as needed.
 */
abstract class RetentionTest extends DatabaseTest {

    /** Each status's kept count minus the rows of the jobs table in it, in one statement (one snapshot). */
    private static final String DIFFERENCES = "SELECT " + Arrays.stream(JobStatus.values())
            .map(s -> "(SELECT sum(" + s.name().toLowerCase(Locale.ROOT) + ") FROM job_status_counts)"
                    + " - (SELECT count(*) FROM jobs WHERE status = '" + s.name() + "')")
            .collect(Collectors.joining(", "));

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection connection = fixture.connect(); Statement statement = connection.createStatement()) {
            // TRUNCATE jobs resets the counts (trigger jobs_count_truncated)
            statement.execute("TRUNCATE jobs, job_history, job_events, event_outbox");
            statement.execute("UPDATE event_feed SET last_seq = 0, pruned_through = 0");
        }
    }

    JobStore store() {
        return fixture.store(LockingPath.CAS);
    }

    JobPruner pruner() {
        return JobstatePersistence.jobPruner(fixture.dataSource());
    }

    /** {@code count} fresh jobs brought to {@code status}. */
    List<UUID> jobsIn(JobStatus status, int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(JobsInStatus.jobIn(store(), status).id());
        }
        return ids;
    }

    void backdate(Collection<UUID> jobs, Duration earlier) throws SQLException {
        try (Connection connection = fixture.connect()) {
            Backdating.backdate(connection, jobs, earlier);
        }
    }

    boolean exists(UUID id) {
        return store().find(id).isPresent();
    }

    Job job(UUID id) {
        return store().find(id).orElseThrow();
    }

    long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = fixture.connect()) {
            return Sql.count(connection, sql, parameters);
        }
    }

    /** The kept counts minus the table, per status: all zero when the counts are exact. */
    List<Long> countDifferences() throws SQLException {
        try (Connection connection = fixture.connect()) {
            return Sql.rows(connection, DIFFERENCES).getFirst().stream().map(v -> ((Number) v).longValue()).toList();
        }
    }

    static UUID[] array(Collection<UUID> ids) {
        return ids.toArray(UUID[]::new);
    }
}
