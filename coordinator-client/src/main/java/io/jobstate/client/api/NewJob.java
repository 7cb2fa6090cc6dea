package io.jobstate.client.api;

import jakarta.json.JsonObject;
import java.util.Objects;

/** The body that creates a job; {@code payload} is optional. */
public record NewJob(String type, JsonObject payload) {

    public NewJob {
        Objects.requireNonNull(type, "type is required");
    }

    public static NewJob ofType(String type) {
        return new NewJob(type, null);
    }
}
