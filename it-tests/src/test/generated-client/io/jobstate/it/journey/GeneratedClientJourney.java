package io.jobstate.it.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jobstate.generated.ApiClient;
import io.jobstate.generated.ApiException;
import io.jobstate.generated.ApiResponse;
import io.jobstate.generated.api.EventsApi;
import io.jobstate.generated.api.JobsApi;
import io.jobstate.generated.model.ConflictProblem;
import io.jobstate.generated.model.ConflictReason;
import io.jobstate.generated.model.EventPage;
import io.jobstate.generated.model.GoneProblem;
import io.jobstate.generated.model.HistoryEntry;
import io.jobstate.generated.model.Job;
import io.jobstate.generated.model.JobEvent;
import io.jobstate.generated.model.JobPage;
import io.jobstate.generated.model.JobStatus;
import io.jobstate.generated.model.NewJob;
import io.jobstate.generated.model.PreconditionFailedProblem;
import io.jobstate.generated.model.ProgressReport;
import io.jobstate.generated.model.TransitionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * A job's whole life driven through a client generated from the served OpenAPI document, written as
 * a team would write it against the generated API (io.jobstate.generated, made by
 * GeneratedClientIT; this file is compiled with it, never by the build). The argument holds
 * {@code server} (the service's URL), and a {@code coordinator} and a {@code viewer} token; the
 * answer is the steps done, in order. Not thread-safe: one journey per instance.
 */
public final class GeneratedClientJourney implements Function<Map<String, String>, List<String>> {

    private final List<String> steps = new ArrayList<>();

    @Override
    public List<String> apply(Map<String, String> settings) {
        try {
            journey(settings);
        } catch (ApiException e) {
            throw new AssertionError("HTTP " + e.getCode() + " " + e.getResponseBody(), e);
        }
        return steps;
    }

    private void journey(Map<String, String> settings) throws ApiException {
        JobsApi jobs = new JobsApi(client(settings.get("server"), settings.get("coordinator")));
        EventsApi events = new EventsApi(client(settings.get("server"), settings.get("viewer")));
        long head = head(events);
        String type = "generated-" + UUID.randomUUID();
        String key = "create-" + UUID.randomUUID();

        // create, with an idempotency key; the retry is replayed, not applied
        NewJob request = new NewJob().type(type).payload(Map.of("repo", "x"));
        ApiResponse<Job> created = jobs.createJobWithHttpInfo(request, key);
        Job job = created.getData();
        UUID id = job.getId();
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getHeaders().get("etag")).containsExactly("\"0\"");
        assertThat(created.getHeaders().get("location")).singleElement().asString().endsWith("/api/jobs/" + id);
        assertThat(job.getStatus()).isEqualTo(JobStatus.PENDING);
        assertThat(job.getPayload()).isEqualTo(Map.of("repo", "x"));
        ApiResponse<Job> replayed = jobs.createJobWithHttpInfo(request, key);
        assertThat(replayed.getStatusCode()).isEqualTo(201);
        assertThat(replayed.getHeaders().get("idempotent-replayed")).containsExactly("true");
        assertThat(replayed.getData()).isEqualTo(job);
        steps.add("create");

        // get; list with filters, in pages of one
        assertThat(jobs.getJob(id, null, null)).isEqualTo(job);
        UUID newer = jobs.createJob(new NewJob().type(type), null).getId();
        JobPage first = jobs.listJobs(null, 1, JobStatus.PENDING, type);
        JobPage second = jobs.listJobs(first.getNextCursor(), 1, JobStatus.PENDING, type);
        assertThat(first.getItems()).extracting(Job::getId).containsExactly(newer);
        assertThat(second.getItems()).extracting(Job::getId).containsExactly(id);
        assertThat(second.getNextCursor()).isNull();
        steps.add("list");

        // start with a lease; heartbeat; progress
        Job running = jobs.transitionJob(id, new TransitionRequest().to(JobStatus.RUNNING).expectedStatus(JobStatus.PENDING)
                .leaseSeconds(120), null, "start-" + id, null);
        String lease = running.getLeaseToken();
        assertThat(running.getStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(lease).isNotBlank();
        Job renewed = jobs.heartbeat(id, lease);
        assertThat(renewed.getLeaseExpiresAt()).isAfterOrEqualTo(running.getLeaseExpiresAt());
        Job reported = jobs.reportProgress(id, lease, new ProgressReport().progress(40));
        assertThat(reported.getProgress()).isEqualTo(40);
        assertThat(reported.getVersion()).isEqualTo(1L);
        steps.add("run");

        // a stale caller gets 409 with a typed problem; a stale If-Match gets 412
        ApiException stale = catchThrowableOfType(ApiException.class, () -> jobs.transitionJob(id,
                new TransitionRequest().to(JobStatus.CANCELLED).expectedStatus(JobStatus.PENDING), null, null, null));
        assertThat(stale.getCode()).isEqualTo(409);
        ConflictProblem conflict = problem(stale, ConflictProblem.class);
        assertThat(conflict.getConflictReason()).isEqualTo(ConflictReason.STALE_STATUS);
        assertThat(conflict.getCurrentStatus()).isEqualTo(JobStatus.RUNNING);
        assertThat(conflict.getCurrentVersion()).isEqualTo(1L);
        assertThat(conflict.getRequestedStatus()).isEqualTo(JobStatus.CANCELLED);
        assertThat(conflict.getJobId()).isEqualTo(id);
        ApiException precondition = catchThrowableOfType(ApiException.class, () -> jobs.transitionJob(id,
                new TransitionRequest().to(JobStatus.COMPLETED), "\"7\"", null, lease));
        assertThat(precondition.getCode()).isEqualTo(412);
        assertThat(precondition.getResponseHeaders().firstValue("ETag")).hasValue("\"1\"");
        assertThat(problem(precondition, PreconditionFailedProblem.class).getCurrentVersion()).isEqualTo(1L);
        steps.add("conflicts");

        // complete with a result, stating the version
        Job completed = jobs.transitionJob(id, new TransitionRequest().to(JobStatus.COMPLETED)
                .result(Map.of("artifact", "a.tar")), "\"1\"", null, lease);
        assertThat(completed.getStatus()).isEqualTo(JobStatus.COMPLETED);
        assertThat(completed.getResult()).isEqualTo(Map.of("artifact", "a.tar"));
        assertThat(completed.getProgress()).isEqualTo(100);
        assertThat(completed.getLeaseToken()).isNull();
        steps.add("complete");

        // history, oldest first (the first page: after and limit left to the server)
        List<HistoryEntry> history = jobs.getJobHistory(id, null, null);
        assertThat(history).extracting(HistoryEntry::getTo).containsExactly(JobStatus.RUNNING, JobStatus.COMPLETED);
        assertThat(history).extracting(HistoryEntry::getVersion).containsExactly(1L, 2L);
        assertThat(history.getFirst().getIdempotencyKey()).isEqualTo("start-" + id);
        steps.add("history");

        // the event feed: both transitions, in order (numbered after commit, so they may come a moment later)
        List<JobEvent> mine = Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> eventsOf(events, id, head), found -> found.size() == 2);
        assertThat(mine).extracting(JobEvent::getTo).containsExactly(JobStatus.RUNNING, JobStatus.COMPLETED);
        assertThat(mine).extracting(JobEvent::getVersion).containsExactly(1L, 2L);
        steps.add("events");

        // a viewer reads but cannot create: 403
        JobsApi viewer = new JobsApi(client(settings.get("server"), settings.get("viewer")));
        assertThat(viewer.getJob(id, null, null).getStatus()).isEqualTo(JobStatus.COMPLETED);
        ApiException forbidden = catchThrowableOfType(ApiException.class, () -> viewer.createJob(new NewJob().type(type), null));
        assertThat(forbidden.getCode()).isEqualTo(403);
        steps.add("roles");
    }

    private static ApiClient client(String server, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(server);
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    private static <T> T problem(ApiException failure, Class<T> type) {
        try {
            return new ApiClient().getObjectMapper().readValue(failure.getResponseBody(), type);
        } catch (java.io.IOException e) {
            throw new AssertionError("not a " + type.getSimpleName() + ": " + failure.getResponseBody(), e);
        }
    }

    /**
     * The newest seq of the feed, read from its start; a start pruned by retention (410, other tests
     * of the run may have pruned it) is resumed after the typed problem's {@code prunedThrough}, as
     * docs/api.md tells a consumer to.
     */
    private static long head(EventsApi events) throws ApiException {
        long after = 0;
        while (true) {
            EventPage page;
            try {
                page = events.getEvents(after, 1000);
            } catch (ApiException e) {
                if (e.getCode() != 410) {
                    throw e;
                }
                long prunedThrough = problem(e, GoneProblem.class).getPrunedThrough();
                assertThat(prunedThrough).isGreaterThan(after);
                after = prunedThrough;
                continue;
            }
            if (page.getItems().isEmpty()) {
                return page.getLastSeq();
            }
            after = page.getLastSeq();
        }
    }

    private static List<JobEvent> eventsOf(EventsApi events, UUID job, long after) throws ApiException {
        List<JobEvent> found = new ArrayList<>();
        long cursor = after;
        while (true) {
            EventPage page = events.getEvents(cursor, 1000);
            page.getItems().stream().filter(e -> e.getJobId().equals(job)).forEach(found::add);
            if (page.getItems().isEmpty()) {
                return found;
            }
            cursor = page.getLastSeq();
        }
    }
}
