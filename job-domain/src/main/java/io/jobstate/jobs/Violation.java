package io.jobstate.jobs;

import java.util.Objects;

/** One reason a request is invalid, naming the offending field as a client wrote it. */
public record Violation(String field, String message) {

    public Violation {
        Objects.requireNonNull(field, "field is required");
        Objects.requireNonNull(message, "message is required");
    }
}
