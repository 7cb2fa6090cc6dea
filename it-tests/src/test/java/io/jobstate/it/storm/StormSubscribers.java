package io.jobstate.it.storm;

import static org.awaitility.Awaitility.await;

import io.jobstate.client.events.EventStreams;
import io.jobstate.client.events.JobEvent;
import io.jobstate.client.events.Subscription;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Subscribers following a storm through the typed client: one on each instance, and a third that
 * drops its connection mid-storm and resumes, from the last event it got, on the other instance.
 * Afterwards each must hold exactly the published feed after the starting position: same sequence
 * numbers in order, no gaps, no duplicates, each job's versions rising by one.
 */
final class StormSubscribers implements AutoCloseable {

    /**
     * The resuming subscriber drops its connection after this many events: mid-storm (a storm makes several
     * thousand), and soon enough for a slow, shared machine to get there within the wait.
     */
    private static final int DROP_AFTER = 1000;

    private final long head;
    private final EventStreams first;
    private final EventStreams second;
    private final Map<String, Received> received = new HashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> dropDue = new CompletableFuture<>();

    private StormSubscribers(long head, URI firstBase, URI secondBase) {
        this.head = head;
        this.first = EventStreams.at(firstBase);
        this.second = EventStreams.at(secondBase);
    }

    /** Subscribes after the feed's current end. */
    static StormSubscribers start(Connection db, URI firstBase, URI secondBase) throws SQLException {
        StormSubscribers subscribers = new StormSubscribers(feedHead(db), firstBase, secondBase);
        subscribers.subscribe("first-instance", subscribers.first, subscribers.head);
        subscribers.subscribe("second-instance", subscribers.second, subscribers.head);
        subscribers.subscribe("resuming", subscribers.second, subscribers.head);
        return subscribers;
    }

    private void subscribe(String name, EventStreams streams, long after) {
        Received into = received.computeIfAbsent(name, n -> new Received());
        subscriptions.add(streams.allJobs(after, event -> {
            into.events.add(event);
            into.arrivals.add(Instant.now());
            if (name.equals("resuming") && into.events.size() == DROP_AFTER) {
                dropDue.complete(null);
            }
        }));
    }

    /** Waits (bounded) for the resuming subscriber's moment, closes its connection, resumes it on the first instance. */
    void dropAndResume(Duration within) throws Exception {
        try {
            dropDue.get(within.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder counts = new StringBuilder();
            received.forEach((name, got) -> counts.append(' ').append(name).append('=').append(got.events.size())
                    .append("(last seq ").append(got.last()).append(')'));
            throw new AssertionError("the resuming subscriber did not get " + DROP_AFTER + " events within " + within
                    + "; received after seq " + head + ":" + counts, e);
        }
        Subscription dropped = subscriptions.remove(2);
        dropped.close();
        subscribe("resuming", first, dropped.lastSeq());
    }

    /** Waits until every subscriber has the whole published feed, then lists what differs from it. */
    List<String> check(Connection db, Duration within) throws SQLException {
        await().atMost(within).until(() -> unpublished(db) == 0);
        long end = feedHead(db);
        try {
            await().atMost(within).until(() -> received.values().stream().allMatch(r -> r.last() >= end));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder where = new StringBuilder();
            received.forEach((name, got) -> where.append(' ').append(name).append('=').append(got.events.size())
                    .append("(last seq ").append(got.last()).append(')'));
            subscriptions.forEach(subscription -> where.append(" subscription(last seq ").append(subscription.lastSeq())
                    .append(subscription.isOpen() ? ", open)" : ", ENDED)"));
            throw new AssertionError("the subscribers did not reach the feed's end (seq " + end + ") within " + within
                    + "; received after seq " + head + ":" + where, e);
        }
        List<Long> feed = publishedSeqs(db, end);
        List<String> violations = new ArrayList<>();
        received.forEach((name, got) -> {
            // what came after the head read is not compared: the service may still write (the reaper of a
            // lease that expired during the storm), and the subscribers may already have it
            List<Long> seqs = got.events.stream().map(JobEvent::seq).filter(seq -> seq <= end).toList();
            if (!seqs.equals(feed)) {
                violations.add(name + ": received " + seqs.size() + " events, the feed has " + feed.size()
                        + (seqs.size() == feed.size() ? " (order or numbers differ)" : ""));
            }
            Map<UUID, Long> versions = new HashMap<>();
            for (JobEvent event : got.events) {
                Long previous = versions.put(event.jobId(), event.version());
                if (previous != null && event.version() != previous + 1) {
                    violations.add(name + ": job " + event.jobId() + " version " + event.version() + " after " + previous);
                }
            }
        });
        return violations;
    }

    int eventCount() {
        return received.get("first-instance").events.size();
    }

    /** Milliseconds from each event's database time to its arrival at the subscriber, over all subscribers, sorted. */
    List<Long> latencies() {
        List<Long> millis = new ArrayList<>();
        received.keySet().forEach(name -> millis.addAll(latencies(name)));
        millis.sort(null);
        return millis;
    }

    /** The same for one subscriber, sorted. */
    List<Long> latencies(String name) {
        Received r = received.get(name);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < r.events.size(); i++) {
            millis.add(Duration.between(r.events.get(i).at(), r.arrivals.get(i)).toMillis());
        }
        millis.sort(null);
        return millis;
    }

    /**
     * For every event both subscribers got: how many milliseconds {@code later} got it after {@code earlier}
     * (negative: before), sorted. Both arrival times are this JVM's clock, so unlike the commit-to-subscriber
     * figures this difference holds no database time and no commit: it is what following the feed through one
     * instance costs more than through the other.
     */
    List<Long> arrivalGaps(String later, String earlier) {
        Map<Long, Instant> first = arrivalsBySeq(earlier);
        List<Long> millis = new ArrayList<>();
        arrivalsBySeq(later).forEach((seq, arrival) -> {
            Instant other = first.get(seq);
            if (other != null) {
                millis.add(Duration.between(other, arrival).toMillis());
            }
        });
        millis.sort(null);
        return millis;
    }

    private Map<Long, Instant> arrivalsBySeq(String name) {
        Received r = received.get(name);
        Map<Long, Instant> bySeq = new HashMap<>();
        // an event's arrival is recorded just after it: the lists may differ by one while a late event comes in
        for (int i = 0; i < Math.min(r.events.size(), r.arrivals.size()); i++) {
            bySeq.put(r.events.get(i).seq(), r.arrivals.get(i));
        }
        return bySeq;
    }

    List<String> names() {
        return List.copyOf(received.keySet());
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        first.close();
        second.close();
    }

    private static long feedHead(Connection db) throws SQLException {
        return single(db, "SELECT last_seq FROM event_feed");
    }

    private static long unpublished(Connection db) throws SQLException {
        return single(db, "SELECT count(*) FROM event_outbox");
    }

    private List<Long> publishedSeqs(Connection db, long end) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT seq FROM job_events WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            statement.setLong(1, head);
            statement.setLong(2, end);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    seqs.add(rows.getLong(1));
                }
            }
        }
        return seqs;
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** One subscriber's events and arrival times, appended by its stream's thread. */
    private static final class Received {
        final List<JobEvent> events = new CopyOnWriteArrayList<>();
        final List<Instant> arrivals = new CopyOnWriteArrayList<>();

        long last() {
            return events.isEmpty() ? -1 : events.getLast().seq();
        }
    }
}
