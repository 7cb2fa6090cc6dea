package io.jobstate.client.events;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one scheduler of an {@link EventStreams}: every subscription's stream is read, and every
 * dropped one reopened, on its virtual threads. An SSE source blocks a thread for as long as its
 * stream is open, and the JAX-RS client otherwise starts a platform thread per source, plus one
 * per subscription for reconnections; here a subscription costs a virtual thread while it reads.
 * A worker is added for each task while the (unbounded) core allows it, and one idle for
 * {@link #IDLE_SECONDS} ends, so the threads follow the open streams. Thread-safe.
 */
final class StreamScheduler extends ScheduledThreadPoolExecutor {

    static final long IDLE_SECONDS = 30;

    StreamScheduler() {
        super(Integer.MAX_VALUE, Thread.ofVirtual().name("jobstate-events-", 0).factory());
        setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        allowCoreThreadTimeOut(true);
        setRemoveOnCancelPolicy(true);
    }
}
