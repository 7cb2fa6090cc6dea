package io.jobstate.rest.events;

import java.util.List;

/**
 * Consecutive published events as the tail hands them out: the frames, for streams of one job (and for
 * streams that already have some of them), and their messages joined into one array, written as it is
 * to every all-jobs stream that is up to date. Immutable.
 */
record FrameBatch(List<EventFrame> frames, byte[] joined) {

    FrameBatch {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a batch has frames");
        }
    }

    static FrameBatch of(List<EventFrame> frames) {
        return new FrameBatch(frames, SseFrames.joined(frames));
    }

    long firstSeq() {
        return frames.getFirst().seq();
    }

    long lastSeq() {
        return frames.getLast().seq();
    }
}
