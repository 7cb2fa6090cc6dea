package io.jobstate.rest.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PublishedEventsTest {

    private final PublishedEvents published = new PublishedEvents();

    @Test
    void aWaiterWakesWhenTheEndMovesBeyondWhatItSaw() throws Exception {
        published.advance(5);
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> awaitBeyond(5, Duration.ofSeconds(30)));

        published.advance(9);

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(9);
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
        assertThat(published.awaitBeyond(0, Duration.ofMillis(50))).isZero();
    }

    private long awaitBeyond(long seen, Duration max) {
        try {
            return published.awaitBeyond(seen, max);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
