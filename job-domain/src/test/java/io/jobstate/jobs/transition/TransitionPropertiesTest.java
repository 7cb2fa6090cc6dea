package io.jobstate.jobs.transition;

import static io.jobstate.jobs.JobStatus.CANCELLED;
import static io.jobstate.jobs.JobStatus.COMPLETED;
import static io.jobstate.jobs.JobStatus.FAILED;
import static io.jobstate.jobs.JobStatus.PENDING;
import static io.jobstate.jobs.JobStatus.QUEUED;
import static io.jobstate.jobs.JobStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random request sequences against one job, applied through {@link TransitionDecision} the way a
 * store must apply them (history appended only for {@code Applied}), then checked as a whole.
 *
 * <p>Each property runs over the fixed seeds 1..n; a case generates everything from
 * {@code new SplittableRandom(seed)} and is named {@code seed <n>}, so a failing case fails again on
 * every run (to debug one, run {@link #cases} over {@code LongStream.of(n)}). Legal pairs, terminal
 * statuses and retries are judged by the contract's table written out below, not by {@link JobStatus}:
 * a property that asked the table under test could not see a wrong table.
 */
class TransitionPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final UUID JOB_ID = UUID.fromString("00000000-0000-0000-0000-00000000f00d");

    /** The contract's transition table, independent of the enum under test (see also JobStatusTest). */
    private static final Map<JobStatus, Set<JobStatus>> CONTRACT = Map.of(
            PENDING, EnumSet.of(QUEUED, RUNNING, CANCELLED),
            QUEUED, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            FAILED, EnumSet.of(QUEUED),
            COMPLETED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class));

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryIsALegalPathThatMatchesTheJob() {
        return cases(2000, random -> {
            Run run = Run.of(requests(random, 40));

            JobStatus previous = PENDING;
            int retries = 0;
            for (int i = 0; i < run.history.size(); i++) {
                HistoryEntry entry = run.history.get(i);
                assertThat(entry.version()).isEqualTo(i + 1);
                assertThat(entry.from()).isEqualTo(previous);
                assertThat(legal(entry.from(), entry.to())).as("%s -> %s is legal", entry.from(), entry.to()).isTrue();
                retries += isRetry(entry.from(), entry.to()) ? 1 : 0;
                assertThat(entry.attempt()).isEqualTo(1 + retries);
                previous = entry.to();
            }
            assertThat(run.job.status()).isEqualTo(previous);
            assertThat(run.job.version()).isEqualTo(run.history.size());
            assertThat(run.job.attempt()).isEqualTo(1 + retries);
        });
    }

    @TestFactory
    Stream<DynamicTest> terminalStatusesAbsorbAndExpectationsAreHonoured() {
        return cases(2000, random -> {
            Job job = Job.created(JOB_ID, "build", null, T0);
            List<HistoryEntry> history = new ArrayList<>();
            for (TransitionRequest request : requests(random, 40)) {
                Job before = job;
                TransitionOutcome outcome = Run.step(job, history, request);
                switch (outcome) {
                    case TransitionOutcome.Applied applied -> {
                        assertThat(terminal(before.status())).as("%s absorbs", before.status()).isFalse();
                        assertThat(request.expectedStatus()).isIn(null, before.status());
                        assertThat(request.expectedVersion()).isIn(null, before.version());
                        assertThat(request.requiredVersion()).isIn(null, before.version());
                        job = applied.job();
                    }
                    case TransitionOutcome.Conflict conflict -> {
                        assertThat(conflict.current()).isEqualTo(before);
                        boolean honest = switch (conflict.reason()) {
                            case STALE_STATUS -> request.expectedStatus() != before.status();
                            case STALE_VERSION -> !Objects.equals(request.expectedVersion(), before.version());
                            case ILLEGAL_TRANSITION -> !legal(before.status(), request.to());
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
        });
    }

    @TestFactory
    Stream<DynamicTest> aRequestRepeatedWithItsKeyIsAppliedAtMostOnce() {
        return cases(1000, random -> {
            Run run = Run.of(requests(random, 30).stream().flatMap(r -> Stream.of(r, r)).toList());

            assertThat(run.history.stream().map(HistoryEntry::idempotencyKey).filter(Objects::nonNull))
                    .doesNotHaveDuplicates();
        });
    }

    /**
     * One case per seed 1..{@code count}, named after its seed (Surefire lists case n as {@code [n]});
     * the seed also leads any failure message.
     */
    private static Stream<DynamicTest> cases(int count, Consumer<SplittableRandom> property) {
        return cases(LongStream.rangeClosed(1, count), property);
    }

    private static Stream<DynamicTest> cases(LongStream seeds, Consumer<SplittableRandom> property) {
        return seeds.mapToObj(seed -> dynamicTest("seed " + seed, () -> {
            try {
                property.accept(new SplittableRandom(seed));
            } catch (AssertionError failure) {
                AssertionError named = new AssertionError("seed " + seed + ": " + failure.getMessage(), failure);
                named.setStackTrace(failure.getStackTrace()); // Surefire's summary then names the property's line
                throw named;
            }
        }));
    }

    /** 0 to {@code maxSize} requests; each part is absent (null) as often as in the earlier generator. */
    private static List<TransitionRequest> requests(SplittableRandom random, int maxSize) {
        int size = random.nextInt(maxSize + 1);
        List<TransitionRequest> requests = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            requests.add(request(random));
        }
        return requests;
    }

    private static TransitionRequest request(SplittableRandom random) {
        JobStatus to = oneOf(random, JobStatus.values());
        return TransitionRequest.to(to)
                .expectingStatus(orNull(random, 0.6, oneOf(random, JobStatus.values())))
                .expectingVersion(orNull(random, 0.6, random.nextLong(0, 7)))
                .ifMatch(orNull(random, 0.8, random.nextLong(0, 7)))
                .withIdempotencyKey(orNull(random, 0.5, oneOf(random, new String[] {"k1", "k2", "k3", "k4", "k5"})))
                .withResult(to == COMPLETED ? "{\"ok\":true}" : null)
                .withError(to == FAILED ? "boom" : null);
    }

    private static <T> T oneOf(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    /** {@code null} with probability {@code nullShare}, else {@code value} (always drawn, so draws stay aligned). */
    private static <T> T orNull(SplittableRandom random, double nullShare, T value) {
        return random.nextDouble() < nullShare ? null : value;
    }

    private static boolean legal(JobStatus from, JobStatus to) {
        return CONTRACT.get(from).contains(to);
    }

    private static boolean terminal(JobStatus status) {
        return CONTRACT.get(status).isEmpty();
    }

    private static boolean isRetry(JobStatus from, JobStatus to) {
        return from == FAILED && to == QUEUED;
    }

    /** A job and its history after applying requests as a store would. */
    private record Run(Job job, List<HistoryEntry> history) {

        static Run of(List<TransitionRequest> requests) {
            Job job = Job.created(JOB_ID, "build", null, T0);
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
