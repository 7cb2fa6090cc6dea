package io.jobstate.rest.events;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open event stream: which events it wants (every job's, or one job's), how far it got, and its
 * {@link StreamOutput}. Events reach it from the database while it catches up ({@link CatchUp}), then from
 * the {@link EventTail}; it queues their messages on its output and never waits for the client.
 *
 * <p>Bounded: a stream with more than {@code capacity} messages queued (its client stopped reading, and the
 * connection's buffers are full) is closed. Its client resumes later from its {@code Last-Event-ID}; until
 * then it costs nothing, and it never slowed anyone else. Thread-safe.
 */
final class StreamSubscriber implements StreamOutput.Listener {

    /** Why a stream ended. */
    enum End {
        /** the client went away (or its connection failed) */
        CLIENT_GONE,
        /** the client stopped reading: its queue overflowed, or nothing could be written for a while */
        STOPPED_READING,
        /** its position fell behind retention ({@code event: gone} sent) */
        GONE,
        /** it would have had a gap (never expected): its client resumes from its last event */
        LOST_TRACK,
        /** the application stops */
        SHUTDOWN
    }

    /** What happens when a stream ends: called once, without the subscriber's lock. */
    interface Ending {
        void ended(StreamSubscriber subscriber, End why);
    }

    private final UUID jobId;
    private final StreamOutput output;
    private final int capacity;
    private final Ending ending;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicReference<End> ended = new AtomicReference<>();
    private volatile Runnable whenDrained;
    private long cursor;
    private volatile long lastQueuedNanos = System.nanoTime();

    StreamSubscriber(long after, UUID jobId, StreamOutput output, int capacity, Ending ending) {
        this.cursor = after;
        this.jobId = jobId;
        this.output = output;
        this.capacity = capacity;
        this.ending = ending;
    }

    /** Starts receiving what the output tells (failures, drains). */
    void attach() {
        output.attach(this);
    }

    /** The job this stream follows, or null for every job. */
    UUID jobId() {
        return jobId;
    }

    /** Messages queued and not yet handed to the connection. */
    int queuedMessages() {
        return output.queuedMessages();
    }

    /** Everything up to this sequence has been queued, or does not concern this stream. */
    long cursor() {
        lock.lock();
        try {
            return cursor;
        } finally {
            lock.unlock();
        }
    }

    /** Events of this stream's job up to {@code position} are known not to exist beyond the cursor. */
    void advanceTo(long position) {
        lock.lock();
        try {
            cursor = Math.max(cursor, position);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A batch of consecutive events, for an all-jobs stream: up to date, it takes the batch's joined bytes
     * as they are; else the frames it lacks. Returns whether something was queued.
     */
    boolean offer(FrameBatch batch) {
        boolean gap;
        lock.lock();
        try {
            if (batch.lastSeq() <= cursor || ended.get() != null) {
                return false;
            }
            gap = jobId == null && batch.firstSeq() > cursor + 1;
            if (!gap && jobId == null && batch.firstSeq() == cursor + 1) {
                cursor = batch.lastSeq();
                return queue(batch.joined(), batch.frames().size());
            }
            if (!gap) {
                return offerEach(batch.frames());
            }
        } finally {
            lock.unlock();
        }
        // the tail joins a stream only where it holds everything after its position: this is a bug
        end(End.LOST_TRACK);
        return false;
    }

    /** Frames in sequence order (a page read for this stream, or the tail's frames of its job). */
    boolean offer(List<EventFrame> frames) {
        lock.lock();
        try {
            return ended.get() == null && offerEach(frames);
        } finally {
            lock.unlock();
        }
    }

    private boolean offerEach(List<EventFrame> frames) {
        boolean queued = false;
        for (EventFrame frame : frames) {
            if (frame.seq() > cursor && (jobId == null || jobId.equals(frame.jobId()))) {
                cursor = frame.seq();
                queued |= queue(frame.bytes(), 1);
            }
        }
        return queued;
    }

    private boolean queue(byte[] bytes, int messages) {
        lastQueuedNanos = System.nanoTime();
        return output.enqueue(bytes, messages);
    }

    /** Writes what can be written now; closes the stream if its client stopped reading. */
    void drain() {
        if (output.queuedMessages() > capacity) {
            end(End.STOPPED_READING);
            return;
        }
        output.drain();
    }

    /**
     * Keeps a quiet stream alive and ends one whose client stopped reading: a keep-alive comment after
     * {@code keepAliveNanos} of quiet; the end when queued bytes found no taker for {@code stallNanos}.
     */
    void sweep(long now, long keepAliveNanos, long stallNanos) {
        if (ended.get() != null) {
            return;
        }
        if (output.waiting() && now - output.lastProgressNanos() > stallNanos) {
            end(End.STOPPED_READING);
        } else if (now - lastQueuedNanos >= keepAliveNanos) {
            lastQueuedNanos = now;
            if (output.enqueue(SseFrames.KEEP_ALIVE, 0)) {
                output.drain();
            }
        }
    }

    /** Runs {@code next} once everything queued has been handed to the connection (a catch-up's next page). */
    void whenDrained(Runnable next) {
        whenDrained = next;
        output.notifyWhenDrained();
    }

    /** The position fell behind retention: says so ({@code event: gone}), then ends once that is written. */
    void gone(long prunedThrough) {
        if (output.enqueue(SseFrames.gone(prunedThrough), 1)) {
            whenDrained(() -> end(End.GONE));
            output.drain();
        } else {
            end(End.GONE);
        }
    }

    boolean isOpen() {
        return ended.get() == null;
    }

    /** Ends the stream (once): nothing more is queued or written. */
    void end(End why) {
        if (ended.compareAndSet(null, why)) {
            output.abandon();
            ending.ended(this, why);
        }
    }

    @Override
    public void failed(Throwable failure) {
        end(End.CLIENT_GONE);
    }

    @Override
    public void drained() {
        Runnable next = whenDrained;
        whenDrained = null;
        if (next != null) {
            next.run();
        }
    }
}
