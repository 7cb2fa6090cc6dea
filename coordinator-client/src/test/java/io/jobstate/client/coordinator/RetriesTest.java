package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jobstate.client.api.NewJob;
import io.jobstate.client.fake.Exchange;
import io.jobstate.client.fake.Fault;
import io.jobstate.client.fake.Route;
import io.jobstate.client.problem.UnavailableException;
import io.jobstate.jobs.JobStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Transient failures: retried with the operation's one Idempotency-Key, and never applied twice. */
class RetriesTest extends ClientTest {

    @Test
    void aBurstOf503IsRetriedWithTheSameKeyUntilApplied() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 3, Fault.unavailable());

        OperationResult result = coordinator().start(id);

        assertThat(result).isInstanceOf(OperationResult.Applied.class);
        List<Exchange> attempts = fake().exchanges(Route.TRANSITION);
        assertThat(attempts).extracting(Exchange::status).containsExactly(503, 503, 503, 200);
        assertOneKey(attempts);
        assertThat(fake().history(id)).hasSize(1);
        assertThat(fake().job(id).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void theNextAttemptWaitsForRetryAfter() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.Unavailable(Duration.ofSeconds(1)));

        coordinator().start(id);

        List<Exchange> attempts = fake().exchanges(Route.TRANSITION);
        assertThat(attempts).hasSize(2);
        // the configured first step is 10 ms: only Retry-After explains a gap of a second
        assertThat(Duration.ofNanos(attempts.get(1).receivedNanos() - attempts.get(0).receivedNanos()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anInterruptedWaitEndsTheOperationWithoutAnotherAttempt() throws InterruptedException {
        UUID id = fake().givenJob().id();
        coordinator().job(id); // started up: the first attempt below is not slowed by the client's start
        fake().inject(Route.TRANSITION, 1, new Fault.Unavailable(Duration.ofSeconds(30)));
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                coordinator().start(id);
            } catch (Exception e) { // SmallRye's retry loop throws InterruptedException, undeclared
                failure.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        // parked in the wait for Retry-After, not in the first attempt's wait for its answer
        await().atMost(Duration.ofSeconds(10)).until(() -> fake().exchanges(Route.TRANSITION).size() == 1 && sleeping(caller));

        caller.interrupt();
        caller.join(Duration.ofSeconds(10));

        assertThat(caller.isAlive()).isFalse();
        // ours (CancellationException, the thread still interrupted), or the Fault Tolerance runtime's own
        assertThat(failure.get()).isInstanceOfAny(CancellationException.class, InterruptedException.class);
        assertThat(failure.get() instanceof InterruptedException || interruptKept.get()).as("the interrupt is not lost").isTrue();
        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(1);
    }

    @Test
    void anAnswerLostAfterTheChangeWasAppliedIsReplayedNotAppliedAgain() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.DropAfterApplying());

        OperationResult result = coordinator().start(id);

        List<Exchange> attempts = fake().exchanges(Route.TRANSITION);
        assertThat(attempts).extracting(Exchange::applied).containsExactly(true, false);
        assertOneKey(attempts);
        assertThat(fake().history(id)).hasSize(1);
        assertThat(((OperationResult.Applied) result).job().version()).isEqualTo(1);
    }

    @Test
    void aConnectionResetBeforeTheRequestWasHandledIsRetried() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.DropBeforeApplying());

        coordinator().start(id);

        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::applied).containsExactly(false, true);
        assertThat(fake().history(id)).hasSize(1);
    }

    @Test
    void aSlowAnswerEndsTheAttemptAndTheRetryIsReplayed() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.SlowAfterApplying(Duration.ofSeconds(4)));

        OperationResult result = coordinator().start(id);

        assertThat(result).isInstanceOf(OperationResult.Applied.class);
        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::applied).containsExactly(true, false);
        assertThat(fake().history(id)).hasSize(1);
    }

    @Test
    void aProxysBadGatewayPageIsRetried() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 1, new Fault.BadGateway());

        coordinator().start(id);

        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::status).containsExactly(502, 200);
    }

    @Test
    void aServerStillDeployingTheServiceIsRetriedNotTakenForAMissingJob() {
        // FaultsIT met this under load: an instance restarted mid-storm answered Liberty's own 404 page
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 2, new Fault.NotDeployed());

        OperationResult result = coordinator().start(id);

        assertThat(result).isInstanceOf(OperationResult.Applied.class);
        assertThat(fake().exchanges(Route.TRANSITION)).extracting(Exchange::status).containsExactly(404, 404, 200);
        assertThat(fake().history(id)).hasSize(1);
    }

    @Test
    void retriesAreBoundedAndThenTheFailureSurfaces() {
        UUID id = fake().givenJob().id();
        fake().inject(Route.TRANSITION, 50, new Fault.Unavailable(Duration.ZERO));

        assertThatThrownBy(() -> coordinator().start(id)).isInstanceOf(UnavailableException.class);

        assertThat(fake().exchanges(Route.TRANSITION)).hasSize(6); // the first attempt and @Retry(maxRetries = 5)
        assertThat(fake().history(id)).isEmpty();
    }

    @Test
    void creatingThroughFaultsCreatesOneJob() {
        fake().inject(Route.CREATE, 1, Fault.unavailable());
        fake().inject(Route.CREATE, 1, new Fault.DropAfterApplying());

        var job = coordinator().create(NewJob.ofType("build"));

        assertThat(fake().exchanges(Route.CREATE)).extracting(Exchange::applied).containsExactly(false, true, false);
        assertOneKey(fake().exchanges(Route.CREATE));
        assertThat(fake().jobCount()).isEqualTo(1);
        assertThat(fake().job(job.id())).isNotNull();
    }

    @Test
    void progressIsRetriedAndABackwardsReportIsAValue() {
        UUID id = fake().givenJob().id();
        coordinator().start(id);
        fake().inject(Route.PROGRESS, 1, new Fault.DropAfterApplying());

        ProgressResult forty = coordinator().reportProgress(id, 40);
        ProgressResult backwards = coordinator().reportProgress(id, 10);

        assertThat(forty).isInstanceOfSatisfying(ProgressResult.Recorded.class, r -> assertThat(r.job().progress()).isEqualTo(40));
        assertThat(backwards).isEqualTo(new ProgressResult.Rejected(
                io.jobstate.client.problem.ConflictReason.BACKWARDS, io.jobstate.client.api.JobStatus.RUNNING, 1));
        assertThat(fake().exchanges(Route.PROGRESS)).extracting(Exchange::status).containsExactly(0, 200, 409);
    }

    private static boolean sleeping(Thread thread) {
        return thread.getState() == Thread.State.TIMED_WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(Thread.class.getName()) && frame.getMethodName().startsWith("sleep"));
    }

    private static void assertOneKey(List<Exchange> attempts) {
        assertThat(attempts).extracting(Exchange::idempotencyKey).doesNotContainNull().containsOnly(attempts.get(0).idempotencyKey());
    }
}
