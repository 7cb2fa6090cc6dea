package io.jobstate.client.api;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.UUID;

/** A job as the service represents it; {@code version} rises by one with every applied transition. */
public record Job(UUID id, String type, JobStatus status, long version, int attempt, int progress,
                  JsonValue result, String error, Instant createdAt, Instant updatedAt, Instant startedAt,
                  Instant finishedAt) {
}
