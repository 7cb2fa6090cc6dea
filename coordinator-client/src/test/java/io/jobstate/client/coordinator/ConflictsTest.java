package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.fake.Exchange;
import io.jobstate.client.fake.Fault;
import io.jobstate.client.fake.Route;
import io.jobstate.client.problem.ConflictException;
import io.jobstate.client.problem.ConflictReason;
import io.jobstate.client.problem.UnreachableException;
import jakarta.json.Json;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * 409s are re-decided, never retried blindly: another caller changes the job just before our
 * request is handled (an interloper), and the client must neither lose its operation nor
 * overwrite the newer state.
 */
class ConflictsTest extends ClientTest {

    private static final io.jobstate.jobs.JobStatus QUEUED = io.jobstate.jobs.JobStatus.QUEUED;
    private static final io.jobstate.jobs.JobStatus RUNNING = io.jobstate.jobs.JobStatus.RUNNING;
    private static final io.jobstate.jobs.JobStatus FAILED = io.jobstate.jobs.JobStatus.FAILED;
    private static final io.jobstate.jobs.JobStatus CANCELLED = io.jobstate.jobs.JobStatus.CANCELLED;

    @Override
    Map<String, String> configuration() {
        return Map.of("jobstate.client.conflict-rounds", "2");
    }

    @Test
    void staleExpectationsAreRebasedWhenTheTransitionIsStillLegal() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Interloper(f -> f.givenTransition(id, QUEUED)));

        OperationResult result = coordinator().apply(startBasedOn(id, JobStatus.PENDING, 0));

        assertThat(result).isInstanceOfSatisfying(OperationResult.Applied.class,
                applied -> assertThat(applied.job().version()).isEqualTo(2));
        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::status).containsExactly(409, 200);
        assertThat(fake().exchanges(Route.TRANSITION).get(1).body()).contains("\"expectedVersion\":1", "\"expectedStatus\":\"QUEUED\"");
        assertThat(fake().history(id)).extracting(h -> h.to().name()).containsExactly("QUEUED", "RUNNING");
    }

    @Test
    void aCancelledJobIsNeverOverwritten() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Interloper(f -> f.givenTransition(id, CANCELLED)));

        OperationResult result = coordinator().apply(startBasedOn(id, JobStatus.PENDING, 0));

        assertThat(result).isEqualTo(new OperationResult.Superseded(id, JobStatus.CANCELLED, 1, JobStatus.RUNNING,
                ConflictReason.STALE_STATUS));
        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(1);
        assertThat(fake().job(id).status()).isEqualTo(CANCELLED);
    }

    @Test
    void aRunsResultIsNeverRebasedOntoALaterRun() {
        UUID id = fake().givenJob().id();
        fake().givenTransition(id, RUNNING);
        fake().inject(Route.TRANSITION, 1, new Fault.Interloper(f -> {
            f.givenTransition(id, FAILED);
            f.givenTransition(id, QUEUED);
            f.givenTransition(id, RUNNING);
        }));

        OperationResult result = coordinator().apply(Operation.of(id, TransitionRequest.to(JobStatus.COMPLETED)
                .withResult(Json.createObjectBuilder().add("artifact", "a.tar").build()).expecting(JobStatus.RUNNING, 1)));

        assertThat(result).isInstanceOfSatisfying(OperationResult.Superseded.class, superseded -> {
            assertThat(superseded.currentStatus()).isEqualTo(JobStatus.RUNNING);
            assertThat(superseded.currentVersion()).isEqualTo(4);
        });
        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(1);
        assertThat(fake().job(id).attempt()).isEqualTo(2);
        assertThat(fake().job(id).status()).isEqualTo(RUNNING);
    }

    @Test
    void someoneElseHavingMadeTheSameTransitionSupersedesOurs() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Interloper(f -> f.givenTransition(id, RUNNING)));

        OperationResult result = coordinator().start(id);

        assertThat(result).isInstanceOfSatisfying(OperationResult.Superseded.class,
                superseded -> assertThat(superseded.currentStatus()).isEqualTo(JobStatus.RUNNING));
        assertThat(fake().history(id)).hasSize(1).allSatisfy(h -> assertThat(h.idempotencyKey()).isNull());
        // a repeat of our own applied request would have been replayed, not refused: no need to ask the history
        assertThat(fake().exchanges(Route.HISTORY)).isEmpty();
    }

    @Test
    void aJobThatFailedMeanwhileIsNotRebasedIntoARetryNobodyDecidedOn() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Interloper(f -> {
            f.givenTransition(id, RUNNING);
            f.givenTransition(id, FAILED);
        }));

        OperationResult result = coordinator().apply(Operation.of(id,
                TransitionRequest.to(JobStatus.QUEUED).expecting(JobStatus.PENDING, 0)));

        assertThat(result).isInstanceOf(OperationResult.Superseded.class);
        assertThat(fake().job(id).status()).isEqualTo(FAILED);
        assertThat(fake().job(id).attempt()).isEqualTo(1);
    }

    @Test
    void aResultIsNeverConfirmedUnderAReusedKey() {
        UUID id = fake().givenJob().id();
        coordinator().start(id);
        coordinator().apply(Operation.of(id, TransitionRequest.to(JobStatus.COMPLETED)
                .withResult(Json.createObjectBuilder().add("artifact", "a").build())).withKey("finish-7"));

        assertThatThrownBy(() -> coordinator().apply(Operation.of(id, TransitionRequest.to(JobStatus.COMPLETED)
                .withResult(Json.createObjectBuilder().add("artifact", "b").build())).withKey("finish-7")))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.IDEMPOTENCY_KEY_REUSED));
        assertThat(fake().job(id).result()).isEqualTo("{\"artifact\":\"a\"}");
    }

    @Test
    void aRetriedOperationWhoseEarlierAttemptLandedIsSuccessNotAConflict() {
        UUID id = fake().givenJob().id();
        Operation start = startBasedOn(id, JobStatus.PENDING, 0);
        fake().inject(Route.TRANSITION, 6, new Fault.DropAfterApplying());

        // every attempt's answer is lost; the first one landed, the retries were replays
        assertThatThrownBy(() -> coordinator().apply(start)).isInstanceOf(UnreachableException.class);
        // the coordinator re-reads the job and re-issues the same operation (same key) from what it sees now
        OperationResult again = coordinator().apply(new Operation(id,
                TransitionRequest.to(JobStatus.RUNNING).expecting(JobStatus.RUNNING, 1), start.idempotencyKey()));

        assertThat(again).isInstanceOf(OperationResult.Applied.class);
        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::applied)
                .containsExactly(true, false, false, false, false, false, false);
        assertThat(fake().exchanges(Route.HISTORY)).hasSize(1);
        assertThat(fake().history(id)).hasSize(1);
    }

    @Test
    void anIdempotencyKeyUsedForAnotherOperationIsAnError() {
        UUID id = fake().givenJob().id();
        coordinator().apply(Operation.of(id, TransitionRequest.to(JobStatus.QUEUED)).withKey("work-item-7"));

        assertThatThrownBy(() -> coordinator().apply(Operation.of(id, TransitionRequest.to(JobStatus.RUNNING)).withKey("work-item-7")))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo(ConflictReason.IDEMPOTENCY_KEY_REUSED));
        assertThat(fake().job(id).status()).isEqualTo(QUEUED);
    }

    @Test
    void rebasingIsBounded() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Interloper(f -> f.givenTransition(id, QUEUED)));
        fake().inject(Route.TRANSITION, 1, new Fault.Interloper(f -> f.givenTransition(id, RUNNING)));

        assertThatThrownBy(() -> coordinator().apply(Operation.of(id,
                TransitionRequest.to(JobStatus.CANCELLED).expecting(JobStatus.PENDING, 0))))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.currentStatus()).isEqualTo(JobStatus.RUNNING));
        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(2);
        assertThat(fake().job(id).status()).isEqualTo(RUNNING);
    }

    private static Operation startBasedOn(UUID id, JobStatus status, long version) {
        return Operation.of(id, TransitionRequest.to(JobStatus.RUNNING).expecting(status, version));
    }
}
