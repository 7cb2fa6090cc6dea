package io.jobstate.rest.jobs;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.rest.claims.LongPollClaims;
import io.jobstate.rest.leases.LeaseSettings;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
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
 * {@code POST /api/jobs/claims}: a worker takes the next QUEUED job, RUNNING under a new lease, never
 * racing the other workers (see {@link io.jobstate.jobs.store.JobStore#claim}); with
 * {@code waitSeconds} it waits for one ({@link LongPollClaims}). Announces the transition as any
 * other ({@link TransitionApplied}). Thread-safe (stateless).
 */
@Path("/jobs/claims")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.COORDINATOR)
@SecurityRequirement(name = "jwt")
@Tag(name = "jobs")
public class ClaimsResource {

    @Inject
    LongPollClaims claims;

    @Inject
    Event<TransitionApplied> applied;

    @Inject
    LeaseSettings leases;

    @Context
    SecurityContext security;

    @Operation(operationId = "claimJob", summary = "Take the job QUEUED longest among some types, RUNNING under a new lease")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ClaimRequest")))
    @Parameter(name = IdempotencyKeys.FIELD, in = ParameterIn.HEADER, description = "reused by every retry of one claim: a retry gets the job and lease the claim got; not blank",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = IdempotencyKeys.MAX_LENGTH, pattern = "\\S"))
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Claimed: the job, now RUNNING with its new lease; ETag is its version, Location the job. Or replayed for a known Idempotency-Key (header Idempotent-Replayed: true, nothing written): the job and lease as the claim left them",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")),
                    headers = {@Header(name = "ETag", ref = "ETag"), @Header(name = "Location", ref = "Location"),
                            @Header(name = JobResponses.REPLAYED, ref = "IdempotentReplayed")}),
            @APIResponse(responseCode = "204", description = "No job of the requested types was QUEUED (and free) within waitSeconds"),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "409", ref = "Conflict"),
            @APIResponse(responseCode = "413", ref = "TooLarge"),
            @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response claim(byte[] bytes, @HeaderParam("Content-Type") String contentType,
                          @HeaderParam("Idempotency-Key") String key, @Context UriInfo uri) {
        ClaimBody body = ClaimBody.parse(bytes, contentType, key, leases.defaultSeconds(),
                security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName());
        return switch (claims.claim(body.request(), body.waitFor())) {
            case ClaimOutcome.Claimed claimed -> {
                applied.fire(new TransitionApplied(claimed.job(), JobStatus.QUEUED));
                yield located(JobResponses.ok(claimed.job()), uri, claimed.job());
            }
            case ClaimOutcome.Replayed replayed -> JobResponses.replayed(located(JobResponses.ok(replayed.job()), uri, replayed.job()));
            case ClaimOutcome.NoneQueued none -> Response.noContent().build();
            case ClaimOutcome.KeyReused reused -> JobResponses.conflict(reused.claimed(), ConflictReason.IDEMPOTENCY_KEY_REUSED,
                    JobStatus.RUNNING);
            case ClaimOutcome.Invalid invalid -> Problem.badRequest(invalid.violations()).toResponse();
        };
    }

    private static Response located(Response answer, UriInfo uri, Job job) {
        URI location = uri.getBaseUriBuilder().path("jobs").path(job.id().toString()).build();
        return Response.fromResponse(answer).location(location).build();
    }
}
