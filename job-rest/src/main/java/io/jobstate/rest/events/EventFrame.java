package io.jobstate.rest.events;

import io.jobstate.jobs.events.JobEvent;
import java.util.Objects;
import java.util.UUID;

/**
 * One published event and its stream message ({@link SseFrames}). Immutable; {@code bytes} is shared and
 * never written after construction.
 */
record EventFrame(JobEvent event, byte[] bytes) {

    EventFrame {
        Objects.requireNonNull(event, "event is required");
        Objects.requireNonNull(bytes, "bytes are required");
    }

    long seq() {
        return event.seq();
    }

    UUID jobId() {
        return event.jobId();
    }
}
