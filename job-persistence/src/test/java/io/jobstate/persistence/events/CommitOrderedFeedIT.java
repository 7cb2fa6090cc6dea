package io.jobstate.persistence.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.jobs.events.JobEvent;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.JobstatePersistence;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.internal.ServiceSql;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.JobsInStatus;
import io.jobstate.persistence.support.Sql;
import io.jobstate.persistence.testing.WrittenEvents;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed's central promise: a consumer that asks for "after the last seq I saw" never misses an
 * event, although the transaction that wrote an event first may commit last.
 */
class CommitOrderedFeedIT extends DatabaseTest {

    private JobStore store;
    private EventLog log;
    private long head;

    @BeforeEach
    void feedAtItsHead() {
        store = fixture.store(LockingPath.CAS);
        log = JobstatePersistence.eventLog(fixture.dataSource());
        head = log.publish().lastSeq();
    }

    @Test
    void anEventWrittenFirstButCommittedLastIsStillSeenExactlyOnce() throws Exception {
        UUID slow = pending();
        List<UUID> fast = new ArrayList<>();
        FeedConsumer consumer = new FeedConsumer(log, head, 7);
        try (Connection held = fixture.connect()) {
            held.setAutoCommit(false);
            try (Statement statement = held.createStatement()) {
                // the service's own statement: the slow job's event takes its outbox number now
                statement.execute(ServiceSql.transitionWithLiterals(JobStatus.QUEUED, null, "'" + slow + "'"));
            }
            for (int i = 0; i < 20; i++) {
                UUID id = pending();
                fast.add(id);
                applied(id, JobStatus.RUNNING);
                log.publish();
                consumer.poll();
            }
            assertThat(consumer.seen()).extracting(JobEvent::jobId).containsExactlyElementsOf(fast);
            held.commit();
        }
        log.publish();
        consumer.poll();

        List<JobEvent> seen = consumer.seen();
        assertThat(seen).extracting(JobEvent::jobId).containsExactlyElementsOf(concat(fast, slow));
        assertThat(seen).extracting(JobEvent::seq).containsExactlyElementsOf(range(head + 1, 21));
        try (Connection connection = fixture.connect()) {
            // the scenario really had the hole: the slow event was written (numbered in the outbox) first
            assertThat(Sql.count(connection, "SELECT count(*) FROM job_events e, job_events s WHERE s.job_id = ?"
                    + " AND e.job_id = ANY (?) AND e.outbox_id < s.outbox_id", slow, fast.toArray(UUID[]::new)))
                    .isZero();
        }
    }

    @Test
    void theOutboxNumberAloneWouldHaveSkippedTheSlowEvent() throws Exception {
        // the design this feed replaces, on the same scenario: proves the scenario is sharp
        UUID slow = pending();
        long outboxCursor;
        try (Connection held = fixture.connect(); Connection reader = fixture.connect()) {
            held.setAutoCommit(false);
            try (Statement statement = held.createStatement()) {
                statement.execute(ServiceSql.transitionWithLiterals(JobStatus.QUEUED, null, "'" + slow + "'"));
            }
            applied(pending(), JobStatus.RUNNING);
            outboxCursor = Sql.count(reader, "SELECT max(outbox_id) FROM " + WrittenEvents.TABLE + " e");
            held.commit();
            long stillAhead = Sql.count(reader, "SELECT count(*) FROM " + WrittenEvents.TABLE + " e WHERE job_id = ? AND outbox_id > ?",
                    slow, outboxCursor);
            assertThat(stillAhead).as("slow events a consumer at the naive cursor would still get").isZero();
        }
        log.publish();
        FeedConsumer consumer = new FeedConsumer(log, head, 100);
        consumer.poll();
        assertThat(consumer.seen()).extracting(JobEvent::jobId).contains(slow);
    }

    @Test
    void eventsOfOneJobComeInVersionOrderAndItsFeedHoldsOnlyThem() {
        UUID job = pending();
        UUID other = pending();
        applied(job, JobStatus.QUEUED);
        applied(other, JobStatus.QUEUED);
        applied(job, JobStatus.RUNNING);
        applied(other, JobStatus.CANCELLED);
        applied(job, JobStatus.FAILED);
        applied(job, JobStatus.QUEUED);
        log.publish();

        EventRead.Page page = (EventRead.Page) log.read(EventQuery.after(head).ofJob(job));

        assertThat(page.items()).extracting(JobEvent::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(page.items()).extracting(JobEvent::to)
                .containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.QUEUED);
        assertThat(page.items()).extracting(JobEvent::from)
                .containsExactly(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED);
        assertThat(page.lastSeq()).isEqualTo(page.items().getLast().seq());
    }

    @Test
    void oneJobsFeedReadAPageAtATimeResumesAfterEachPageInVersionOrder() {
        UUID job = pending();
        UUID other = pending();
        applied(job, JobStatus.QUEUED);
        for (int attempt = 0; attempt < 4; attempt++) {
            applied(job, JobStatus.RUNNING);
            applied(other, attempt == 0 ? JobStatus.QUEUED : JobStatus.RUNNING);
            applied(job, JobStatus.FAILED);
            if (attempt > 0) {
                applied(other, JobStatus.FAILED);
                applied(other, JobStatus.QUEUED);
            }
            applied(job, JobStatus.QUEUED);
            log.publish();
        }

        List<JobEvent> read = new ArrayList<>();
        long after = head;
        for (int pages = 0; pages < 13; pages++) {  // 5 pages hold them: a read that never ends still ends here
            EventRead.Page page = (EventRead.Page) log.read(EventQuery.after(after).withLimit(3).ofJob(job));
            read.addAll(page.items());
            after = page.lastSeq();
        }

        assertThat(read).extracting(JobEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L);
        assertThat(read).extracting(JobEvent::jobId).containsOnly(job);
        assertThat(read).extracting(JobEvent::seq).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void readingFromAPrunedPositionIsGoneAndFromItsEndIsNot() {
        applied(pending(), JobStatus.RUNNING);
        long published = log.publish().lastSeq();

        long prunedThrough = log.prune(Duration.ZERO);

        assertThat(prunedThrough).isEqualTo(published);
        assertThat(log.read(EventQuery.after(head))).isEqualTo(new EventRead.Gone(head, published));
        assertThat(log.read(EventQuery.after(published))).isEqualTo(new EventRead.Page(List.of(), published));
        applied(pending(), JobStatus.QUEUED);
        log.publish();
        assertThat(((EventRead.Page) log.read(EventQuery.after(published))).items()).singleElement()
                .extracting(JobEvent::seq).isEqualTo(published + 1);
    }

    @Test
    void pruningKeepsEventsYoungerThanTheRetention() {
        applied(pending(), JobStatus.RUNNING);
        log.publish();

        log.prune(Duration.ofDays(1));

        assertThat(((EventRead.Page) log.read(EventQuery.after(head))).items()).hasSize(1);
    }

    @Test
    void anOutboxRowRepeatingANumberedEventStopsNumberingUntilItIsDeletedAndLosesNothing() throws Exception {
        UUID job = pending();
        applied(job, JobStatus.QUEUED);
        long numbered = log.publish().lastSeq();
        applied(pending(), JobStatus.QUEUED);
        try (Connection connection = fixture.connect(); Statement statement = connection.createStatement()) {
            // by hand, as the service never writes it: version 1 of the job again, after another job's event
            statement.execute("INSERT INTO event_outbox (job_id, from_status, to_status, version, at)"
                    + " VALUES ('" + job + "', 'PENDING', 'QUEUED', 1, now())");
            applied(job, JobStatus.RUNNING);

            assertThatThrownBy(() -> log.publish()).hasMessageContaining("job_events_job_id_version_key");
            assertThat(Sql.count(connection, "SELECT last_seq FROM event_feed")).isEqualTo(numbered);
            assertThat(Sql.count(connection, "SELECT count(*) FROM event_outbox")).isEqualTo(3);

            statement.execute("DELETE FROM event_outbox WHERE job_id = '" + job + "' AND version = 1");
        }
        assertThat(log.publish()).isEqualTo(new EventLog.Published(2, numbered + 2));
        assertThat(((EventRead.Page) log.read(EventQuery.after(numbered))).items()).extracting(JobEvent::version)
                .containsExactly(1L, 2L);
    }

    @Test
    void publishingTwiceNumbersNothingTwice() {
        applied(pending(), JobStatus.RUNNING);
        EventLog.Published first = log.publish();
        EventLog.Published second = log.publish();

        assertThat(first.count()).isEqualTo(1);
        assertThat(second).isEqualTo(new EventLog.Published(0, first.lastSeq()));
    }

    @Test
    void publishingAnnouncesTheNewEndToEveryListener() {
        try (EventLog.Announcements first = log.listen(); EventLog.Announcements second = log.listen()) {
            assertThat(first.await(Duration.ofMillis(200))).as("nothing published yet").isEqualTo(-1);
            applied(pending(), JobStatus.RUNNING);

            long published = log.publish().lastSeq();

            assertThat(first.await(Duration.ofSeconds(10))).isEqualTo(published);
            assertThat(second.await(Duration.ofSeconds(10))).isEqualTo(published);
        }
    }

    private UUID pending() {
        return ((CreateOutcome.Created) store.create(NewJob.of("feed"))).job().id();
    }

    private void applied(UUID id, JobStatus to) {
        TransitionRequest request = JobsInStatus.asWorker(store.find(id).orElseThrow(), TransitionRequest.to(to));
        if (to == JobStatus.FAILED) {
            request = request.withError("boom");
        }
        assertThat(store.transition(id, request)).isInstanceOf(TransitionOutcome.Applied.class);
    }

    private static List<UUID> concat(List<UUID> first, UUID last) {
        List<UUID> all = new ArrayList<>(first);
        all.add(last);
        return all;
    }

    private static List<Long> range(long first, int count) {
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(first + i);
        }
        return values;
    }
}
