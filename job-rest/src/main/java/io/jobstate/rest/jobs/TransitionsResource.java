package io.jobstate.rest.jobs;

import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.rest.leases.LeaseSettings;
import io.jobstate.rest.metrics.TransitionMetrics;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.security.Roles;
import io.jobstate.rest.tracing.TransitionSpans;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
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
 * {@code POST /jobs/{id}/transitions}: the one way a job's status changes. Thin: parse, one store
 * operation, its outcome mapped with an exhaustive switch; an applied transition is announced
 * ({@link TransitionApplied}). Thread-safe (stateless).
 */
@Path("/jobs/{id}/transitions")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.COORDINATOR)
@SecurityRequirement(name = "jwt")
@Tag(name = "jobs")
public class TransitionsResource {

    @Inject
    JobStore store;

    @Inject
    TransitionMetrics metrics;

    @Inject
    Event<TransitionApplied> applied;

    @Inject
    LeaseSettings leases;

    @Inject
    TransitionSpans spans;

    @Context
    SecurityContext security;

    @Operation(operationId = "transitionJob", summary = "Change a job's status in one atomic step")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TransitionRequest")))
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "one strong entity tag (\"3\"): apply only if the job is still at that version (412 otherwise); * or none: no condition")
    @Parameter(name = IdempotencyKeys.FIELD, in = ParameterIn.HEADER, description = "reused by every retry of one logical request; not blank",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = IdempotencyKeys.MAX_LENGTH, pattern = "\\S"))
    @Parameter(name = Lease.TOKEN_FIELD, in = ParameterIn.HEADER, description = "the run's lease token (from its RUNNING transition): required to complete or fail a RUNNING job",
            schema = @Schema(type = SchemaType.STRING, maxLength = Lease.MAX_TOKEN_LENGTH))
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Applied; ETag is the job's version. Or replayed for a known Idempotency-Key (header Idempotent-Replayed: true, nothing written): the job as the original request left it",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")),
                    headers = {@Header(name = "ETag", ref = "ETag"), @Header(name = JobResponses.REPLAYED, ref = "IdempotentReplayed")}),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "409", ref = "Conflict"),
            @APIResponse(responseCode = "412", ref = "PreconditionFailed"),
            @APIResponse(responseCode = "413", ref = "TooLarge"),
            @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response transition(@Parameter(description = JobIds.DESCRIPTION, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
                               byte[] bytes, @HeaderParam("Content-Type") String contentType,
                               @HeaderParam("If-Match") String ifMatch, @HeaderParam("Idempotency-Key") String key,
                               @HeaderParam("Lease-Token") String leaseToken) {
        UUID jobId = JobIds.parse(id);
        TransitionRequest request = TransitionBody.parse(bytes, contentType, ifMatch, key, leaseToken,
                leases.defaultSeconds(), security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName());
        TransitionOutcome outcome = store.transition(jobId, request);
        metrics.record(outcome);
        spans.record(jobId, request, outcome);
        return switch (outcome) {
            case TransitionOutcome.Applied done -> {
                applied.fire(new TransitionApplied(done.job(), done.from()));
                yield JobResponses.ok(done.job());
            }
            case TransitionOutcome.Replayed replayed -> JobResponses.replayed(JobResponses.ok(replayed.job()));
            case TransitionOutcome.Conflict conflict ->
                    JobResponses.conflict(conflict.current(), conflict.reason(), conflict.requested());
            case TransitionOutcome.PreconditionFailed failed -> Problem.preconditionFailed(failed.current()).toResponse();
            case TransitionOutcome.NotFound notFound -> Problem.notFound(id).toResponse();
            case TransitionOutcome.Invalid invalid -> Problem.badRequest(invalid.violations()).toResponse();
            case TransitionOutcome.LockTimedOut timedOut ->
                    Problem.unavailable(Problem.LOCK_WAIT, "Another change of this job holds it; retry.").toResponse();
        };
    }
}
