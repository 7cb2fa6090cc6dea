package io.jobstate.rest.events;

import io.jobstate.jobs.Violation;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.support.WholeNumber;
import java.util.ArrayList;
import java.util.List;

/** Where a stream starts: after {@code Last-Event-ID} when the client reconnects, else after {@code ?after=}, else at the start. */
final class StreamPosition {

    private StreamPosition() {
    }

    /** The position; a malformed one is a 400 problem. */
    static long of(String lastEventId, String after) {
        List<Violation> violations = new ArrayList<>();
        long position = lastEventId != null && !lastEventId.isBlank()
                ? WholeNumber.parse("Last-Event-ID", lastEventId, 0, Long.MAX_VALUE, 0, violations)
                : WholeNumber.parse("after", after, 0, Long.MAX_VALUE, 0, violations);
        if (!violations.isEmpty()) {
            throw new Problem.Raised(Problem.badRequest(violations));
        }
        return position;
    }
}
