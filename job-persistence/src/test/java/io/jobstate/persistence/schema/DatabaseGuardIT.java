package io.jobstate.persistence.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.JobsInStatus;
import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PostgreSQL itself refuses what the state machine forbids, whoever writes the SQL. */
class DatabaseGuardIT extends DatabaseTest {

    private JobStore store;

    @BeforeAll
    void casStore() {
        store = fixture.store(LockingPath.CAS);
    }


    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("io.jobstate.persistence.support.StatusPairs#allPairs")
    void theSqlTransitionTableEqualsTheDomainTable(JobStatus from, JobStatus to) throws SQLException {
        try (Connection connection = fixture.connect()) {
            long rows = Sql.count(connection,
                    "SELECT count(*) FROM job_status_transitions WHERE from_status = ? AND to_status = ?",
                    from.name(), to.name());
            assertThat(rows == 1).isEqualTo(from.canTransitionTo(to));
        }
    }

    @Test
    void theSqlTableHasNoPairsBeyondTheSixStatuses() throws SQLException {
        try (Connection connection = fixture.connect()) {
            assertThat(Sql.count(connection, "SELECT count(*) FROM job_status_transitions")).isEqualTo(9);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("io.jobstate.persistence.support.StatusPairs#allPairs")
    void aRawUpdateMakesAStatusChangeOnlyWhenLegal(JobStatus from, JobStatus to) throws SQLException {
        Job job = jobIn(from);
        // a lease exactly while RUNNING (constraint jobs_lease_while_running), as the service writes it
        String update = "UPDATE jobs SET previous_status = status, status = ?, version = version + 1,"
                + " lease_token = CASE WHEN ? = 'RUNNING' THEN 'raw' END, lease_seconds = CASE WHEN ? = 'RUNNING' THEN 30 END,"
                + " lease_expires_at = CASE WHEN ? = 'RUNNING' THEN now() END WHERE id = ?";
        String target = to.name();

        if (from.canTransitionTo(to)) {
            assertThat(execute(update, target, target, target, target, job.id())).isEqualTo(1);
        } else {
            assertRejected(update, target, target, target, target, job.id());
            assertThat(store.find(job.id())).contains(job);
        }
    }

    @Test
    void aLeaseExistsExactlyWhileRunning() throws SQLException {
        Job running = jobIn(JobStatus.RUNNING);
        Job queued = jobIn(JobStatus.QUEUED);

        assertRejected("UPDATE jobs SET lease_token = NULL, lease_seconds = NULL, lease_expires_at = NULL WHERE id = ?", running.id());
        assertRejected("UPDATE jobs SET lease_expires_at = NULL WHERE id = ?", running.id());
        assertRejected("UPDATE jobs SET previous_status = status, status = 'COMPLETED', version = version + 1 WHERE id = ?",
                running.id());
        assertRejected("UPDATE jobs SET previous_status = status, status = 'RUNNING', version = version + 1 WHERE id = ?",
                queued.id());
        assertThat(store.find(running.id())).contains(running);
        assertThat(store.find(queued.id())).contains(queued);
    }

    @Test
    void aStatusChangeMustRaiseTheVersionByExactlyOne() throws SQLException {
        Job job = jobIn(JobStatus.PENDING);

        assertRejected("UPDATE jobs SET previous_status = status, status = 'RUNNING' WHERE id = ?", job.id());
        assertRejected("UPDATE jobs SET previous_status = status, status = 'RUNNING', version = version + 2 WHERE id = ?",
                job.id());
        assertRejected("UPDATE jobs SET version = version + 1 WHERE id = ?", job.id());
        assertThat(store.find(job.id())).contains(job);
    }

    @Test
    void theNaiveSeedWriteOfCompletedOverRunningIsRejectedWhenItSkipsTheStateMachine() throws SQLException {
        Job completed = jobIn(JobStatus.COMPLETED);

        assertRejected("UPDATE jobs SET previous_status = status, status = 'RUNNING', version = version + 1 WHERE id = ?",
                completed.id());
        assertRejected("UPDATE jobs SET error = 'rewritten' WHERE id = ?", completed.id());
        assertRejected("UPDATE jobs SET progress = 5 WHERE id = ?", completed.id());
        assertThat(store.find(completed.id())).contains(completed);
    }

    @Test
    void anUpdateThatChangesNothingLeavesEvenATerminalJobsTimesAlone() throws SQLException {
        Job cancelled = jobIn(JobStatus.CANCELLED);

        assertThat(execute("UPDATE jobs SET progress = progress WHERE id = ?", cancelled.id())).isEqualTo(1);
        assertThat(store.find(cancelled.id())).contains(cancelled);
    }

    @Test
    void progressMovesForwardOnlyWhileRunningEvenInRawSql() throws SQLException {
        Job queued = jobIn(JobStatus.QUEUED);
        Job running = jobIn(JobStatus.RUNNING);

        assertRejected("UPDATE jobs SET progress = 10 WHERE id = ?", queued.id());
        assertThat(execute("UPDATE jobs SET progress = 30 WHERE id = ?", running.id())).isEqualTo(1);
        assertRejected("UPDATE jobs SET progress = 20 WHERE id = ?", running.id());
    }

    /**
     * The rules on one column are the columns' domains (V15): each refuses, in raw SQL, what its CHECK
     * did, and it is the domain that refuses (the guard would let these writes through).
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("oneColumnRules")
    void eachOneColumnRuleHoldsInRawSql(JobStatus status, String rule, String sql) throws SQLException {
        Job job = jobIn(status);

        assertThatThrownBy(() -> execute(sql, job.id()))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("23514");
                    assertThat(e.getMessage()).contains("\"" + rule + "\"");
                });
        assertThat(store.find(job.id())).contains(job);
    }

    static Stream<Arguments> oneColumnRules() {
        String bornWith = "INSERT INTO jobs (id, type, status, version, attempt, created_at, updated_at)"
                + " SELECT gen_random_uuid(), 'raw', %s, %s, 1, now(), now() WHERE ? IS NOT NULL";
        String historyOf = "INSERT INTO job_history (job_id, version, from_status, to_status, at, attempt)"
                + " VALUES (?, %s, 'PENDING', 'QUEUED', now(), 1)";
        return Stream.of(
                Arguments.of(JobStatus.RUNNING, "job_progress_check", "UPDATE jobs SET progress = 101 WHERE id = ?"),
                Arguments.of(JobStatus.PENDING, "job_attempt_check", "UPDATE jobs SET attempt = 0 WHERE id = ?"),
                Arguments.of(JobStatus.RUNNING, "job_lease_seconds_check", "UPDATE jobs SET lease_seconds = 0 WHERE id = ?"),
                Arguments.of(JobStatus.PENDING, "job_type_check", "UPDATE jobs SET type = '' WHERE id = ?"),
                Arguments.of(JobStatus.PENDING, "job_type_check", "UPDATE jobs SET type = repeat('t', 101) WHERE id = ?"),
                Arguments.of(JobStatus.PENDING, "job_status_check", bornWith.formatted("'DONE'", "0")),
                Arguments.of(JobStatus.PENDING, "job_version_check", bornWith.formatted("'PENDING'", "-1")),
                Arguments.of(JobStatus.PENDING, "history_version_check", historyOf.formatted("0")),
                Arguments.of(JobStatus.PENDING, "event_trace_id_form", "INSERT INTO event_outbox"
                        + " (job_id, from_status, to_status, version, at, trace_id)"
                        + " VALUES (?, 'PENDING', 'QUEUED', 1, now(), 'not-a-trace-id')"),
                Arguments.of(JobStatus.PENDING, "status_count_slot_check",
                        "UPDATE job_status_counts SET slot = 64 WHERE slot = 0 AND ? IS NOT NULL"));
    }

    @Test
    void jobsAreBornPendingAtVersionZero() {
        String insert = "INSERT INTO jobs (id, type, status, version, attempt, created_at, updated_at)"
                + " VALUES (?, 'raw', ?, ?, 1, now(), now())";

        assertRejected(insert, UUID.randomUUID(), "RUNNING", 0);
        assertRejected(insert, UUID.randomUUID(), "PENDING", 3);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("io.jobstate.persistence.support.StatusPairs#allPairs")
    void historyRecordsExactlyTheLegalPairs(JobStatus from, JobStatus to) throws SQLException {
        Job job = jobIn(JobStatus.PENDING);
        // a version no transition of the job wrote, so that only the pair can be refused
        String insert = "INSERT INTO job_history (job_id, version, from_status, to_status, at, attempt)"
                + " VALUES (?, 100, ?, ?, now(), 1)";

        if (from.canTransitionTo(to)) {
            assertThat(execute(insert, job.id(), from.name(), to.name())).isEqualTo(1);
        } else {
            assertRejected(insert, job.id(), from.name(), to.name());
        }
    }

    private Job jobIn(JobStatus status) {
        return JobsInStatus.jobIn(store, status);
    }

    private int execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = fixture.connect(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private void assertRejected(String sql, Object... parameters) {
        assertThatThrownBy(() -> execute(sql, parameters))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("23514", "23503"));
    }
}
