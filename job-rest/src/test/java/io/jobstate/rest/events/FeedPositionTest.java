package io.jobstate.rest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FeedPositionTest {

    private final FeedPosition published = new FeedPosition();

    @Test
    void aWaiterWakesWhenTheEndMovesBeyondWhatItSaw() throws Exception {
        published.advance(5);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // given a waiter parked on the condition (its own limit far beyond this test's bounds)
            Future<Long> waiter = pool.submit(() -> published.awaitBeyond(5, Duration.ofSeconds(30)));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                while (!published.hasWaiters()) {
                    assertThat(waiter).as("returned before parking").isNotDone();
                    Thread.yield();
                }
            }, "the waiter never parked");

            // when the end moves beyond what it saw
            published.advance(9);

            // then only a signal can wake it before its 30 s limit
            long woken = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> waiter.get(),
                    "a parked waiter must be woken by the advance, not by its own limit");
            assertThat(woken).isEqualTo(9);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEndAlreadyBeyondReturnsAtOnceAndAnOlderAnnouncementNeverMovesItBack() throws Exception {
        published.advance(9);
        published.advance(3);

        assertThat(published.newest()).isEqualTo(9);
        assertThat(published.awaitBeyond(5, Duration.ofDays(1))).isEqualTo(9);
    }

    @Test
    void withNothingNewTheWaitEndsAtItsLimit() throws Exception {
        published.advance(0);

        assertThat(published.awaitBeyond(0, Duration.ofMillis(50))).isZero();
    }

    @Test
    void theFeedsPositionIsUnknownUntilAPublishOrAnAnnouncementEvenAnEmptyFeeds() {
        assertThat(published.known()).isFalse();
        assertThat(published.newest()).isEqualTo(-1);

        published.advance(0);

        assertThat(published.known()).isTrue();
        assertThat(published.newest()).isZero();
    }
}
