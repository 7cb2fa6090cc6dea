package io.jobstate.client.fake;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.lease.HeartbeatDecision;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.progress.ProgressDecision;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.transition.TransitionDecision;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;

/**
 * The fake service: jobs and their histories in memory, every decision made by job-domain's
 * {@link TransitionDecision} and {@link ProgressDecision}, so its answers are the real service's
 * answers. Faults queued per route with {@link #inject} are consumed one per request. Every
 * request is recorded as an {@link Exchange}. Thread-safe (one lock: requests are serialised,
 * like row locks would serialise them on one job).
 */
public final class FakeJobstate implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fake-jobstate";

    private final Map<UUID, Job> jobs = new HashMap<>();
    private final Map<UUID, List<HistoryEntry>> histories = new HashMap<>();
    private final Map<String, UUID> createdByKey = new HashMap<>();
    private final Map<String, Job> claimedByKey = new HashMap<>();
    private final Map<Route, Queue<Fault>> faults = new EnumMap<>(Route.class);
    private final List<Exchange> exchanges = new ArrayList<>();
    private String requiredToken;
    /** Whether the request being handled changed the state (an interloper's changes do not count). */
    private boolean changedByRequest;

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** The next {@code times} requests to {@code route} get {@code fault}, after any already queued. */
    public synchronized void inject(Route route, int times, Fault fault) {
        Queue<Fault> queue = faults.computeIfAbsent(route, r -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
    }

    /** From now on, only {@code Authorization: Bearer <token>} is let in (else 401, no body, as Liberty answers). */
    public synchronized void requireToken(String token) {
        this.requiredToken = token;
    }

    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public synchronized List<Exchange> exchanges(Route route) {
        return exchanges.stream().filter(e -> e.route() == route).toList();
    }

    public synchronized Job job(UUID id) {
        return jobs.get(id);
    }

    public synchronized List<HistoryEntry> history(UUID id) {
        return List.copyOf(histories.getOrDefault(id, List.of()));
    }

    public synchronized int jobCount() {
        return jobs.size();
    }

    /** {@code count} more history entries of job {@code id} (a run failing and being retried), as if other callers had made them. */
    public synchronized void givenHistory(UUID id, int count) {
        List<HistoryEntry> history = histories.get(id);
        for (int i = 0; i < count; i++) {
            long version = history.size() + 1;
            JobStatus from = history.isEmpty() ? JobStatus.PENDING : history.getLast().to();
            JobStatus to = from == JobStatus.QUEUED ? JobStatus.RUNNING : from == JobStatus.RUNNING ? JobStatus.FAILED : JobStatus.QUEUED;
            history.add(new HistoryEntry(version, from, to, Instant.now(), 1, null, null));
        }
    }

    /** A job as another caller would create it. */
    public synchronized Job givenJob() {
        Job job = Job.created(UUID.randomUUID(), "build", null, Instant.now());
        jobs.put(job.id(), job);
        histories.put(job.id(), new ArrayList<>());
        return job;
    }

    /** Another caller's transition, applied directly (no HTTP). */
    public synchronized Job givenTransition(UUID id, JobStatus to) {
        Job current = jobs.get(id);
        // the other caller is the run's own worker when it finishes a run
        TransitionRequest request = TransitionRequest.to(to)
                .withLeaseToken(current.lease() == null ? null : current.lease().token());
        TransitionOutcome outcome = decide(id, request);
        if (!(outcome instanceof TransitionOutcome.Applied applied)) {
            throw new IllegalStateException("the test's own transition was not applied: " + outcome);
        }
        return applied.job();
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        long receivedNanos = System.nanoTime();
        Request request = event.getRequest();
        String path = request.getUrl().replaceFirst("\\?.*$", "");
        Route route = Route.of(request.getMethod().getName(), path);
        UUID jobId = jobIdIn(path);
        Fault fault = Optional.ofNullable(faults.get(route)).map(Queue::poll).orElse(null);
        changedByRequest = false;
        ResponseDefinitionBuilder answer = answer(route, fault, request, jobId);
        ResponseDefinition definition = answer.build();
        exchanges.add(new Exchange(route, jobId, request.getHeader("Idempotency-Key"), header(request, "Authorization"),
                request.getBodyAsString(), receivedNanos, definition.getFault() == null ? definition.getStatus() : 0,
                changedByRequest,
                fault == null ? null : fault.getClass().getSimpleName(), header(request, "Lease-Token"),
                header(request, "traceparent"), header(request, "User-Agent")));
        return definition;
    }

    private ResponseDefinitionBuilder answer(Route route, Fault fault, Request request, UUID jobId) {
        switch (fault) {
            case Fault.Unavailable unavailable -> {
                ResponseDefinitionBuilder problem = FakeResponses.problem(503, "Service Unavailable", "injected");
                return unavailable.retryAfter() == null ? problem
                        : problem.withHeader("Retry-After", Long.toString(unavailable.retryAfter().toSeconds()));
            }
            case Fault.BadGateway badGateway -> {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(502)
                        .withHeader("Content-Type", "text/html").withBody("<html><body>Bad Gateway</body></html>");
            }
            case Fault.NotDeployed notDeployed -> {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(404).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Error 404: SRVE0190E: File not found: /api/jobs</body></html>");
            }
            case Fault.Busy busy -> {
                return FakeResponses.busy();
            }
            case Fault.Refused refused -> {
                return FakeResponses.refused(refused.status(), jobs.get(jobId));
            }
            case Fault.DropBeforeApplying drop -> {
                return FakeResponses.connectionReset();
            }
            case Fault.DropAfterApplying drop -> {
                handle(route, request, jobId);
                return FakeResponses.connectionReset();
            }
            case Fault.SlowAfterApplying slow -> {
                return handle(route, request, jobId).withFixedDelay((int) slow.delay().toMillis());
            }
            case Fault.Interloper interloper -> {
                interloper.action().accept(this);
                return handle(route, request, jobId);
            }
            case null -> {
                return handle(route, request, jobId);
            }
        }
    }

    private ResponseDefinitionBuilder handle(Route route, Request request, UUID jobId) {
        if (requiredToken != null && !("Bearer " + requiredToken).equals(header(request, "Authorization"))) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(401);
        }
        if (route != Route.CREATE && route != Route.LIST && route != Route.CLAIM && (jobId == null || !jobs.containsKey(jobId))) {
            return FakeResponses.notFound(String.valueOf(jobId));
        }
        return switch (route) {
            case CREATE -> create(request);
            case GET -> FakeResponses.job(200, jobs.get(jobId), false);
            case LIST -> FakeResponses.page(jobs.values());
            case HISTORY -> FakeResponses.history(histories.get(jobId), query(request, "after", 0), (int) query(request, "limit", 100));
            case TRANSITION -> {
                TransitionOutcome outcome = decide(jobId, transitionRequest(request));
                changedByRequest = outcome instanceof TransitionOutcome.Applied;
                yield FakeResponses.of(outcome);
            }
            case PROGRESS -> progress(jobId, request);
            case HEARTBEAT -> heartbeat(jobId, request);
            case CLAIM -> claim(request);
            case UNKNOWN -> FakeResponses.problem(404, "Not Found", "no such endpoint in the fake");
        };
    }

    private static long query(Request request, String name, long absent) {
        var parameter = request.queryParameter(name);
        return parameter.isPresent() ? Long.parseLong(parameter.firstValue()) : absent;
    }

    private ResponseDefinitionBuilder create(Request request) {
        JsonObject body = json(request);
        String key = request.getHeader("Idempotency-Key");
        if (key != null && createdByKey.containsKey(key)) {
            return FakeResponses.job(200, jobs.get(createdByKey.get(key)), true);
        }
        Job job = Job.created(UUID.randomUUID(), body.getString("type"),
                body.containsKey("payload") ? body.get("payload").toString() : null, Instant.now());
        jobs.put(job.id(), job);
        histories.put(job.id(), new ArrayList<>());
        if (key != null) {
            createdByKey.put(key, job.id());
        }
        changedByRequest = true;
        return FakeResponses.job(201, job, false);
    }

    private TransitionOutcome decide(UUID jobId, TransitionRequest request) {
        Job current = jobs.get(jobId);
        List<HistoryEntry> history = histories.get(jobId);
        Optional<HistoryEntry> sameKey = request.idempotencyKey() == null ? Optional.empty()
                : history.stream().filter(h -> request.idempotencyKey().equals(h.idempotencyKey())).findFirst();
        TransitionOutcome outcome = TransitionDecision.decide(current, sameKey, request, Instant.now());
        if (outcome instanceof TransitionOutcome.Applied applied) {
            jobs.put(jobId, applied.job());
            history.add(new HistoryEntry(applied.job().version(), applied.from(), applied.job().status(),
                    applied.job().updatedAt(), applied.job().attempt(), request.idempotencyKey(),
                    request.idempotencyKey() == null ? null : request.fingerprint(), request.actor(), request.reason(),
                    HistoryEntry.StateAfter.of(applied.job())));
        }
        return outcome;
    }

    /** The oldest QUEUED job of the body's types (any when absent) started; a known key replays its claim; 204 when none. */
    private ResponseDefinitionBuilder claim(Request request) {
        String key = header(request, "Idempotency-Key");
        if (key != null && claimedByKey.containsKey(key)) {
            return FakeResponses.job(200, claimedByKey.get(key), true);
        }
        JsonObject body = json(request);
        List<String> types = body.containsKey("types")
                ? body.getJsonArray("types").getValuesAs(jakarta.json.JsonString.class).stream().map(t -> t.getString()).toList()
                : List.of();
        Optional<Job> oldest = jobs.values().stream()
                .filter(job -> job.status() == JobStatus.QUEUED && (types.isEmpty() || types.contains(job.type())))
                .min(java.util.Comparator.comparing(Job::updatedAt).thenComparing(Job::id));
        if (oldest.isEmpty()) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(204);
        }
        TransitionRequest start = TransitionRequest.to(JobStatus.RUNNING).withLeaseSeconds(body.containsKey("leaseSeconds")
                ? body.getInt("leaseSeconds") : null);
        TransitionOutcome outcome = decide(oldest.get().id(), start);
        changedByRequest = true;
        Job claimed = ((TransitionOutcome.Applied) outcome).job();
        if (key != null) {
            claimedByKey.put(key, claimed);
        }
        return FakeResponses.job(200, claimed, false);
    }

    private ResponseDefinitionBuilder progress(UUID jobId, Request request) {
        ProgressOutcome outcome = ProgressDecision.decide(jobs.get(jobId), json(request).getInt("progress"),
                header(request, "Lease-Token"), Instant.now());
        if (outcome instanceof ProgressOutcome.Updated updated) {
            changedByRequest = true;
            jobs.put(jobId, updated.job());
        }
        return FakeResponses.of(outcome);
    }

    private ResponseDefinitionBuilder heartbeat(UUID jobId, Request request) {
        HeartbeatOutcome outcome = HeartbeatDecision.decide(jobs.get(jobId), header(request, "Lease-Token"), Instant.now());
        if (outcome instanceof HeartbeatOutcome.Renewed renewed) {
            changedByRequest = true;
            jobs.put(jobId, renewed.job());
            return FakeResponses.job(200, renewed.job(), false);
        }
        if (outcome instanceof HeartbeatOutcome.Invalid invalid) {
            return FakeResponses.invalid(invalid.violations());
        }
        HeartbeatOutcome.Rejected rejected = (HeartbeatOutcome.Rejected) outcome;
        return FakeResponses.conflict(rejected.current(), rejected.reason().name());
    }

    private static TransitionRequest transitionRequest(Request request) {
        JsonObject body = json(request);
        String ifMatch = request.getHeader("If-Match");
        return new TransitionRequest(
                JobStatus.valueOf(body.getString("to")),
                body.containsKey("expectedStatus") ? JobStatus.valueOf(body.getString("expectedStatus")) : null,
                body.containsKey("expectedVersion") ? body.getJsonNumber("expectedVersion").longValue() : null,
                ifMatch == null ? null : Long.valueOf(ifMatch.replace("\"", "")),
                request.getHeader("Idempotency-Key"),
                body.containsKey("result") ? body.get("result").toString() : null,
                body.getString("error", null),
                body.getString("reason", null),
                header(request, "Lease-Token"),
                body.containsKey("leaseSeconds") ? body.getInt("leaseSeconds") : null,
                null);
    }

    private static JsonObject json(Request request) {
        try (var reader = Json.createReader(new StringReader(request.getBodyAsString()))) {
            return reader.readObject();
        }
    }

    private static String header(Request request, String name) {
        return request.containsHeader(name) ? request.getHeader(name) : null;
    }

    private static UUID jobIdIn(String path) {
        String[] parts = path.replaceFirst("^/api/jobs/?", "").split("/");
        try {
            return parts[0].isEmpty() ? null : UUID.fromString(parts[0]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
