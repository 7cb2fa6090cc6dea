package io.jobstate.rest.jobs;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.listing.JobPage;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;

/**
 * The contract's representations of a job, a page of jobs and history entries; a job's absent values
 * are explicit nulls, a history entry's absent members are left out. Thread-safe (stateless).
 */
final class JobJson {

    private JobJson() {
    }

    static JsonObject of(Job job) {
        return Json.createObjectBuilder()
                .add("id", job.id().toString())
                .add("type", job.type())
                .add("status", job.status().name())
                .add("version", job.version())
                .add("attempt", job.attempt())
                .add("progress", job.progress())
                .add("payload", json(job.payload()))
                .add("result", json(job.result()))
                .add("error", text(job.error()))
                .add("createdAt", time(job.createdAt()))
                .add("updatedAt", time(job.updatedAt()))
                .add("startedAt", time(job.startedAt()))
                .add("finishedAt", time(job.finishedAt()))
                .add("leaseToken", job.lease() == null ? JsonValue.NULL : Json.createValue(job.lease().token()))
                .add("leaseExpiresAt", job.lease() == null ? JsonValue.NULL : Json.createValue(job.lease().expiresAt().toString()))
                .build();
    }

    static JsonObject of(JobPage page) {
        JsonArrayBuilder items = Json.createArrayBuilder();
        page.items().forEach(job -> items.add(of(job)));
        return Json.createObjectBuilder().add("items", items)
                .add("nextCursor", page.nextCursor().<JsonValue>map(c -> Json.createValue(c.encode())).orElse(JsonValue.NULL))
                .build();
    }

    static JsonArray of(List<HistoryEntry> entries) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        entries.forEach(entry -> array.add(of(entry)));
        return array.build();
    }

    static JsonObject of(HistoryEntry entry) {
        JsonObjectBuilder builder = Json.createObjectBuilder()
                .add("version", entry.version())
                .add("from", entry.from().name())
                .add("to", entry.to().name())
                .add("at", time(entry.at()))
                .add("attempt", entry.attempt());
        if (entry.idempotencyKey() != null) {
            builder.add("idempotencyKey", entry.idempotencyKey());
        }
        if (entry.actor() != null) {
            builder.add("actor", entry.actor());
        }
        if (entry.reason() != null) {
            builder.add("reason", entry.reason());
        }
        if (entry.error() != null) {
            builder.add("error", entry.error());
        }
        return builder.build();
    }

    private static JsonValue json(String text) {
        if (text == null) {
            return JsonValue.NULL;
        }
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (RuntimeException e) {
            // stored before the request limits existed: show it as text rather than fail the read
            return Json.createValue(text);
        }
    }

    private static JsonValue text(String value) {
        return value == null ? JsonValue.NULL : Json.createValue(value);
    }

    private static JsonValue time(Instant value) {
        return value == null ? JsonValue.NULL : Json.createValue(value.toString());
    }
}
