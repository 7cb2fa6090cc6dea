package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobstate.client.api.ClaimRequest;
import io.jobstate.client.fake.Exchange;
import io.jobstate.client.fake.Fault;
import io.jobstate.client.fake.Route;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import jakarta.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ClaimsTest extends ClientTest {

    @Test
    void aClaimWhoseAnswerWasLostIsRetriedWithItsKeyAndGetsTheSameJobAndLease() {
        UUID id = queued();
        fake().inject(Route.CLAIM, 1, new Fault.DropAfterApplying());

        Optional<LeasedRun> run = coordinator().claim(ClaimRequest.of("build"));

        assertThat(run).hasValueSatisfying(r -> assertThat(r.jobId()).isEqualTo(id));
        List<Exchange> claims = fake().exchanges(Route.CLAIM);
        assertThat(claims).hasSize(2);
        assertThat(claims.get(1).idempotencyKey()).isNotNull().isEqualTo(claims.get(0).idempotencyKey());
        assertThat(run.get().leaseToken()).isEqualTo(fake().job(id).lease().token());
        assertThat(coordinator().leaseToken(id)).hasValue(run.get().leaseToken());
        assertThat(fake().history(id).stream().filter(h -> h.to() == JobStatus.RUNNING)).hasSize(1);
    }

    @Test
    void nothingQueuedIsAnEmptyClaim() {
        assertThat(coordinator().claim(ClaimRequest.of("build"))).isEmpty();
    }

    @Test
    void theWorkerRunsEachClaimedJobOnceCompletingOrFailingItAsItsHandlerDid() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(queued());
        }
        Set<UUID> ran = ConcurrentHashMap.newKeySet();
        JobWorker.Settings settings = new JobWorker.Settings(ClaimRequest.of("build"), 4, Duration.ofMillis(50));

        try (JobWorker worker = JobWorker.start(coordinator(), settings, run -> {
            assertThat(ran.add(run.jobId())).as("ran once").isTrue();
            if (ids.indexOf(run.jobId()) % 3 == 0) {
                throw new IllegalStateException("disk full");
            }
            return Json.createObjectBuilder().add("ok", true).build();
        })) {
            await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> fake().job(id).status().isTerminal()
                    || fake().job(id).status() == JobStatus.FAILED));
        }

        assertThat(ran).containsExactlyInAnyOrderElementsOf(ids);
        for (UUID id : ids) {
            Job job = fake().job(id);
            if (ids.indexOf(id) % 3 == 0) {
                assertThat(job.status()).isEqualTo(JobStatus.FAILED);
                assertThat(job.error()).isEqualTo("IllegalStateException: disk full");
            } else {
                assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            }
        }
    }

    @Test
    void aStoppedWorkerClaimsNoMoreLetsRunsFinishUntilTheDeadlineThenFailsThem() throws Exception {
        UUID slow = queued();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        JobWorker worker = JobWorker.start(coordinator(), new JobWorker.Settings(ClaimRequest.of("build"), 1, Duration.ofMillis(50)),
                run -> {
                    started.countDown();
                    never.await();
                    return Json.createObjectBuilder().build();
                });
        assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // the lease is kept while the run works
        await().atMost(Duration.ofSeconds(10)).until(() -> fake().exchanges(Route.HEARTBEAT).size() >= 2);

        assertThat(worker.stop(Duration.ofMillis(200))).isTrue();

        assertThat(fake().job(slow).status()).isEqualTo(JobStatus.FAILED);
        assertThat(fake().job(slow).error()).isEqualTo(JobWorker.STOPPED);
        int claims = fake().exchanges(Route.CLAIM).size();
        UUID later = queued();
        assertThat(fake().exchanges(Route.CLAIM)).hasSize(claims);
        assertThat(fake().job(later).status()).isEqualTo(JobStatus.QUEUED);
    }

    private UUID queued() {
        UUID id = fake().givenJob().id();
        fake().givenTransition(id, JobStatus.QUEUED);
        return id;
    }
}
