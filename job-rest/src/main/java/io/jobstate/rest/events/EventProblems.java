package io.jobstate.rest.events;

import io.jobstate.jobs.events.EventRead;
import io.jobstate.rest.problem.Problem;
import jakarta.ws.rs.core.Response;

/** The problems particular to the feed. */
final class EventProblems {

    private EventProblems() {
    }

    /** 410: the consumer asked for events that retention deleted; {@code prunedThrough} is where the feed now starts. */
    static Problem gone(EventRead.Gone gone) {
        return Problem.of(Response.Status.GONE, "Events after " + gone.after() + " up to " + gone.prunedThrough()
                        + " were pruned by retention; resume after " + gone.prunedThrough() + " (and resynchronise from the jobs).")
                .with("prunedThrough", gone.prunedThrough());
    }
}
