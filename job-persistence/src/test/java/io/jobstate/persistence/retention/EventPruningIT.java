package io.jobstate.persistence.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.support.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Event retention in batches, against the real database: it deletes the feed's leading run of events
 * older than the retention, one batch per transaction, so publishers get the feed's row between
 * batches instead of waiting for a whole backlog.
 */
class EventPruningIT extends RetentionTest {

    private static final Duration HOUR = Duration.ofHours(1);
    /** Events per batch of the pruner (PostgresEventLog.PRUNE_BATCH). */
    private static final int PRUNE_BATCH = 1000;

    @Test
    void pruningABacklogLetsAPublisherNumberNewEventsBetweenItsBatches() throws Exception {
        EventLog log = JobstatePersistence.eventLog(fixture.dataSource());
        long backlog = 100L * PRUNE_BATCH;
        publishedEvents(backlog, Duration.ofDays(2));
        UUID job = jobsIn(JobStatus.PENDING, 1).getFirst();

        CompletableFuture<Long> pruning = CompletableFuture.supplyAsync(() -> log.prune(HOUR));
        // the pruner has committed its first batch and goes on
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            while (prunedThrough() == 0) {
                Thread.onSpinWait();
            }
        });
        store().transition(job, TransitionRequest.to(JobStatus.QUEUED));
        EventLog.Published published = log.publish();
        boolean pruningWasStillRunning = !pruning.isDone();

        assertThat(published.count()).isEqualTo(1);
        assertThat(published.lastSeq()).isEqualTo(backlog + 1);
        assertThat(pruningWasStillRunning).as("the publisher numbered its event while the backlog was being pruned").isTrue();
        assertThat(pruning.get()).isEqualTo(backlog);
        assertThat(log.read(EventQuery.after(backlog))).isInstanceOfSatisfying(EventRead.Page.class,
                page -> assertThat(page.items()).extracting(e -> e.jobId()).containsExactly(job));
        assertThat(count("SELECT count(*) FROM job_events")).isEqualTo(1);
    }

    @Test
    void pruningDeletesTheLeadingRunOfOldEventsAndStopsAtTheFirstYoungOne() throws Exception {
        EventLog log = JobstatePersistence.eventLog(fixture.dataSource());
        publishedEvents(5, Duration.ofDays(2));
        publishedEvents(1, Duration.ZERO);
        publishedEvents(3, Duration.ofDays(2));

        long prunedThrough = log.prune(HOUR);

        assertThat(prunedThrough).isEqualTo(5);
        assertThat(log.read(EventQuery.after(0))).isEqualTo(new EventRead.Gone(0, 5));
        assertThat(log.read(EventQuery.after(5))).isInstanceOfSatisfying(EventRead.Page.class,
                page -> assertThat(page.items()).hasSize(4));
        assertThat(log.prune(HOUR)).as("pruning again changes nothing").isEqualTo(5);
    }

    /** {@code count} events published after the feed's end, as if written {@code age} ago (of jobs since pruned). */
    private void publishedEvents(long count, Duration age) throws Exception {
        try (Connection connection = fixture.connect()) {
            long last = Sql.count(connection, "SELECT last_seq FROM event_feed");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO job_events (job_id, from_status, to_status, version, at, seq, outbox_id)"
                            + " SELECT gen_random_uuid(), 'PENDING', 'QUEUED', 1, now() - CAST(? AS interval), n, n"
                            + " FROM generate_series(CAST(? AS bigint), CAST(? AS bigint)) AS n")) {
                insert.setString(1, age.toMillis() + " milliseconds");
                insert.setLong(2, last + 1);
                insert.setLong(3, last + count);
                insert.executeUpdate();
            }
            try (PreparedStatement feed = connection.prepareStatement("UPDATE event_feed SET last_seq = ?")) {
                feed.setLong(1, last + count);
                feed.executeUpdate();
            }
        }
    }

    private long prunedThrough() throws Exception {
        return count("SELECT pruned_through FROM event_feed");
    }
}
