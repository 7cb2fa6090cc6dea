package io.jobstate.rest.jobs;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.Violation;
import io.jobstate.jobs.history.HistoryPage;
import io.jobstate.jobs.history.HistoryQuery;
import io.jobstate.jobs.lease.HeartbeatOutcome;
import io.jobstate.jobs.progress.ProgressOutcome;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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
 * One job: reading it and its history (viewers and coordinators), and what the worker of a run
 * reports about it without changing its status — progress and heartbeats, both with the run's
 * {@code Lease-Token} (without one: 400; another run's: 409 LEASE_MISMATCH), both renewing the
 * lease. Its status changes through {@link TransitionsResource}. Thread-safe (stateless).
 */
@Path("/jobs/{id}")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.VIEWER, Roles.COORDINATOR})
@SecurityRequirement(name = "jwt")
@Tag(name = "jobs")
public class JobResource {

    private static final Set<String> PROGRESS_MEMBERS = Set.of("progress");

    @Inject
    JobStore store;

    @Operation(operationId = "getJob", summary = "Read one job")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "The job; ETag is its version", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")),
                    headers = @Header(name = "ETag", ref = "ETag")),
            @APIResponse(responseCode = "304", description = "If-None-Match names the current version (weak comparison); no body",
                    headers = @Header(name = "ETag", ref = "ETag")),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "412", ref = "PreconditionFailed")})
    @GET
    public Response get(@Parameter(description = JobIds.DESCRIPTION, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
                        @Parameter(description = "one strong entity tag (\"3\"): answer only if the job is at that version (412 otherwise); * or none: no condition")
                        @HeaderParam("If-Match") String ifMatch,
                        @Parameter(description = "*, or entity tags compared weakly: 304 if one names the current version")
                        @HeaderParam("If-None-Match") String ifNoneMatch) {
        Job job = store.find(JobIds.parse(id)).orElseThrow(() -> new Problem.Raised(Problem.notFound(id)));
        Long required = EntityTags.requiredVersion(ifMatch);
        if (required != null && required != job.version()) {
            return Problem.preconditionFailed(job).toResponse();
        }
        if (EntityTags.noneMatchNames(ifNoneMatch, job.version())) {
            return JobResponses.notModified(job);
        }
        return JobResponses.ok(job);
    }

    @Operation(operationId = "getJobHistory", summary = "The applied transitions of a job, oldest first, a page at a time")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "The applied transitions after `after`, oldest first, at most `limit`;"
                    + " a Link header (rel=\"next\") names the next page when more follow",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "HistoryEntries")),
                    headers = @Header(name = "Link", ref = "NextPage")),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "404", ref = "NotFound")})
    @GET
    @Path("history")
    public Response history(@Parameter(description = JobIds.DESCRIPTION, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
                            @Parameter(description = "the version of the last entry seen (0: from the first)",
                                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0", defaultValue = "0"))
                            @QueryParam("after") String after,
                            @Parameter(description = "at most this many entries", schema = @Schema(type = SchemaType.INTEGER, format = "int32",
                                    minimum = "1", maximum = "" + HistoryQuery.MAX_LIMIT, defaultValue = "" + HistoryQuery.DEFAULT_LIMIT))
                            @QueryParam("limit") String limit,
                            @Context UriInfo uri) {
        var jobId = JobIds.parse(id);
        List<Violation> violations = new ArrayList<>();
        HistoryQuery query = HistoryQuery.firstPage()
                .after(WholeNumber.parse("after", after, 0, Long.MAX_VALUE, 0, violations))
                .withLimit((int) WholeNumber.parse("limit", limit, 1, HistoryQuery.MAX_LIMIT, HistoryQuery.DEFAULT_LIMIT, violations));
        violations.addAll(query.violations());
        if (!violations.isEmpty()) {
            return Problem.badRequest(violations).toResponse();
        }
        HistoryPage page = store.history(jobId, query).orElseThrow(() -> new Problem.Raised(Problem.notFound(id)));
        Response.ResponseBuilder answer = Response.ok(JobJson.of(page.entries()), MediaType.APPLICATION_JSON_TYPE);
        page.nextAfter().ifPresent(next -> answer.link(uri.getRequestUriBuilder()
                .replaceQueryParam("after", next).replaceQueryParam("limit", query.limit()).build(), "next"));
        return answer.build();
    }

    @Operation(operationId = "reportProgress", summary = "Report progress of a RUNNING job (never backwards; not a transition; renews the lease)")
    @Parameter(name = Lease.TOKEN_FIELD, in = ParameterIn.HEADER, required = true, description = "the run's lease token",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = Lease.MAX_TOKEN_LENGTH))
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ProgressReport")))
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Recorded; the version is unchanged", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")),
                    headers = @Header(name = "ETag", ref = "ETag")),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "409", ref = "Conflict"),
            @APIResponse(responseCode = "413", ref = "TooLarge"),
            @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")})
    @RolesAllowed(Roles.COORDINATOR)
    @PUT
    @Path("progress")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response progress(@Parameter(description = JobIds.DESCRIPTION, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id, byte[] bytes, @HeaderParam("Content-Type") String contentType,
                             @HeaderParam("Lease-Token") String leaseToken) {
        var jobId = JobIds.parse(id);
        JsonRequest body = JsonRequest.parse(JsonRequest.utf8(bytes, contentType), PROGRESS_MEMBERS);
        Long progress = body.wholeNumber("progress", 0, 100);
        if (progress == null && body.valid()) {
            body.reject("progress", "is required");
        }
        body.requireValid();
        return switch (store.reportProgress(jobId, progress.intValue(), leaseToken)) {
            case ProgressOutcome.Updated updated -> JobResponses.ok(updated.job());
            case ProgressOutcome.Rejected rejected -> JobResponses.conflict(rejected.current(), rejected.reason(), null);
            case ProgressOutcome.NotFound notFound -> Problem.notFound(id).toResponse();
            case ProgressOutcome.Invalid invalid -> Problem.badRequest(invalid.violations()).toResponse();
        };
    }

    @Operation(operationId = "heartbeat", summary = "Renew the lease of a RUNNING job by its length, from now (database clock)")
    @Parameter(name = Lease.TOKEN_FIELD, in = ParameterIn.HEADER, required = true, description = "the run's lease token",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = Lease.MAX_TOKEN_LENGTH))
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Renewed: leaseExpiresAt is the new expiry; the version is unchanged", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")),
                    headers = @Header(name = "ETag", ref = "ETag")),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "409", ref = "Conflict")})
    @RolesAllowed(Roles.COORDINATOR)
    @POST
    @Path("heartbeat")
    public Response heartbeat(@Parameter(description = JobIds.DESCRIPTION, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
                              @HeaderParam("Lease-Token") String leaseToken) {
        return switch (store.heartbeat(JobIds.parse(id), leaseToken)) {
            case HeartbeatOutcome.Renewed renewed -> JobResponses.ok(renewed.job());
            case HeartbeatOutcome.Rejected rejected -> JobResponses.conflict(rejected.current(), rejected.reason(), null);
            case HeartbeatOutcome.NotFound notFound -> Problem.notFound(id).toResponse();
            case HeartbeatOutcome.Invalid invalid -> Problem.badRequest(invalid.violations()).toResponse();
        };
    }
}
