package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.store.JobStore;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.testing.StoredJobs;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 32 threads, 20,000 random requests over 400 jobs, then every invariant checked from the
 * database. The same storm through the naive read-validate-write control must break them.
 */
class TransitionStormIT extends DatabaseTest {

    private static final Logger LOG = Logger.getLogger(TransitionStormIT.class.getName());
    private static final int THREADS = 32;
    private static final int JOBS = 400;
    private static final int REQUESTS = 20_000;
    private static final Duration BOUND = Duration.ofMinutes(5);

    @ParameterizedTest
    @EnumSource(LockingPath.class)
    void noTransitionIsLostDuplicatedOrAppliedFromAStaleRead(LockingPath path) throws Exception {
        JobStore store = fixture.store(path);
        List<UUID> jobs = Jobs.pending(store, JOBS, "storm-" + path);

        List<Recorded> recorded = assertTimeoutPreemptively(BOUND,
                () -> new Storm(store, jobs, THREADS, REQUESTS, 42L).run());
        List<String> violations = check(recorded, jobs);

        LOG.info(Storm.summary("storm " + path, recorded, violations));
        assertThat(recorded).hasSize(REQUESTS);
        assertThat(violations).isEmpty();
        assertThat(recorded).filteredOn(r -> r.outcome() instanceof io.jobstate.jobs.transition.TransitionOutcome.Applied)
                .hasSizeGreaterThan(JOBS);
        assertThat(recorded).filteredOn(r -> r.outcome() instanceof io.jobstate.jobs.transition.TransitionOutcome.Replayed)
                .isNotEmpty();
    }

    @Test
    void theNaiveReadValidateWriteControlBreaksTheInvariantsUnderTheSameStorm() throws Exception {
        List<UUID> jobs = Jobs.pending(fixture.store(LockingPath.CAS), JOBS, "storm-naive");
        NaiveReadValidateWriteStore naive = new NaiveReadValidateWriteStore(fixture.dataSource());
        List<Recorded> recorded = assertTimeoutPreemptively(BOUND,
                () -> new Storm(naive, jobs, THREADS, REQUESTS, 42L).run());
        List<String> violations = check(recorded, jobs);

        LOG.info(Storm.summary("storm NAIVE control", recorded, violations));
        violations.stream().limit(5).forEach(v -> LOG.info(() -> "naive control violation: " + v));
        assertThat(violations).isNotEmpty();
    }

    private List<String> check(List<Recorded> recorded, List<UUID> jobs) throws Exception {
        try (Connection connection = fixture.connect()) {
            return HistoryChecker.check(recorded, StoredJobs.read(connection, jobs));
        }
    }
}
