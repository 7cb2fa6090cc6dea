package io.jobstate.rest.events;

import io.jobstate.jobs.Violation;
import io.jobstate.rest.problem.Problem;
import java.util.List;

/** Where a stream starts: after {@code Last-Event-ID} when the client reconnects, else after {@code ?after=}, else at the start. */
final class StreamPosition {

    private StreamPosition() {
    }

    static long of(String lastEventId, String after) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            return sequence("Last-Event-ID", lastEventId.strip());
        }
        return after == null ? 0 : sequence("after", after);
    }

    static long sequence(String field, String text) {
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Problem.Raised(Problem.badRequest(List.of(new Violation(field, "must be a sequence number (0 or more)"))));
    }
}
