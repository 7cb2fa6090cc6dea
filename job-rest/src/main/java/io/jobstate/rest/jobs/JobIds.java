package io.jobstate.rest.jobs;

import io.jobstate.rest.problem.Problem;
import java.util.UUID;

/** Job ids in paths. */
public final class JobIds {

    /** How the OpenAPI document describes the {@code {id}} of every job path (with {@code format: uuid}). */
    public static final String DESCRIPTION = "the job's id: a UUID (any other text names no job: 404)";

    private JobIds() {
    }

    /** The job a path id names; an id that is not a UUID (in its canonical spelling) names no job: 404, as the contract says. */
    public static UUID parse(String id) {
        try {
            UUID parsed = UUID.fromString(id);
            if (parsed.toString().equalsIgnoreCase(id)) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // not a UUID
        }
        throw new Problem.Raised(Problem.notFound(id));
    }
}
