package io.jobstate.client.api;

import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.problem.ProblemResponses;
import io.jobstate.client.tracing.TraceContextFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The jobstate API (API.md) as a MicroProfile REST Client. Configure it under the key
 * {@code jobstate}: {@code jobstate/mp-rest/url} is the server's root (without {@code /api}).
 * Every error answer arrives as a typed {@link io.jobstate.client.problem.JobstateException};
 * the bearer token comes from {@code jobstate.client.token} or {@code jobstate.client.token-file}.
 *
 * <p>Calls here are single attempts. {@link io.jobstate.client.coordinator.JobCoordinator} adds
 * the retries and conflict handling a coordinator needs.
 */
@RegisterRestClient(configKey = "jobstate")
@RegisterProvider(ProblemResponses.class)
@RegisterProvider(BearerToken.class)
@RegisterProvider(TraceContextFilter.class)
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface JobstateApi {

    /** Creates a job; a repeat with the same {@code idempotencyKey} returns the job created first. */
    @POST
    Job create(@HeaderParam("Idempotency-Key") String idempotencyKey, NewJob job);

    @GET
    @Path("{id}")
    Job get(@PathParam("id") UUID id);

    /** Newest first; every parameter is optional ({@code limit} 1..500). */
    @GET
    JobPage list(@QueryParam("status") JobStatus status, @QueryParam("type") String type,
                 @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor);

    /**
     * One atomic status change. {@code leaseToken} (or null) is the run's lease token, needed to
     * complete or fail a RUNNING job. {@code ifMatch} (an entity tag such as {@code "3"}, or null) and the
     * request's expectations are checked at the instant of the write; a repeat with the same
     * {@code idempotencyKey} and body is replayed, never applied twice.
     */
    @POST
    @Path("{id}/transitions")
    Job transition(@PathParam("id") UUID id, @HeaderParam("Idempotency-Key") String idempotencyKey,
                   @HeaderParam("If-Match") String ifMatch, @HeaderParam("Lease-Token") String leaseToken,
                   TransitionRequest request);

    /**
     * Claims the job QUEUED longest among the request's types: 200 with the job, RUNNING under a new
     * lease, or 204 when none could be claimed within the request's wait. A repeat with the same
     * {@code idempotencyKey} and body gets the same job and lease. The caller closes the response.
     */
    @POST
    @Path("claims")
    Response claim(@HeaderParam("Idempotency-Key") String idempotencyKey, ClaimRequest request);

    /** Progress of a RUNNING job, with its run's lease token; also renews the lease. */
    @PUT
    @Path("{id}/progress")
    Job reportProgress(@PathParam("id") UUID id, @HeaderParam("Lease-Token") String leaseToken, ProgressReport report);

    /** Renews the lease of a RUNNING job by its length, from now. */
    @POST
    @Path("{id}/heartbeat")
    Job heartbeat(@PathParam("id") UUID id, @HeaderParam("Lease-Token") String leaseToken);

    /**
     * One page of the job's history, oldest first: the entries after version {@code after} (null: from
     * the first), at most {@code limit} (1..1000; null: 100). A page shorter than its limit is the last.
     */
    @GET
    @Path("{id}/history")
    List<HistoryEntry> history(@PathParam("id") UUID id, @QueryParam("after") Long after, @QueryParam("limit") Integer limit);
}
