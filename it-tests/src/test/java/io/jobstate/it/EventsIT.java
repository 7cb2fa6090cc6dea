package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.events.EventHandler;
import io.jobstate.client.events.EventStreamGoneException;
import io.jobstate.client.events.EventStreams;
import io.jobstate.client.events.JobEvent;
import io.jobstate.client.events.Subscription;
import io.jobstate.client.problem.JobstateException;
import io.jobstate.client.testing.ClientContainer;
import io.jobstate.testing.postgres.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed and its streams through a real Liberty: order, resume, keep-alive, retention, the typed subscription. */
class EventsIT extends LibertyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    private final Map<String, String> leases = new HashMap<>();
    private Http http;
    private ClientContainer client;
    private EventStreams streams;

    @BeforeEach
    void client() {
        http = new Http(base);
        client = ClientContainer.start(Map.of(BearerToken.TOKEN, DevTokens.forRole("viewer")));
        streams = EventStreams.at(URI.create(base.toString()));
    }

    @AfterEach
    void closeClient() {
        streams.close();
        client.close();
    }

    @Test
    void theFeedPagesThroughAJobsTransitionsInOrder() {
        long head = head();
        String job = createdJob();
        transition(job, "QUEUED");
        transition(job, "RUNNING");
        transition(job, "COMPLETED");

        List<JsonObject> events = await().atMost(PATIENCE).until(() -> eventsOf(job, head), e -> e.size() == 3);

        assertThat(events).extracting(e -> e.getString("to")).containsExactly("QUEUED", "RUNNING", "COMPLETED");
        assertThat(events).extracting(e -> e.getString("from")).containsExactly("PENDING", "QUEUED", "RUNNING");
        assertThat(events).extracting(e -> e.getJsonNumber("version").longValue()).containsExactly(1L, 2L, 3L);
        JsonObject firstPage = feed("events?after=" + head + "&limit=1");
        assertThat(firstPage.getJsonArray("items")).hasSize(1);
        long seq = firstPage.getJsonArray("items").getJsonObject(0).getJsonNumber("seq").longValue();
        assertThat(seq).isEqualTo(head + 1);
        assertThat(firstPage.getJsonNumber("lastSeq").longValue()).isEqualTo(seq);
    }

    @Test
    void badPositionsAndLimitsAreProblems() {
        for (String query : List.of("after=-1", "after=x", "limit=0", "limit=1001", "limit=ten")) {
            HttpResponse<String> response = http.send(http.request("events?" + query).GET());
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        HttpResponse<String> badHeader = http.send(http.request("events/stream").header("Last-Event-ID", "seven").GET());
        assertThat(badHeader.statusCode()).isEqualTo(400);
        HttpResponse<String> unknownJob = http.send(http.request("jobs/" + new UUID(0, 7) + "/events/stream").GET());
        assertThat(unknownJob.statusCode()).isEqualTo(404);
        assertThat(unknownJob.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void aStreamResumesAfterLastEventIdAndSaysKeepAliveWhenQuiet() throws Exception {
        long head = head();
        String job = createdJob();
        transition(job, "QUEUED");
        transition(job, "RUNNING");
        long firstSeq = await().atMost(PATIENCE).until(() -> eventsOf(job, head), e -> e.size() == 2)
                .getFirst().getJsonNumber("seq").longValue();

        HttpRequest.Builder request = http.request("jobs/" + job + "/events/stream")
                .header("Last-Event-ID", Long.toString(firstSeq)).header("Accept", "text/event-stream").GET();
        HttpResponse<Stream<String>> response = Http.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            Iterator<String> reader = lines.iterator();
            String id = next(reader, line -> line.startsWith("id:"));
            String data = next(reader, line -> line.startsWith("data:"));
            assertThat(id).isEqualTo("id: " + (firstSeq + 1));
            assertThat(Json.createReader(new StringReader(data.substring(5))).readObject().getString("to")).isEqualTo("RUNNING");
            // nothing more happens to the job: a keep-alive comment comes (every second in this server)
            assertThat(next(reader, line -> line.startsWith(":"))).contains("keep-alive");
        }
    }

    @Test
    void theTypedSubscriptionDeliversOneJobsEventsInVersionOrder() {
        String job = createdJob();
        List<JobEvent> received = new CopyOnWriteArrayList<>();
        try (Subscription subscription = streams.job(UUID.fromString(job), head(), received::add)) {
            transition(job, "RUNNING");
            transition(job, "FAILED");
            transition(job, "QUEUED");

            await().atMost(PATIENCE).until(() -> received.size() >= 3);

            assertThat(received).extracting(JobEvent::version).containsExactly(1L, 2L, 3L);
            assertThat(received).extracting(e -> e.to().name()).containsExactly("RUNNING", "FAILED", "QUEUED");
            assertThat(subscription.lastSeq()).isEqualTo(received.getLast().seq());
        }
    }

    @Test
    void aPositionPrunedByRetentionIsGoneForTheFeedTheStreamAndTheSubscription(TestDatabase database) throws Exception {
        long before = head();
        String job = createdJob();
        transition(job, "QUEUED");
        await().atMost(PATIENCE).until(() -> eventsOf(job, before), events -> events.size() == 1);
        long head = head();
        pruneThrough(database, head);

        HttpResponse<String> feed = http.send(http.request("events?after=" + (head - 1)).GET());
        HttpResponse<String> stream = http.send(http.request("events/stream").header("Last-Event-ID", "0").GET());

        for (HttpResponse<String> gone : List.of(feed, stream)) {
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(Json.createReader(new StringReader(gone.body())).readObject().getJsonNumber("prunedThrough")
                    .longValue()).isEqualTo(head);
        }
        assertThat(http.send(http.request("events?after=" + head).GET()).statusCode()).isEqualTo(200);
        List<JobstateException> failures = new CopyOnWriteArrayList<>();
        EventHandler handler = new EventHandler() {
            @Override
            public void onEvent(JobEvent event) {
                throw new AssertionError("no event may come from a pruned position: " + event);
            }

            @Override
            public void onFailure(JobstateException failure) {
                failures.add(failure);
            }
        };
        try (Subscription subscription = streams.allJobs(0, handler)) {
            await().atMost(PATIENCE).until(() -> !failures.isEmpty());
            assertThat(failures).singleElement().isInstanceOfSatisfying(EventStreamGoneException.class,
                    gone -> assertThat(gone.prunedThrough()).isEqualTo(head));
            assertThat(subscription.isOpen()).isFalse();
        }
    }

    @Test
    void metricsCountFeedPositionSubscribersAndDeliveryLag() {
        String job = createdJob();
        List<JobEvent> received = new CopyOnWriteArrayList<>();
        try (Subscription subscription = streams.job(UUID.fromString(job), head(), received::add)) {
            transition(job, "RUNNING");
            await().atMost(PATIENCE).until(() -> received.size() == 1);

            HttpResponse<String> metrics = Http.metrics(base);

            assertThat(Http.counter(metrics, "jobstate_events_published_total")).isGreaterThanOrEqualTo(1);
            assertThat(Http.counter(metrics, "jobstate_event_subscribers")).isGreaterThanOrEqualTo(1);
            assertThat(Http.counter(metrics, "jobstate_event_delivery_lag_seconds_count")).isGreaterThanOrEqualTo(1);
        }
    }

    /** Retention as the server does it, to a chosen position (the persistence tests cover the policy). */
    private static void pruneThrough(TestDatabase database, long seq) throws Exception {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("SELECT 1 FROM event_feed FOR UPDATE");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM job_events WHERE seq <= ?");
                 PreparedStatement mark = connection.prepareStatement("UPDATE event_feed SET pruned_through = ?")) {
                lock.execute();
                delete.setLong(1, seq);
                delete.execute();
                mark.setLong(1, seq);
                mark.execute();
            }
            connection.commit();
        }
    }

    private static String next(Iterator<String> lines, Predicate<String> wanted) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (wanted.test(line)) {
                return line;
            }
        }
        throw new AssertionError("the stream ended");
    }

    /** The newest published seq (starting where retention left the feed). */
    private long head() {
        long after = 0;
        while (true) {
            HttpResponse<String> response = http.send(http.request("events?after=" + after + "&limit=1000").GET());
            if (response.statusCode() == 410) {
                after = Json.createReader(new StringReader(response.body())).readObject().getJsonNumber("prunedThrough").longValue();
                continue;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonObject page = Json.createReader(new StringReader(response.body())).readObject();
            if (page.getJsonArray("items").isEmpty()) {
                return page.getJsonNumber("lastSeq").longValue();
            }
            after = page.getJsonNumber("lastSeq").longValue();
        }
    }

    private List<JsonObject> eventsOf(String job, long after) {
        List<JsonObject> events = new ArrayList<>();
        long cursor = after;
        while (true) {
            JsonObject page = feed("events?after=" + cursor + "&limit=1000");
            JsonArray items = page.getJsonArray("items");
            items.getValuesAs(JsonObject.class).stream().filter(e -> e.getString("jobId").equals(job)).forEach(events::add);
            if (items.isEmpty()) {
                return events;
            }
            cursor = page.getJsonNumber("lastSeq").longValue();
        }
    }

    private JsonObject feed(String path) {
        HttpResponse<String> response = http.send(http.request(path).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private String createdJob() {
        HttpResponse<String> created = http.send(http.request("jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"events-it\"}")));
        assertThat(created.statusCode()).isEqualTo(201);
        return Json.createReader(new StringReader(created.body())).readObject().getString("id");
    }

    /** As the job's worker: with the lease token of the run this test started, if any. */
    private void transition(String job, String to) {
        String body = to.equals("FAILED") ? "{\"to\":\"FAILED\",\"error\":\"boom\"}" : "{\"to\":\"" + to + "\"}";
        HttpRequest.Builder request = http.request("jobs/" + job + "/transitions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        String lease = leases.get(job);
        HttpResponse<String> response = http.send(lease == null ? request : request.header("Lease-Token", lease));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject moved = Json.createReader(new StringReader(response.body())).readObject();
        if (moved.isNull("leaseToken")) {
            leases.remove(job);
        } else {
            leases.put(job, moved.getString("leaseToken"));
        }
    }
}
