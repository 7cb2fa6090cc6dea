package io.jobstate.rest.jobs;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Violation;
import io.jobstate.jobs.creation.CreateOutcome;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.listing.JobCursor;
import io.jobstate.jobs.listing.JobQuery;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.security.Roles;
import io.jobstate.rest.support.WholeNumber;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The collection of jobs: creating one, and listing them newest first in keyset pages. One job is
 * {@link JobResource}; its status changes through {@link TransitionsResource}. Thin: parse, one
 * store operation, its outcome mapped with an exhaustive switch. Thread-safe (stateless).
 */
@Path("/jobs")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.COORDINATOR})
@SecurityRequirement(name = "jwt")
@Tag(name = "jobs")
public class JobsResource {

    private static final Set<String> CREATE_MEMBERS = Set.of("type", "payload");

    @Inject
    JobStore store;

    @Operation(operationId = "createJob", summary = "Create a job (PENDING, version 0)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "NewJob")))
    @Parameter(name = IdempotencyKeys.FIELD, in = ParameterIn.HEADER, description = "reused by every retry of one logical request; not blank",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = IdempotencyKeys.MAX_LENGTH, pattern = "\\S"))
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Created; Location and ETag name the job. Also the answer to a replay of the same request with its Idempotency-Key (header Idempotent-Replayed: true, nothing written): the job as it was created",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")),
                    headers = {@Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag"),
                            @Header(name = JobResponses.REPLAYED, ref = "IdempotentReplayed")}),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "409", ref = "Conflict"),
            @APIResponse(responseCode = "413", ref = "TooLarge"),
            @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")})
    @RolesAllowed(Roles.COORDINATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(byte[] bytes, @HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Idempotency-Key") String key, @Context UriInfo uri) {
        JsonRequest body = JsonRequest.parse(JsonRequest.utf8(bytes, contentType), CREATE_MEMBERS);
        NewJob request = new NewJob(body.string("type", true), body.object("payload"), key);
        body.requireValid();
        return switch (store.create(request)) {
            case CreateOutcome.Created created -> JobResponses.created(created.job(), location(uri, created.job()));
            case CreateOutcome.Replayed replayed ->
                    JobResponses.replayed(JobResponses.created(replayed.job(), location(uri, replayed.job())));
            case CreateOutcome.KeyReused reused ->
                    JobResponses.conflict(reused.existing(), ConflictReason.IDEMPOTENCY_KEY_REUSED, null);
            case CreateOutcome.Invalid invalid -> Problem.badRequest(invalid.violations()).toResponse();
        };
    }

    @Operation(operationId = "listJobs", summary = "List jobs, newest first, filtered, in keyset pages")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "One page, newest first; nextCursor continues it", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "JobPage"))),
            @APIResponse(responseCode = "400", ref = "BadRequest")})
    @GET
    public Response list(
            @Parameter(description = "only jobs in this status", schema = @Schema(ref = "JobStatus")) @QueryParam("status") String status,
            @Parameter(description = "only jobs of exactly this type") @QueryParam("type") String type,
            @Parameter(description = "at most this many jobs", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1",
                    maximum = "" + JobQuery.MAX_LIMIT, defaultValue = "" + JobQuery.DEFAULT_LIMIT)) @QueryParam("limit") String limit,
            @Parameter(description = "the nextCursor of the previous page: an opaque string, sent with the same filters") @QueryParam("cursor") String cursor) {
        List<Violation> violations = new ArrayList<>();
        JobQuery query = JobQuery.firstPage()
                .withStatus(StatusNames.parse("status", status, violations))
                .withType(type)
                .withLimit((int) WholeNumber.parse("limit", limit, 1, JobQuery.MAX_LIMIT, JobQuery.DEFAULT_LIMIT, violations));
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
        return Response.ok(JobJson.of(store.list(query)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static URI location(UriInfo uri, Job job) {
        return uri.getAbsolutePathBuilder().path(job.id().toString()).build();
    }
}
