package io.jobstate.rest.jobs;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.rest.support.Jsonp;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The contract's representations of a job, a page of jobs and history entries, written straight to
 * UTF-8 bytes with a JSON-P generator (no object tree per answer). A job's absent values are explicit
 * nulls; a history entry's absent members are left out. Thread-safe (stateless).
 */
final class JobJson {

    private JobJson() {
    }

    static byte[] of(Job job) {
        return written(g -> job(g.writeStartObject(), job).writeEnd());
    }

    static byte[] of(JobPage page) {
        return written(g -> {
            g.writeStartObject().writeStartArray("items");
            page.items().forEach(job -> job(g.writeStartObject(), job).writeEnd());
            g.writeEnd();
            page.nextCursor().ifPresentOrElse(cursor -> g.write("nextCursor", cursor.encode()), () -> g.writeNull("nextCursor"));
            g.writeEnd();
        });
    }

    static byte[] of(List<HistoryEntry> entries) {
        return written(g -> {
            g.writeStartArray();
            entries.forEach(entry -> entry(g.writeStartObject(), entry).writeEnd());
            g.writeEnd();
        });
    }

    private static JsonGenerator job(JsonGenerator g, Job job) {
        g.write("id", job.id().toString())
                .write("type", job.type())
                .write("status", job.status().name())
                .write("version", job.version())
                .write("attempt", job.attempt())
                .write("progress", job.progress())
                .write("payload", json(job.payload()))
                .write("result", json(job.result()));
        text(g, "error", job.error());
        time(g, "createdAt", job.createdAt());
        time(g, "updatedAt", job.updatedAt());
        time(g, "startedAt", job.startedAt());
        time(g, "finishedAt", job.finishedAt());
        text(g, "leaseToken", job.lease() == null ? null : job.lease().token());
        time(g, "leaseExpiresAt", job.lease() == null ? null : job.lease().expiresAt());
        return g;
    }

    private static JsonGenerator entry(JsonGenerator g, HistoryEntry entry) {
        g.write("version", entry.version())
                .write("from", entry.from().name())
                .write("to", entry.to().name())
                .write("at", entry.at().toString())
                .write("attempt", entry.attempt());
        optional(g, "idempotencyKey", entry.idempotencyKey());
        optional(g, "actor", entry.actor());
        optional(g, "reason", entry.reason());
        optional(g, "error", entry.error());
        return g;
    }

    private static byte[] written(Consumer<JsonGenerator> content) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator generator = Jsonp.generator(out)) {
            content.accept(generator);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonValue json(String text) {
        if (text == null) {
            return JsonValue.NULL;
        }
        try (JsonReader reader = Jsonp.reader(new StringReader(text))) {
            return reader.readValue();
        } catch (RuntimeException e) {
            // stored before the request limits existed: show it as text rather than fail the read
            return Jsonp.string(text);
        }
    }

    private static void text(JsonGenerator g, String name, String value) {
        if (value == null) {
            g.writeNull(name);
        } else {
            g.write(name, value);
        }
    }

    private static void time(JsonGenerator g, String name, Instant value) {
        text(g, name, value == null ? null : value.toString());
    }

    private static void optional(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.write(name, value);
        }
    }
}
