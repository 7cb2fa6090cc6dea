package io.jobstate.it.coordinator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the jobstate API's transition endpoint: the first {@link #REFUSALS} attempts on a
 * job are answered 503 for a database outage with {@code Retry-After: }{@link #RETRY_AFTER_SECONDS},
 * later ones 200 with the job RUNNING. Every attempt is recorded (arrival on this JVM's monotonic
 * clock, its Idempotency-Key, the answer's status) and can be read back. Thread-safe.
 */
@Path("stub/api/jobs/{id}")
@ApplicationScoped
public class StubJobstate {

    static final int REFUSALS = 2;
    static final int RETRY_AFTER_SECONDS = 2;

    private record Attempt(long receivedNanos, String idempotencyKey, int status) {
    }

    private final Map<UUID, List<Attempt>> attempts = new ConcurrentHashMap<>();

    @POST
    @Path("transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response transition(@PathParam("id") UUID id, @HeaderParam("Idempotency-Key") String key, String body) {
        long received = System.nanoTime();
        List<Attempt> seen = attempts.computeIfAbsent(id, any -> new ArrayList<>());
        synchronized (seen) {
            boolean refuse = seen.size() < REFUSALS;
            seen.add(new Attempt(received, key, refuse ? 503 : 200));
            return refuse ? unavailable() : running(id);
        }
    }

    @GET
    @Path("attempts")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray attempts(@PathParam("id") UUID id) {
        List<Attempt> seen = attempts.getOrDefault(id, List.of());
        JsonArrayBuilder array = Json.createArrayBuilder();
        synchronized (seen) {
            seen.forEach(a -> array.add(Json.createObjectBuilder().add("receivedNanos", a.receivedNanos())
                    .add("idempotencyKey", String.valueOf(a.idempotencyKey())).add("status", a.status())));
        }
        return array.build();
    }

    private static Response unavailable() {
        String problem = Json.createObjectBuilder().add("type", "about:blank").add("title", "Service Unavailable")
                .add("status", 503).add("detail", "The database is unavailable.").add("unavailableReason", "DATABASE")
                .build().toString();
        return Response.status(503).type("application/problem+json").header("Retry-After", RETRY_AFTER_SECONDS)
                .entity(problem).build();
    }

    private static Response running(UUID id) {
        String now = Instant.now().toString();
        String job = Json.createObjectBuilder().add("id", id.toString()).add("type", "build").add("status", "RUNNING")
                .add("version", 1).add("attempt", 1).add("progress", 0).addNull("result").addNull("error")
                .add("createdAt", now).add("updatedAt", now).add("startedAt", now).addNull("finishedAt")
                .add("leaseToken", UUID.randomUUID().toString()).add("leaseExpiresAt", Instant.now().plusSeconds(60).toString())
                .build().toString();
        return Response.ok(job, MediaType.APPLICATION_JSON).header("ETag", "\"1\"").build();
    }
}
