package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.RetentionPolicy;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.Backdating;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.Histories;
import io.jobstate.persistence.support.JobsInStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The pruner's window made certain rather than left to a race: a retry commits after the pruner read
 * the jobs due and before its delete. The delete's own re-check must keep that job.
 */
class RetentionStatementsIT extends DatabaseTest {

    private static final RetentionPolicy POLICY = new RetentionPolicy(Map.of(JobStatus.FAILED, Duration.ofHours(1)), Duration.ZERO);

    @Test
    void aJobRetriedBetweenTheReadAndTheDeleteIsKept() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        List<UUID> failed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            failed.add(JobsInStatus.jobIn(store, JobStatus.FAILED).id());
        }
        try (Connection connection = fixture.connect()) {
            Backdating.backdate(connection, failed, Duration.ofHours(2));
            List<UUID> due = due(connection);
            assertThat(due).containsExactlyInAnyOrderElementsOf(failed);

            UUID retried = due.getFirst();
            assertThat(store.transition(retried, TransitionRequest.to(JobStatus.QUEUED))).isInstanceOf(TransitionOutcome.Applied.class);
            Map<JobStatus, Integer> deleted = delete(connection, due);

            assertThat(deleted).isEqualTo(Map.of(JobStatus.FAILED, 2));
            assertThat(store.find(retried)).hasValueSatisfying(job -> assertThat(job.status()).isEqualTo(JobStatus.QUEUED));
            assertThat(Histories.of(store, retried).orElseThrow()).hasSize(3);
            assertThat(failed.subList(1, 3)).allMatch(id -> store.find(id).isEmpty());
        }
    }

    private static List<UUID> due(Connection connection) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement statement = RetentionStatements.due(POLICY, 10).prepare(connection);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static Map<JobStatus, Integer> delete(Connection connection, List<UUID> ids) throws Exception {
        Map<JobStatus, Integer> deleted = new EnumMap<>(JobStatus.class);
        try (PreparedStatement statement = RetentionStatements.delete(POLICY, ids).prepare(connection);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                deleted.put(JobStatus.valueOf(rows.getString(1)), rows.getInt(2));
            }
        }
        return deleted;
    }
}
