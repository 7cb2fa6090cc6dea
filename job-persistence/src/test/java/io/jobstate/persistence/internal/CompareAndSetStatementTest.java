package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompareAndSetStatementTest {

    private static final UUID ID = UUID.randomUUID();

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void theGuardOfEveryTargetIsTheDomainsSetOfPredecessors(JobStatus to) {
        String predecessors = JobStatus.predecessorsOf(to).stream().map(s -> "'" + s.name() + "'")
                .collect(Collectors.joining(", "));

        String sql = CompareAndSetStatement.of(ID, TransitionRequest.to(to)).sql();

        assertThat(sql).contains("status = '" + to.name() + "'")
                .contains("WHERE id = ? AND status IN (" + predecessors + ")")
                .contains("version = version + 1");
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void everyPlaceholderHasAParameterWhateverConditionsTheRequestStates(JobStatus to) {
        TransitionRequest plain = TransitionRequest.to(to);
        TransitionRequest full = plain.expectingStatus(JobStatus.QUEUED).expectingVersion(3L).ifMatch(3L)
                .withIdempotencyKey("k");

        for (TransitionRequest request : new TransitionRequest[] {plain, full}) {
            CompareAndSetStatement statement = CompareAndSetStatement.of(ID, request);
            long placeholders = statement.sql().chars().filter(c -> c == '?').count();
            assertThat(statement.parameters()).hasSize((int) placeholders).contains(ID);
        }
        assertThat(CompareAndSetStatement.of(ID, full).sql())
                .contains("AND status = ?", "AND version = ?", "idempotency_key = ?");
        assertThat(CompareAndSetStatement.of(ID, plain).sql()).doesNotContain("AND status = ?", "NOT EXISTS");
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
    void theHistoryAndOutboxRowsAreWrittenByTheSameStatement(JobStatus to) {
        String sql = CompareAndSetStatement.of(ID, TransitionRequest.to(to)).sql();

        assertThat(sql).startsWith("WITH moved AS (UPDATE jobs")
                .contains("INSERT INTO job_history", "INSERT INTO job_events")
                .endsWith("SELECT * FROM moved");
    }
}
