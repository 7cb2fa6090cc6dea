package io.jobstate.jobs.transition;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random request sequences against one job, applied through {@link TransitionDecision} the way a
 * store must apply them (history appended only for {@code Applied}), then checked as a whole.
 */
class TransitionPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Property(tries = 2000)
    void everyRecordedHistoryIsALegalPathThatMatchesTheJob(
            @ForAll("requests") @Size(max = 40) List<TransitionRequest> requests) {
        Run run = Run.of(requests);

        JobStatus previous = JobStatus.PENDING;
        int retries = 0;
        for (int i = 0; i < run.history.size(); i++) {
            HistoryEntry entry = run.history.get(i);
            assertThat(entry.version()).isEqualTo(i + 1);
            assertThat(entry.from()).isEqualTo(previous);
            assertThat(entry.from().canTransitionTo(entry.to())).isTrue();
            retries += JobStatus.isRetry(entry.from(), entry.to()) ? 1 : 0;
            assertThat(entry.attempt()).isEqualTo(1 + retries);
            previous = entry.to();
        }
        assertThat(run.job.status()).isEqualTo(previous);
        assertThat(run.job.version()).isEqualTo(run.history.size());
        assertThat(run.job.attempt()).isEqualTo(1 + retries);
    }

    @Property(tries = 2000)
    void terminalStatusesAbsorbAndExpectationsAreHonoured(
            @ForAll("requests") @Size(max = 40) List<TransitionRequest> requests) {
        Job job = Job.created(UUID.randomUUID(), "build", null, T0);
        List<HistoryEntry> history = new ArrayList<>();
        for (TransitionRequest request : requests) {
            Job before = job;
            TransitionOutcome outcome = Run.step(job, history, request);
            switch (outcome) {
                case TransitionOutcome.Applied applied -> {
                    assertThat(before.status().isTerminal()).isFalse();
                    assertThat(request.expectedStatus()).isIn(null, before.status());
                    assertThat(request.expectedVersion()).isIn(null, before.version());
                    assertThat(request.requiredVersion()).isIn(null, before.version());
                    job = applied.job();
                }
                case TransitionOutcome.Conflict conflict -> {
                    assertThat(conflict.current()).isEqualTo(before);
                    boolean honest = switch (conflict.reason()) {
                        case STALE_STATUS -> request.expectedStatus() != before.status();
                        case STALE_VERSION -> request.expectedVersion() != before.version();
                        case ILLEGAL_TRANSITION -> !before.status().canTransitionTo(request.to());
                        case IDEMPOTENCY_KEY_REUSED -> request.idempotencyKey() != null;
                        case LEASE_MISMATCH -> before.lease() == null || !before.lease().heldBy(request.leaseToken());
                        case NOT_RUNNING, BACKWARDS -> false; // reasons of progress reports and heartbeats only
                    };
                    assertThat(honest).as("reason %s for %s on %s", conflict.reason(), request, before).isTrue();
                }
                case TransitionOutcome.PreconditionFailed failed ->
                        assertThat(request.requiredVersion()).isNotEqualTo(before.version());
                case TransitionOutcome.Replayed replayed -> {
                    assertThat(replayed.original().requestFingerprint()).isEqualTo(request.fingerprint());
                    // the job as the original left it, whatever happened to it since
                    assertThat(replayed.job().version()).isEqualTo(replayed.original().version());
                    assertThat(replayed.job().status()).isEqualTo(replayed.original().to());
                }
                case TransitionOutcome.Invalid invalid -> assertThat(request.violations()).isNotEmpty();
                case TransitionOutcome.NotFound notFound -> throw new AssertionError("job exists");
                case TransitionOutcome.LockTimedOut timedOut -> throw new AssertionError("no locks here");
            }
        }
    }

    @Property(tries = 1000)
    void aRequestRepeatedWithItsKeyIsAppliedAtMostOnce(
            @ForAll("requests") @Size(max = 30) List<TransitionRequest> requests) {
        Run run = Run.of(requests.stream().flatMap(r -> java.util.stream.Stream.of(r, r)).toList());

        assertThat(run.history.stream().map(HistoryEntry::idempotencyKey).filter(k -> k != null))
                .doesNotHaveDuplicates();
    }

    @Provide
    Arbitrary<List<TransitionRequest>> requests() {
        return request().list();
    }

    private static Arbitrary<TransitionRequest> request() {
        Arbitrary<JobStatus> target = Arbitraries.of(JobStatus.class);
        Arbitrary<JobStatus> expectedStatus = Arbitraries.of(JobStatus.class).injectNull(0.6);
        Arbitrary<Long> version = Arbitraries.longs().between(0, 6).injectNull(0.6);
        Arbitrary<Long> ifMatch = Arbitraries.longs().between(0, 6).injectNull(0.8);
        Arbitrary<String> key = Arbitraries.of("k1", "k2", "k3", "k4", "k5").injectNull(0.5);
        return Combinators.combine(target, expectedStatus, version, ifMatch, key)
                .as((to, status, expectedVersion, required, idempotencyKey) -> TransitionRequest.to(to)
                        .expectingStatus(status)
                        .expectingVersion(expectedVersion)
                        .ifMatch(required)
                        .withIdempotencyKey(idempotencyKey)
                        .withResult(to == JobStatus.COMPLETED ? "{\"ok\":true}" : null)
                        .withError(to == JobStatus.FAILED ? "boom" : null));
    }

    /** A job and its history after applying requests as a store would. */
    private record Run(Job job, List<HistoryEntry> history) {

        static Run of(List<TransitionRequest> requests) {
            Job job = Job.created(UUID.randomUUID(), "build", null, T0);
            List<HistoryEntry> history = new ArrayList<>();
            for (TransitionRequest request : requests) {
                if (step(job, history, request) instanceof TransitionOutcome.Applied applied) {
                    job = applied.job();
                }
            }
            return new Run(job, history);
        }

        static TransitionOutcome step(Job job, List<HistoryEntry> history, TransitionRequest asked) {
            // the run's worker presents its token (fencing has its own tests)
            TransitionRequest request = job.lease() == null ? asked : asked.withLeaseToken(job.lease().token());
            Optional<HistoryEntry> prior = history.stream()
                    .filter(e -> e.idempotencyKey() != null && e.idempotencyKey().equals(request.idempotencyKey()))
                    .findFirst();
            Instant now = T0.plusSeconds(history.size() + 1L);
            TransitionOutcome outcome = TransitionDecision.decide(job, prior, request, now);
            if (outcome instanceof TransitionOutcome.Applied applied) {
                Job next = applied.job();
                history.add(new HistoryEntry(next.version(), job.status(), next.status(), now, next.attempt(),
                        request.idempotencyKey(), request.fingerprint(), null, request.reason(),
                        HistoryEntry.StateAfter.of(next)));
            }
            return outcome;
        }
    }
}
