package io.jobstate.jobs.events;

import java.time.Duration;

/**
 * The published side of the transition outbox. Every transition writes its event in its own
 * transaction without a public sequence (sequences handed out while writing are not in commit order);
 * {@link #publish()} numbers committed events, one publisher at a time across every process, so the
 * feed grows only at its end and a reader never sees a number before the ones below it.
 *
 * <p>Thread-safe and safe across processes. Infrastructure failures surface as
 * {@link io.jobstate.jobs.store.StoreUnavailableException}.
 */
public interface EventLog {

    /** {@code query} must be valid (see {@link EventQuery#violations()}). */
    EventRead read(EventQuery query);

    /** Numbers every committed, unpublished event, in the order of its job's versions; with none, writes nothing. */
    Published publish();

    /**
     * Deletes published events older than {@code retention}, always a prefix of the feed (it stops at
     * the first younger event), and remembers where it ended so that reads from before it answer
     * {@link EventRead.Gone}. Works in bounded batches, each its own transaction, so publishing goes on
     * between them; a very large backlog is left partly to the next call. Returns where the prefix ends.
     */
    long prune(Duration retention);

    /**
     * A wake-up line from every process that publishes: blocks until some process published or
     * {@code max} passed. Opens a connection of its own; close it to give that back.
     */
    Announcements listen();

    /** What one {@link #publish()} did: how many events it numbered and the feed's newest sequence. */
    record Published(int count, long lastSeq) {
    }

    /** Announcements of published events; not thread-safe (one listening thread owns it). */
    interface Announcements extends AutoCloseable {

        /**
         * Waits up to {@code max} for an announcement and returns the newest sequence announced, or
         * -1 when none came in time. A broken connection surfaces as
         * {@link io.jobstate.jobs.store.StoreUnavailableException}, and so does a line whose
         * database stopped answering (within a bounded time of silence); the caller opens a new line.
         */
        long await(Duration max);

        @Override
        void close();
    }
}
