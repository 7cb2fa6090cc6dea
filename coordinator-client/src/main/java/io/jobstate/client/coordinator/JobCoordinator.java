package io.jobstate.client.coordinator;

import io.jobstate.client.api.ClaimRequest;
import io.jobstate.client.api.HistoryEntry;
import io.jobstate.client.api.Job;
import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.JobstateApi;
import io.jobstate.client.api.NewJob;
import io.jobstate.client.api.ProgressReport;
import io.jobstate.client.api.TransitionRequest;
import io.jobstate.client.coordinator.internal.GuardedCalls;
import io.jobstate.client.problem.ConflictException;
import io.jobstate.client.tracing.ClientTraces;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The operations a coordinator needs, each safe to call under failures and races:
 * <ul>
 *   <li>every attempt of one operation carries the same Idempotency-Key, so an attempt whose
 *       answer was lost is replayed by the service, never applied twice;</li>
 *   <li>transient failures (no answer, 502/503/504, timeouts) are retried with exponential
 *       backoff, jitter and the server's Retry-After ({@link GuardedCalls}); 400, 401, 403, 404
 *       and 412 never are;</li>
 *   <li>a 409 is re-decided ({@link ConflictDecision}): already applied by this operation is
 *       success; stale expectations for a transition that is still legal are rebased and sent
 *       again (at most {@code jobstate.client.conflict-rounds} times); otherwise the result is
 *       {@link OperationResult.Superseded} and nothing newer is ever overwritten.</li>
 *   <li>leases: {@link #startRun} hands a worker its run ({@link LeasedRun}), which presents that
 *       run's lease token with the completion, failure, progress and heartbeats
 *       ({@link LeasedRun#keepAlive} while work runs); a run whose lease was taken away answers
 *       {@code LEASE_MISMATCH} and the operation is {@link OperationResult.Superseded}: an earlier
 *       run's worker never changes a later run. The id-based conveniences ({@link #complete},
 *       {@link #heartbeat} …) present the token of the latest run this coordinator started, held
 *       until an answer shows that run over, and for at most {@code jobstate.client.max-held-leases}
 *       jobs ({@link HeldLeases}).</li>
 * </ul>
 * Thread-safe.
 */
@ApplicationScoped
public class JobCoordinator {

    /** Entries per history request: the most the server answers with (docs/api.md). */
    static final int HISTORY_PAGE = 1000;

    @Inject
    @RestClient
    JobstateApi api;

    @Inject
    GuardedCalls calls;

    @Inject
    @ConfigProperty(name = "jobstate.client.conflict-rounds", defaultValue = "3")
    int conflictRounds;

    @Inject
    @ConfigProperty(name = "jobstate.client.max-held-leases", defaultValue = "10000")
    int maxHeldLeases;

    /** The lease token of the latest run this coordinator started, by job, while it may still be running. */
    private HeldLeases leases;

    @PostConstruct
    void holdLeases() {
        leases = new HeldLeases(maxHeldLeases);
    }

    /** Creates a job; retries reuse one Idempotency-Key, so at most one job is created. */
    public Job create(NewJob job) {
        return create(job, UUID.randomUUID().toString());
    }

    public Job create(NewJob job, String idempotencyKey) {
        return guarded(() -> api.create(idempotencyKey, job));
    }

    public Job job(UUID id) {
        Job job = guarded(() -> api.get(id));
        leases.seen(job);
        return job;
    }

    /** The job's whole history, oldest first, read a page at a time (each page one guarded call). */
    public List<HistoryEntry> history(UUID id) {
        List<HistoryEntry> history = new ArrayList<>();
        List<HistoryEntry> page;
        do {
            Long after = history.isEmpty() ? null : history.getLast().version();
            page = guarded(() -> api.history(id, after, HISTORY_PAGE));
            history.addAll(page);
        } while (page.size() == HISTORY_PAGE);
        history.stream().mapToLong(HistoryEntry::version).max().ifPresent(version -> leases.seen(id, version));
        return List.copyOf(history);
    }

    /** One-shot conveniences with a key of their own; use {@link #apply} with your key to retry across exceptions. */
    public OperationResult queue(UUID id) {
        return apply(Operation.of(id, TransitionRequest.to(JobStatus.QUEUED)));
    }

    public OperationResult start(UUID id) {
        return apply(Operation.of(id, TransitionRequest.to(JobStatus.RUNNING)));
    }

    public OperationResult complete(UUID id, JsonObject result) {
        return apply(Operation.of(id, TransitionRequest.to(JobStatus.COMPLETED).withResult(result)));
    }

    public OperationResult fail(UUID id, String error) {
        return apply(Operation.of(id, TransitionRequest.to(JobStatus.FAILED).withError(error)));
    }

    public OperationResult cancel(UUID id, String reason) {
        return apply(Operation.of(id, TransitionRequest.to(JobStatus.CANCELLED).withReason(reason)));
    }

    /**
     * Applies one operation. Give the request expectations ({@link TransitionRequest#expecting})
     * to base it on the state you saw; without them the service checks only that the transition
     * is legal at the instant of the write.
     *
     * <p>Retrying after an exception: apply the same {@link Operation} again (same key, same body):
     * if an earlier attempt landed, the service replays it.
     *
     * @throws ConflictException when the expectations were still stale after the configured rounds,
     *         or the Idempotency-Key was used before for another operation
     */
    public OperationResult apply(Operation operation) {
        Operation attempt = operation;
        for (int round = 1; ; round++) {
            Operation sent = attempt;
            String leaseToken = sent.leaseToken() != null ? sent.leaseToken() : leases.token(sent.jobId());
            try {
                Job job = guarded(() -> api.transition(sent.jobId(), sent.idempotencyKey(), null, leaseToken, sent.request()));
                leases.applied(job);
                return new OperationResult.Applied(job);
            } catch (ConflictException conflict) {
                leases.seen(sent.jobId(), conflict.currentVersion());
                switch (ConflictDecision.after(conflict, sent.request())) {
                    case CONFIRM_FROM_HISTORY -> {
                        if (appliedEarlier(sent)) {
                            return new OperationResult.Applied(job(sent.jobId()));
                        }
                        throw conflict;
                    }
                    case REBASE -> {
                        if (round >= conflictRounds) {
                            throw conflict;
                        }
                        attempt = sent.rebasedOn(conflict.currentStatus(), conflict.currentVersion());
                    }
                    case SUPERSEDED -> {
                        return superseded(sent, conflict);
                    }
                    case REFUSE -> throw conflict;
                }
            }
        }
    }

    /**
     * Reports progress with the run's lease token (renewing the lease); a report that is not accepted
     * (not RUNNING, backwards, the lease taken away) is a value, not an error.
     */
    public ProgressResult reportProgress(UUID id, int progress) {
        return reportProgress(id, progress, leases.token(id));
    }

    ProgressResult reportProgress(UUID id, int progress, String leaseToken) {
        try {
            Job job = guarded(() -> api.reportProgress(id, leaseToken, new ProgressReport(progress)));
            leases.seen(job);
            return new ProgressResult.Recorded(job);
        } catch (ConflictException rejected) {
            leases.seen(id, rejected.currentVersion());
            return new ProgressResult.Rejected(rejected.reason(), rejected.currentStatus(), rejected.currentVersion());
        }
    }

    /**
     * Starts a run of the job (RUNNING, with a lease of {@code leaseSeconds}, null for the server's
     * default) and hands back the run: the worker finishes it through the handle, which always
     * presents this run's token. Empty when the job could not be started (see the result).
     */
    public Optional<LeasedRun> startRun(UUID id, Integer leaseSeconds) {
        return startRun(Operation.of(id, TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(leaseSeconds)));
    }

    /** As {@link #startRun(UUID, Integer)}, for an operation to RUNNING of your own (key, expectations). */
    public Optional<LeasedRun> startRun(Operation toRunning) {
        if (toRunning.request().to() != JobStatus.RUNNING) {
            throw new IllegalArgumentException("a run starts with a transition to RUNNING, not " + toRunning.request().to());
        }
        OperationResult result = apply(toRunning);
        return result instanceof OperationResult.Applied applied && applied.job().leaseToken() != null
                ? Optional.of(new LeasedRun(this, applied.job())) : Optional.empty();
    }

    /**
     * Claims the job QUEUED longest among the request's types and hands back its run (RUNNING, under
     * a new lease this coordinator holds); empty when none could be claimed within the request's wait.
     * Retries reuse one Idempotency-Key, so a claim whose answer was lost gets the same job and lease
     * rather than stranding it until its lease expires. The server's wait must end before this client's
     * read timeout ({@code jobstate/mp-rest/readTimeout}, 8 s by default): keep {@code waitSeconds} below it.
     */
    public Optional<LeasedRun> claim(ClaimRequest request) {
        return claim(request, UUID.randomUUID().toString());
    }

    /** As {@link #claim(ClaimRequest)}, with your key: claim again with it after an exception to get what an earlier attempt claimed. */
    public Optional<LeasedRun> claim(ClaimRequest request, String idempotencyKey) {
        Job job = guarded(() -> {
            try (Response answer = api.claim(idempotencyKey, request)) {
                return answer.getStatus() == Response.Status.NO_CONTENT.getStatusCode() ? null : answer.readEntity(Job.class);
            }
        });
        if (job == null) {
            return Optional.empty();
        }
        leases.applied(job);
        return Optional.of(new LeasedRun(this, job));
    }

    /**
     * Renews the lease of a run this coordinator started; the answer's {@code leaseExpiresAt} is the
     * new expiry.
     *
     * @throws ConflictException {@code LEASE_MISMATCH} or {@code NOT_RUNNING} when the run is no longer ours
     * @throws IllegalStateException when no run of the job is held here (see {@link #leaseToken})
     */
    public Job heartbeat(UUID id) {
        return heartbeat(id, heldToken(id));
    }

    Job heartbeat(UUID id, String leaseToken) {
        try {
            Job job = guarded(() -> api.heartbeat(id, leaseToken));
            leases.seen(job);
            return job;
        } catch (ConflictException refused) {
            leases.seen(id, refused.currentVersion());
            throw refused;
        }
    }

    /**
     * Heartbeats every {@code every} until closed, while the caller works on the job: use it in
     * try-with-resources around the work, then complete or fail. A refused heartbeat (the lease was
     * taken away) stops the keeper and is visible through {@link LeaseKeeper#lost()}. The keeper
     * heartbeats the run held now, also after this coordinator forgets it.
     *
     * @throws IllegalStateException when no run of the job is held here (see {@link #leaseToken})
     */
    public LeaseKeeper keepLeaseAlive(UUID id, Duration every) {
        String token = heldToken(id);
        return LeaseKeeper.start(() -> heartbeat(id, token), every);
    }

    /**
     * The lease token of the latest run of {@code id} this coordinator started, while it may still be
     * running: empty once an answer showed the job past that run, or when more than
     * {@code jobstate.client.max-held-leases} runs are held and this is the least recently used.
     */
    public Optional<String> leaseToken(UUID id) {
        return Optional.ofNullable(leases.token(id));
    }

    private String heldToken(UUID id) {
        String token = leases.token(id);
        if (token == null) {
            throw new IllegalStateException("no run of job " + id + " is held here: start it with this coordinator, "
                    + "and keep its LeasedRun when it may outlive what this coordinator sees of it");
        }
        return token;
    }

    /** One operation through the guard: its attempts share one backoff, none other's. */
    private <T> T guarded(Supplier<T> request) {
        return ClientTraces.span(ClientTraces.CALL, () -> calls.call(calls.newBackoff(), request));
    }

    private boolean appliedEarlier(Operation operation) {
        return history(operation.jobId()).stream().anyMatch(entry ->
                operation.idempotencyKey().equals(entry.idempotencyKey()) && entry.to() == operation.request().to());
    }

    private static OperationResult superseded(Operation operation, ConflictException conflict) {
        return new OperationResult.Superseded(operation.jobId(), conflict.currentStatus(), conflict.currentVersion(),
                operation.request().to(), conflict.reason());
    }
}
