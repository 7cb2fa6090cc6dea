package io.jobstate.rest.events;

import io.jobstate.jobs.events.JobEvent;
import io.jobstate.rest.support.Jsonp;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bytes of the stream messages, exactly as the contract shows them (and as the JAX-RS runtime wrote
 * them before streams wrote their own bytes): {@code id: <seq>\ndata: <event>\n\n}, the keep-alive
 * comment {@code : keep-alive\n\n}, and {@code event: gone\ndata: {"prunedThrough":n}\n\n}. An event is
 * serialised once and its bytes are shared by every stream that carries it. Thread-safe (stateless).
 */
final class SseFrames {

    static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private SseFrames() {
    }

    static EventFrame of(JobEvent event) {
        String message = "id: " + event.seq() + "\ndata: " + EventJson.of(event) + "\n\n";
        return new EventFrame(event, message.getBytes(StandardCharsets.UTF_8));
    }

    static List<EventFrame> of(List<JobEvent> events) {
        return events.stream().map(SseFrames::of).toList();
    }

    static byte[] gone(long prunedThrough) {
        String message = "event: gone\ndata: " + Jsonp.object().add("prunedThrough", prunedThrough).build() + "\n\n";
        return message.getBytes(StandardCharsets.UTF_8);
    }

    /** The messages of consecutive frames as one array: what every all-jobs stream gets for a batch. */
    static byte[] joined(List<EventFrame> frames) {
        int size = 0;
        for (EventFrame frame : frames) {
            size += frame.bytes().length;
        }
        byte[] joined = new byte[size];
        int at = 0;
        for (EventFrame frame : frames) {
            System.arraycopy(frame.bytes(), 0, joined, at, frame.bytes().length);
            at += frame.bytes().length;
        }
        return joined;
    }
}
