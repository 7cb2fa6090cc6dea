package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.fake.Exchange;
import io.jobstate.client.fake.Route;
import io.jobstate.client.problem.ConflictReason;
import jakarta.json.Json;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The coordinator keeps the lease of each run it starts, presents it, heartbeats it, and is fenced off later runs. */
class LeasesTest extends ClientTest {

    private static final io.jobstate.jobs.JobStatus FAILED = io.jobstate.jobs.JobStatus.FAILED;
    private static final io.jobstate.jobs.JobStatus QUEUED = io.jobstate.jobs.JobStatus.QUEUED;
    private static final io.jobstate.jobs.JobStatus RUNNING = io.jobstate.jobs.JobStatus.RUNNING;

    @Test
    void theRunsTokenFromStartIsPresentedToFinishIt() {
        UUID id = fake().givenJob().id();
        Job started = ((OperationResult.Applied) coordinator().start(id)).job();

        OperationResult completed = coordinator().complete(id, Json.createObjectBuilder().add("ok", true).build());

        assertThat(started.leaseToken()).isNotBlank();
        assertThat(started.leaseExpiresAt()).isAfter(started.updatedAt());
        assertThat(completed).isInstanceOf(OperationResult.Applied.class);
        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::leaseToken)
                .containsExactly(null, started.leaseToken());
        assertThat(coordinator().leaseToken(id)).isEmpty();
    }

    @Test
    void aZombieWorkerIsFencedOffTheRetriedRunAndForgetsItsLease() {
        UUID id = fake().givenJob().id();
        coordinator().start(id);
        // meanwhile the lease expired, the job was reaped and retried, and another worker runs it
        fake().givenTransition(id, FAILED);
        fake().givenTransition(id, QUEUED);
        fake().givenTransition(id, RUNNING);

        OperationResult late = coordinator().complete(id, Json.createObjectBuilder().add("stale", true).build());

        assertThat(late).isInstanceOfSatisfying(OperationResult.Superseded.class, superseded -> {
            assertThat(superseded.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH);
            assertThat(superseded.currentStatus()).isEqualTo(JobStatus.RUNNING);
        });
        assertThat(fake().job(id).status()).isEqualTo(RUNNING);
        assertThat(fake().job(id).result()).isNull();
        assertThat(coordinator().leaseToken(id)).isEmpty();
        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(2);
    }

    @Test
    void aHeartbeatRenewsTheLeaseAndAForeignRunCannotBeHeartbeated() {
        UUID id = fake().givenJob().id();
        Job started = ((OperationResult.Applied) coordinator().start(id)).job();

        Job renewed = coordinator().heartbeat(id);

        assertThat(renewed.leaseExpiresAt()).isAfterOrEqualTo(started.leaseExpiresAt());
        assertThat(renewed.version()).isEqualTo(started.version());
        UUID foreign = fake().givenJob().id();
        fake().givenTransition(foreign, RUNNING);
        assertThatThrownBy(() -> coordinator().heartbeat(foreign)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theKeeperHeartbeatsWhileWorkRunsAndStopsWhenTheLeaseIsTakenAway() {
        UUID id = fake().givenJob().id();
        coordinator().start(id);

        try (LeaseKeeper keeper = coordinator().keepLeaseAlive(id, Duration.ofMillis(50))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> fake().exchanges(Route.HEARTBEAT).size() >= 3);
            assertThat(keeper.lost()).isEmpty();
            fake().givenTransition(id, FAILED);

            await().atMost(Duration.ofSeconds(10)).until(() -> keeper.lost().isPresent());

            assertThat(keeper.lost().get().reason()).isEqualTo(ConflictReason.NOT_RUNNING);
            int afterLoss = fake().exchanges(Route.HEARTBEAT).size();
            assertThat(fake().exchanges(Route.HEARTBEAT)).allSatisfy(e -> assertThat(e.leaseToken()).isNotNull());
            // stopped: no heartbeat after the refusal (one may have been in flight when it came)
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> fake().exchanges(Route.HEARTBEAT).size() <= afterLoss + 1);
        }
    }

    @Test
    void aRunCanAskForItsLeaseLength() {
        UUID id = fake().givenJob().id();

        coordinator().apply(Operation.of(id, TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(90)));

        Job job = coordinator().job(id);
        assertThat(Duration.between(job.updatedAt(), job.leaseExpiresAt())).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anExplicitTokenWinsOverTheKeptOne() {
        UUID id = fake().givenJob().id();
        fake().givenTransition(id, RUNNING);
        String theirs = fake().job(id).lease().token();

        OperationResult failed = coordinator().apply(Operation.of(id, TransitionRequest.to(JobStatus.FAILED).withError("x"))
                .withLeaseToken(theirs));

        assertThat(failed).isInstanceOf(OperationResult.Applied.class);
        assertThat(fake().job(id).status()).isEqualTo(FAILED);
        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::leaseToken).containsExactly(theirs);
    }

    @Test
    void aRunHandleKeepsItsOwnTokenSoAnInProcessRescueFencesTheStalledWorker() {
        UUID id = fake().givenJob().id();
        LeasedRun stalled = coordinator().startRun(id, 1).orElseThrow();
        // the lease ran out and was reaped; a rescuer in the same process restarts the job
        fake().givenTransition(id, FAILED);
        coordinator().queue(id);
        LeasedRun rescue = coordinator().startRun(id, null).orElseThrow();

        OperationResult late = stalled.complete(Json.createObjectBuilder().add("stale", true).build());
        OperationResult rescued = rescue.complete(Json.createObjectBuilder().add("fresh", true).build());

        assertThat(rescue.leaseToken()).isNotEqualTo(stalled.leaseToken());
        assertThat(late).isInstanceOfSatisfying(OperationResult.Superseded.class,
                superseded -> assertThat(superseded.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH));
        assertThat(rescued).isInstanceOf(OperationResult.Applied.class);
        assertThat(fake().job(id).result()).isEqualTo("{\"fresh\":true}");
        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::leaseToken).endsWith(stalled.leaseToken(),
                rescue.leaseToken());
    }

    @Test
    void aRunReapedElsewhereIsForgottenOnceAReadShowsIt() {
        UUID id = fake().givenJob().id();
        coordinator().start(id);
        fake().givenTransition(id, FAILED); // the lease ran out and the server's reaper failed the job

        coordinator().job(id);

        assertThat(coordinator().leaseToken(id)).isEmpty();
        assertThatThrownBy(() -> coordinator().heartbeat(id)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRunCancelledElsewhereIsForgottenOnceItsCompletionIsRefused() {
        UUID id = fake().givenJob().id();
        coordinator().start(id);
        fake().givenTransition(id, io.jobstate.jobs.JobStatus.CANCELLED);

        OperationResult late = coordinator().complete(id, Json.createObjectBuilder().add("late", true).build());

        assertThat(late).isInstanceOfSatisfying(OperationResult.Superseded.class,
                superseded -> assertThat(superseded.currentStatus()).isEqualTo(JobStatus.CANCELLED));
        assertThat(coordinator().leaseToken(id)).isEmpty();
    }

    @Test
    void aRunIsForgottenOnceAProgressReportIsRefusedBecauseItEnded() {
        UUID id = fake().givenJob().id();
        coordinator().start(id);
        fake().givenTransition(id, FAILED);

        ProgressResult refused = coordinator().reportProgress(id, 10);

        assertThat(refused).isInstanceOf(ProgressResult.Rejected.class);
        assertThat(coordinator().leaseToken(id)).isEmpty();
    }

    @Test
    void aRunStillRunningIsKeptWhateverIsReadOfIt() {
        UUID id = fake().givenJob().id();
        Job started = ((OperationResult.Applied) coordinator().start(id)).job();

        coordinator().job(id);
        coordinator().history(id);
        coordinator().reportProgress(id, 10);
        coordinator().heartbeat(id);

        assertThat(coordinator().leaseToken(id)).hasValue(started.leaseToken());
    }

    @Test
    void aJobThatCannotStartGivesNoRun() {
        UUID id = fake().givenJob().id();
        coordinator().cancel(id, "no longer needed");

        assertThat(coordinator().startRun(id, null)).isEmpty();
    }
}
