package io.jobstate.rest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.events.JobEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The tail's bookkeeping without a connection: streams only queue here (an output that never streams keeps
 * what it is given), so what each got is its queue and its cursor.
 */
class EventTailTest {

    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();

    private final ConcurrentHashMap<StreamSubscriber, StreamSubscriber.End> ended = new ConcurrentHashMap<>();
    private final EventTail tail = new EventTail(10);

    @Test
    void aStreamInsideTheTailGetsWhatFollowsItsPositionThenEveryBatch() {
        tail.place(0);
        tail.append(batch(1, 5, A));
        StreamSubscriber stream = stream(2, null, 100);

        assertThat(tail.join(stream, 2)).isTrue();
        assertThat(queued(stream)).isEqualTo(3);

        tail.append(batch(6, 8, A));
        assertThat(queued(stream)).isEqualTo(6);
        assertThat(stream.cursor()).isEqualTo(8);
    }

    @Test
    void aStreamOlderThanTheTailReadsTheDatabaseFirst() {
        tail.place(0);
        tail.append(batch(1, 15, A));

        assertThat(tail.join(stream(4, null, 100), 4)).as("the ring holds 6..15 only").isFalse();
        assertThat(tail.join(stream(5, null, 100), 5)).isTrue();
    }

    @Test
    void aStreamOfOneJobGetsOnlyThatJobsEvents() {
        tail.place(0);
        StreamSubscriber ofA = stream(0, A, 100);
        assertThat(tail.join(ofA, 0)).isTrue();

        tail.append(FrameBatch.of(List.of(frame(1, A), frame(2, B), frame(3, A), frame(4, B))));

        assertThat(queued(ofA)).isEqualTo(2);
        assertThat(ofA.cursor()).isEqualTo(3);
    }

    @Test
    void aStreamThatStopsReadingIsClosedWhenItsBufferIsFullAndLeavesTheTail() {
        tail.place(0);
        StreamSubscriber slow = stream(0, null, 3);
        StreamSubscriber other = stream(0, null, 100);
        tail.join(slow, 0);
        tail.join(other, 0);

        for (StreamSubscriber touched : tail.append(batch(1, 5, A))) {
            touched.drain();
        }

        assertThat(ended).containsEntry(slow, StreamSubscriber.End.STOPPED_READING).doesNotContainKey(other);
        assertThat(tail.followers()).isEqualTo(1);
        assertThat(queued(slow)).as("its queue is dropped").isZero();
        assertThat(queued(other)).isEqualTo(5);
    }

    @Test
    void aStreamJoiningWhileBatchesAreAppendedGetsEachEventExactlyOnce() throws Exception {
        // a large ring: this test is about the race between joining and appending, not about falling behind
        EventTail big = new EventTail(100_000);
        big.place(0);
        ExecutorService appender = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1);
            Future<?> appending = appender.submit(() -> {
                started.countDown();
                for (long seq = 1; seq <= 20_000; seq += 10) {
                    big.append(batch(seq, seq + 9, A));
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            List<StreamSubscriber> joined = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                StreamSubscriber stream = stream(0, null, 1_000_000);
                assertThat(big.join(stream, 0)).isTrue();
                joined.add(stream);
            }
            appending.get(30, TimeUnit.SECONDS);
            for (StreamSubscriber stream : joined) {
                assertThat(queued(stream)).isEqualTo(20_000);
                assertThat(stream.cursor()).isEqualTo(20_000);
            }
            assertThat(ended).isEmpty();
        } finally {
            appender.shutdownNow();
        }
    }

    private StreamSubscriber stream(long after, UUID job, int capacity) {
        // an output that is never attached to a started response only queues
        return new StreamSubscriber(after, job, new StreamOutput(null), capacity, (stream, why) -> {
            ended.put(stream, why);
            tail.leave(stream);
        });
    }

    private static int queued(StreamSubscriber stream) {
        return stream.queuedMessages();
    }

    private static FrameBatch batch(long from, long to, UUID job) {
        return FrameBatch.of(LongStream.rangeClosed(from, to).mapToObj(seq -> frame(seq, job)).toList());
    }

    private static EventFrame frame(long seq, UUID job) {
        return SseFrames.of(new JobEvent(seq, job, JobStatus.PENDING, JobStatus.QUEUED, seq, Instant.now()));
    }
}
