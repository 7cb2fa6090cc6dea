package io.jobstate.rest.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The newest published events of this instance, in memory, and the streams that follow them. Each batch
 * the feed publishes is read once (by {@link TailFollower}), appended here and queued on every following
 * stream: all-jobs streams take it whole, one-job streams only their job's frames (found by job, not by
 * looking at every stream). A stream whose position is inside the tail joins at once; one further back
 * reads the database first ({@link CatchUp}) and joins afterwards.
 *
 * <p>Bounded: the tail keeps the newest {@code capacity} events (a ring); older positions are the
 * database's. Appending and joining happen under one lock, so a stream joins either before a batch (and
 * gets it from the fan-out) or after it (and gets it from the ring), never both or neither. Under the lock
 * messages are only queued; writing happens afterwards, outside it ({@link StreamSubscriber#drain()}).
 * Thread-safe.
 */
final class EventTail {

    private static final StreamSubscriber[] NONE = new StreamSubscriber[0];

    private final ReentrantLock lock = new ReentrantLock();
    private final EventFrame[] ring;
    /** The ring holds the events with start < seq <= end; -1: not placed yet. */
    private long start = -1;
    private long end = -1;
    /** Replaced, never changed in place: a fan-out may end (and remove) a stream while it walks the array. */
    private StreamSubscriber[] allJobs = NONE;
    private final Map<UUID, StreamSubscriber[]> byJob = new HashMap<>();

    EventTail(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the tail holds at least one event");
        }
        this.ring = new EventFrame[capacity];
    }

    /** Whether the tail knows where the feed is (it starts empty at a published position). */
    boolean placed() {
        return end() >= 0;
    }

    /** The newest sequence the tail holds (or was placed at); -1 before it is placed. */
    long end() {
        lock.lock();
        try {
            return end;
        } finally {
            lock.unlock();
        }
    }

    /** Places an empty tail at a published position, once; the follower reads everything after it. */
    void place(long position) {
        lock.lock();
        try {
            if (end < 0) {
                start = position;
                end = position;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends the events that follow the end and queues them on every stream that wants them; returns the
     * streams that got something (to drain once the lock is released).
     */
    List<StreamSubscriber> append(FrameBatch batch) {
        lock.lock();
        try {
            if (end < 0 || batch.firstSeq() != end + 1) {
                throw new IllegalStateException("the tail ends at " + end + "; a batch from " + batch.firstSeq() + " does not follow it");
            }
            for (EventFrame frame : batch.frames()) {
                ring[slot(frame.seq())] = frame;
            }
            end = batch.lastSeq();
            start = Math.max(start, end - ring.length);
            List<StreamSubscriber> touched = new ArrayList<>();
            for (StreamSubscriber subscriber : allJobs) {
                if (subscriber.offer(batch)) {
                    touched.add(subscriber);
                }
            }
            followedJobsOf(batch.frames()).forEach((job, frames) -> {
                for (StreamSubscriber subscriber : byJob.get(job)) {
                    if (subscriber.offer(frames)) {
                        touched.add(subscriber);
                    }
                }
            });
            return touched;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Joins a stream whose events up to {@code position} are all queued (or do not exist): queues the
     * tail's frames after it and follows from then on. False when the tail is not placed yet or no longer
     * holds everything after {@code position}: the stream reads the database first.
     */
    boolean join(StreamSubscriber subscriber, long position) {
        lock.lock();
        try {
            if (end < 0 || position < start) {
                return false;
            }
            subscriber.advanceTo(position);
            List<EventFrame> after = new ArrayList<>();
            for (long seq = position + 1; seq <= end; seq++) {
                after.add(ring[slot(seq)]);
            }
            subscriber.offer(after);
            if (subscriber.jobId() == null) {
                allJobs = with(allJobs, subscriber);
            } else {
                byJob.put(subscriber.jobId(), with(byJob.getOrDefault(subscriber.jobId(), NONE), subscriber));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The stream no longer follows (it ended); nothing if it never joined. */
    void leave(StreamSubscriber subscriber) {
        lock.lock();
        try {
            if (subscriber.jobId() == null) {
                allJobs = without(allJobs, subscriber);
            } else {
                StreamSubscriber[] left = without(byJob.getOrDefault(subscriber.jobId(), NONE), subscriber);
                if (left.length == 0) {
                    byJob.remove(subscriber.jobId());
                } else {
                    byJob.put(subscriber.jobId(), left);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Empties the tail and places it at {@code position}; returns the streams that followed it, which no
     * longer do (the feed was pruned past the tail, or could not be followed without a gap).
     */
    List<StreamSubscriber> restartAt(long position) {
        lock.lock();
        try {
            List<StreamSubscriber> followed = new ArrayList<>(Arrays.asList(allJobs));
            byJob.values().forEach(streams -> followed.addAll(Arrays.asList(streams)));
            allJobs = NONE;
            byJob.clear();
            Arrays.fill(ring, null);
            start = position;
            end = position;
            return followed;
        } finally {
            lock.unlock();
        }
    }

    /** How many streams follow the tail now. */
    int followers() {
        lock.lock();
        try {
            return allJobs.length + byJob.values().stream().mapToInt(streams -> streams.length).sum();
        } finally {
            lock.unlock();
        }
    }

    private int slot(long seq) {
        return (int) Math.floorMod(seq, (long) ring.length);
    }

    /** The frames of each job some stream follows, in order. */
    private Map<UUID, List<EventFrame>> followedJobsOf(List<EventFrame> frames) {
        Map<UUID, List<EventFrame>> grouped = new LinkedHashMap<>();
        if (!byJob.isEmpty()) {
            for (EventFrame frame : frames) {
                if (byJob.containsKey(frame.jobId())) {
                    grouped.computeIfAbsent(frame.jobId(), job -> new ArrayList<>()).add(frame);
                }
            }
        }
        return grouped;
    }

    private static StreamSubscriber[] with(StreamSubscriber[] streams, StreamSubscriber added) {
        StreamSubscriber[] more = Arrays.copyOf(streams, streams.length + 1);
        more[streams.length] = added;
        return more;
    }

    private static StreamSubscriber[] without(StreamSubscriber[] streams, StreamSubscriber removed) {
        for (int i = 0; i < streams.length; i++) {
            if (streams[i] == removed) {
                StreamSubscriber[] fewer = new StreamSubscriber[streams.length - 1];
                System.arraycopy(streams, 0, fewer, 0, i);
                System.arraycopy(streams, i + 1, fewer, i, streams.length - i - 1);
                return fewer;
            }
        }
        return streams;
    }
}
