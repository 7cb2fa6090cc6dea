package io.jobstate.rest.jobs;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.listing.JobCursor;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.progress.ProgressOutcome;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.rest.events.EventPublisher;
import io.jobstate.rest.leases.LeaseSettings;
import io.jobstate.rest.metrics.TransitionMetrics;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The job endpoints of the contract. Thin: parse, call one store operation, map its outcome with an
 * exhaustive switch. Thread-safe (stateless).
 */
@Path("/jobs")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.COORDINATOR})
@SecurityRequirement(name = "jwt")
@Tag(name = "jobs")
public class JobsResource {

    private static final Set<String> CREATE_MEMBERS = Set.of("type", "payload");
    private static final Set<String> TRANSITION_MEMBERS = Set.of("to", "expectedStatus", "expectedVersion", "result",
            "error", "reason", "leaseSeconds");
    private static final Set<String> PROGRESS_MEMBERS = Set.of("progress");
    /** Problem member naming why a 409 happened, so clients can re-decide without parsing prose. */
    private static final String CONFLICT_REASON = "conflictReason";
    private static final String REPLAYED = "Idempotent-Replayed";
    private static final String LEASE_TOKEN = "Lease-Token";

    @Inject
    JobStore store;

    @Inject
    TransitionMetrics metrics;

    @Inject
    EventPublisher publisher;

    @Inject
    LeaseSettings leases;

    @Context
    SecurityContext security;

    @Operation(summary = "Create a job (PENDING, version 0)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "NewJob")))
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "reused by every retry of one logical request (at most 200 characters)")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Created; Location and ETag name the job. A replay (same Idempotency-Key, same body) gets the same answer, with Idempotent-Replayed: true", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job"))),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "401", ref = "Unauthorized"),
            @APIResponse(responseCode = "403", ref = "Forbidden"),
            @APIResponse(responseCode = "409", ref = "Conflict"),
            @APIResponse(responseCode = "413", ref = "TooLarge"),
            @APIResponse(responseCode = "415", ref = "UnsupportedMediaType"),
            @APIResponse(responseCode = "503", ref = "Unavailable")})
    @RolesAllowed(Roles.COORDINATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(byte[] bytes, @HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Idempotency-Key") String key, @Context UriInfo uri) {
        JsonRequest body = JsonRequest.parse(JsonRequest.utf8(bytes, contentType), CREATE_MEMBERS);
        NewJob request = new NewJob(body.string("type", true), body.object("payload"), key);
        body.requireValid();
        return switch (store.create(request)) {
            case CreateOutcome.Created created -> Response.created(uri.getAbsolutePathBuilder()
                            .path(created.job().id().toString()).build())
                    .tag(tag(created.job())).entity(JobJson.of(created.job())).build();
            case CreateOutcome.Replayed replayed -> replayed(replayed.job());
            case CreateOutcome.KeyReused reused -> Problem.of(Response.Status.CONFLICT,
                    "The Idempotency-Key was already used for a different request.").withCurrent(reused.existing())
                    .with(CONFLICT_REASON, "IDEMPOTENCY_KEY_REUSED").toResponse();
            case CreateOutcome.Invalid invalid -> Problem.badRequest(invalid.violations()).toResponse();
        };
    }

    @Operation(summary = "Read one job")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "The job; ETag is its version", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job"))),
            @APIResponse(responseCode = "304", description = "If-None-Match named the current version"),
            @APIResponse(responseCode = "401", ref = "Unauthorized"),
            @APIResponse(responseCode = "403", ref = "Forbidden"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "412", ref = "PreconditionFailed"),
            @APIResponse(responseCode = "503", ref = "Unavailable")})
    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                        @HeaderParam("If-None-Match") String ifNoneMatch) {
        Job job = store.find(jobId(id)).orElseThrow(() -> new Problem.Raised(Problem.notFound(id)));
        Long required = IfMatch.version(ifMatch);
        if (required != null && required != job.version()) {
            return Problem.of(Response.Status.PRECONDITION_FAILED, "If-Match does not match the job's current version.")
                    .withCurrent(job).toResponse();
        }
        if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || Long.valueOf(job.version()).equals(IfMatch.version(ifNoneMatch)))) {
            return Response.notModified(tag(job)).build();
        }
        return ok(job);
    }

    @Operation(summary = "List jobs, newest first, filtered, in keyset pages (limit 1..500)")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "One page, newest first; nextCursor continues it", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "JobPage"))),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "401", ref = "Unauthorized"),
            @APIResponse(responseCode = "403", ref = "Forbidden"),
            @APIResponse(responseCode = "503", ref = "Unavailable")})
    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("type") String type,
                         @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        List<Violation> violations = new ArrayList<>();
        JobQuery query = JobQuery.firstPage()
                .withStatus(status == null ? null : statusNamed("status", status, violations))
                .withType(type)
                .withLimit(limit == null ? JobQuery.DEFAULT_LIMIT : wholeNumber("limit", limit, violations));
        if (cursor != null) {
            JobCursor after = JobCursor.decode(cursor).orElse(null);
            if (after == null) {
                violations.add(new Violation("cursor", "is not a cursor this service made"));
            }
            query = query.after(after);
        }
        violations.addAll(query.violations());
        if (!violations.isEmpty()) {
            return Problem.badRequest(violations).toResponse();
        }
        JobPage page = store.list(query);
        JsonArrayBuilder items = Json.createArrayBuilder();
        page.items().forEach(job -> items.add(JobJson.of(job)));
        return Response.ok(Json.createObjectBuilder().add("items", items)
                .add("nextCursor", page.nextCursor().<JsonValue>map(c -> Json.createValue(c.encode())).orElse(JsonValue.NULL))
                .build()).build();
    }

    @Operation(summary = "Change a job's status in one atomic step")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TransitionRequest")))
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "\"<version>\": apply only if the job is still at that version")
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "reused by every retry of one logical request (at most 200 characters)")
    @Parameter(name = "Lease-Token", in = ParameterIn.HEADER, description = "the run's lease token (from its RUNNING transition): required to complete or fail a RUNNING job")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Applied (or replayed for a known Idempotency-Key: then header Idempotent-Replayed: true and nothing written); ETag is the job's version", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job"))),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "401", ref = "Unauthorized"),
            @APIResponse(responseCode = "403", ref = "Forbidden"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "409", ref = "Conflict"),
            @APIResponse(responseCode = "412", ref = "PreconditionFailed"),
            @APIResponse(responseCode = "413", ref = "TooLarge"),
            @APIResponse(responseCode = "415", ref = "UnsupportedMediaType"),
            @APIResponse(responseCode = "503", ref = "Unavailable")})
    @RolesAllowed(Roles.COORDINATOR)
    @POST
    @Path("{id}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response transition(@PathParam("id") String id, byte[] bytes, @HeaderParam("Content-Type") String contentType,
                               @HeaderParam("If-Match") String ifMatch, @HeaderParam("Idempotency-Key") String key,
                               @HeaderParam(LEASE_TOKEN) String leaseToken) {
        UUID jobId = jobId(id);
        JsonRequest body = JsonRequest.parse(JsonRequest.utf8(bytes, contentType), TRANSITION_MEMBERS);
        String to = body.string("to", true);
        String expectedStatus = body.string("expectedStatus", false);
        JobStatus target = to == null ? null : statusNamed("to", to, body.violations());
        TransitionRequest request = new TransitionRequest(
                target,
                expectedStatus == null ? null : statusNamed("expectedStatus", expectedStatus, body.violations()),
                body.wholeNumber("expectedVersion", 0, Long.MAX_VALUE),
                IfMatch.version(ifMatch),
                key,
                body.object("result"),
                body.string("error", false),
                body.string("reason", false),
                leaseToken,
                leaseSeconds(body, target),
                caller());
        body.requireValid();
        TransitionOutcome outcome = store.transition(jobId, request);
        metrics.record(outcome);
        if (outcome instanceof TransitionOutcome.Applied) {
            publisher.nudge();
        }
        return switch (outcome) {
            case TransitionOutcome.Applied applied -> ok(applied.job());
            case TransitionOutcome.Replayed replayed -> replayedTransition(replayed);
            case TransitionOutcome.Conflict conflict -> Problem.of(Response.Status.CONFLICT,
                            conflictDetail(conflict)).withCurrent(conflict.current())
                    .with("requestedStatus", conflict.requested().name())
                    .with(CONFLICT_REASON, conflict.reason().name()).toResponse();
            case TransitionOutcome.PreconditionFailed failed -> Problem.of(Response.Status.PRECONDITION_FAILED,
                    "If-Match does not match the job's current version.").withCurrent(failed.current()).toResponse();
            case TransitionOutcome.NotFound notFound -> Problem.notFound(id).toResponse();
            case TransitionOutcome.Invalid invalid -> Problem.badRequest(invalid.violations()).toResponse();
            case TransitionOutcome.LockTimedOut timedOut ->
                    Problem.unavailable("LOCK_WAIT", "Another change of this job holds it; retry.").toResponse();
        };
    }

    @Operation(summary = "Report progress of a RUNNING job (never backwards; not a transition; renews the lease)")
    @Parameter(name = "Lease-Token", in = ParameterIn.HEADER, required = true, description = "the run's lease token")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ProgressReport")))
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Recorded; the version is unchanged", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job"))),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "401", ref = "Unauthorized"),
            @APIResponse(responseCode = "403", ref = "Forbidden"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "409", ref = "Conflict"),
            @APIResponse(responseCode = "413", ref = "TooLarge"),
            @APIResponse(responseCode = "415", ref = "UnsupportedMediaType"),
            @APIResponse(responseCode = "503", ref = "Unavailable")})
    @RolesAllowed(Roles.COORDINATOR)
    @PUT
    @Path("{id}/progress")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response progress(@PathParam("id") String id, byte[] bytes, @HeaderParam("Content-Type") String contentType,
                             @HeaderParam(LEASE_TOKEN) String leaseToken) {
        UUID jobId = jobId(id);
        JsonRequest body = JsonRequest.parse(JsonRequest.utf8(bytes, contentType), PROGRESS_MEMBERS);
        Long progress = body.wholeNumber("progress", 0, 100);
        if (progress == null && body.violations().isEmpty()) {
            body.violations().add(new Violation("progress", "is required"));
        }
        body.requireValid();
        return switch (store.reportProgress(jobId, progress.intValue(), leaseToken)) {
            case ProgressOutcome.Updated updated -> ok(updated.job());
            case ProgressOutcome.Rejected rejected -> refused(
                    "Progress is accepted only while RUNNING, with the run's Lease-Token, and never moves backwards",
                    rejected.current(), rejected.reason());
            case ProgressOutcome.NotFound notFound -> Problem.notFound(id).toResponse();
            case ProgressOutcome.Invalid invalid -> Problem.badRequest(invalid.violations()).toResponse();
        };
    }

    @Operation(summary = "Renew the lease of a RUNNING job by its length, from now (database clock)")
    @Parameter(name = "Lease-Token", in = ParameterIn.HEADER, required = true, description = "the run's lease token")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Renewed: leaseExpiresAt is the new expiry; the version is unchanged", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job"))),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "401", ref = "Unauthorized"),
            @APIResponse(responseCode = "403", ref = "Forbidden"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "409", ref = "Conflict"),
            @APIResponse(responseCode = "503", ref = "Unavailable")})
    @RolesAllowed(Roles.COORDINATOR)
    @POST
    @Path("{id}/heartbeat")
    public Response heartbeat(@PathParam("id") String id, @HeaderParam(LEASE_TOKEN) String leaseToken) {
        UUID jobId = jobId(id);
        if (leaseToken == null || leaseToken.isBlank()) {
            return Problem.badRequest(List.of(new Violation(LEASE_TOKEN, "is required"))).toResponse();
        }
        return switch (store.heartbeat(jobId, leaseToken)) {
            case HeartbeatOutcome.Renewed renewed -> ok(renewed.job());
            case HeartbeatOutcome.Rejected rejected -> refused(
                    "A lease is renewed only while the job is RUNNING, with its run's Lease-Token",
                    rejected.current(), rejected.reason());
            case HeartbeatOutcome.NotFound notFound -> Problem.notFound(id).toResponse();
        };
    }

    @Operation(summary = "The applied transitions of a job")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Every applied transition, oldest first", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, ref = "HistoryEntry"))),
            @APIResponse(responseCode = "401", ref = "Unauthorized"),
            @APIResponse(responseCode = "403", ref = "Forbidden"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "503", ref = "Unavailable")})
    @GET
    @Path("{id}/history")
    public Response history(@PathParam("id") String id) {
        List<HistoryEntry> entries = store.history(jobId(id)).orElseThrow(() -> new Problem.Raised(Problem.notFound(id)));
        JsonArrayBuilder array = Json.createArrayBuilder();
        entries.forEach(entry -> array.add(JobJson.of(entry)));
        return Response.ok(array.build()).build();
    }

    /** 409 for a report (progress, heartbeat) the job as it is now does not accept, and why. */
    private static Response refused(String rule, Job current, Enum<?> reason) {
        return Problem.of(Response.Status.CONFLICT, rule + " (" + reason.name().toLowerCase(Locale.ROOT) + ").")
                .withCurrent(current).with(CONFLICT_REASON, reason.name()).toResponse();
    }

    private static Response ok(Job job) {
        return Response.ok(JobJson.of(job)).tag(tag(job)).build();
    }

    /** A repeat of a request already applied under its Idempotency-Key; the header tells clients it wrote nothing. */
    /**
     * A replayed transition shows the lease token only if the job is still at the version the
     * original request produced: then the run is the requester's. Otherwise the job moved on (maybe
     * into another run), and that run's token must not reach the earlier requester (fencing).
     */
    private static Response replayedTransition(TransitionOutcome.Replayed replayed) {
        Job job = replayed.current();
        boolean ownRun = replayed.original().version() == job.version();
        return Response.ok(ownRun ? JobJson.of(job) : JobJson.withoutLeaseToken(job)).tag(tag(job))
                .header(REPLAYED, "true").build();
    }

    private static Response replayed(Job job) {
        return Response.ok(JobJson.of(job)).tag(tag(job)).header(REPLAYED, "true").build();
    }

    private static EntityTag tag(Job job) {
        return new EntityTag(Long.toString(job.version()));
    }

    private static UUID jobId(String id) {
        return JobIds.parse(id);
    }

    /** The lease length asked for, else the configured default when moving to RUNNING (the domain refuses one elsewhere). */
    private Integer leaseSeconds(JsonRequest body, JobStatus target) {
        Long asked = body.wholeNumber("leaseSeconds", Lease.MIN_SECONDS, Lease.MAX_SECONDS);
        if (asked != null) {
            return asked.intValue();
        }
        return target == JobStatus.RUNNING ? leases.defaultSeconds() : null;
    }

    /** The caller's name for the history (the token's subject); null when unknown. */
    private String caller() {
        return security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
    }

    private static JobStatus statusNamed(String field, String name, List<Violation> violations) {
        try {
            return JobStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(field, "must be one of PENDING, QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED"));
            return null;
        }
    }

    private static int wholeNumber(String field, String text, List<Violation> violations) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            violations.add(new Violation(field, "must be a whole number"));
            return JobQuery.DEFAULT_LIMIT;
        }
    }

    private static String conflictDetail(TransitionOutcome.Conflict conflict) {
        return switch (conflict.reason()) {
            case ILLEGAL_TRANSITION -> "The job cannot move from " + conflict.current().status() + " to "
                    + conflict.requested() + ".";
            case STALE_STATUS -> "The job is no longer in the expected status.";
            case STALE_VERSION -> "The job is no longer at the expected version.";
            case IDEMPOTENCY_KEY_REUSED -> "The Idempotency-Key was already used for a different request.";
            case LEASE_MISMATCH -> "Completing or failing a RUNNING job needs its current run's Lease-Token;"
                    + " this request carried none or another (the lease was taken away or the job runs again).";
        };
    }
}
