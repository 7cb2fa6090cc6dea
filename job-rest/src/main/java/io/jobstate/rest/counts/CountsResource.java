package io.jobstate.rest.counts;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.counts.StatusCounts;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.rest.security.Roles;
import io.jobstate.rest.support.Jsonp;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The number of jobs in each status and the feed position they reflect. Its literal path wins over
 * {@code /jobs/{id}} (JAX-RS prefers more literal characters); {@code counts} is no UUID, so no job
 * loses its URL. Thin: one store call. Thread-safe (stateless).
 */
@Path("/jobs/counts")
@ApplicationScoped
@RolesAllowed({Roles.VIEWER, Roles.COORDINATOR})
@SecurityRequirement(name = "jwt")
@Tag(name = "jobs")
public class CountsResource {

    @Inject
    JobStore store;

    @Operation(operationId = "countJobs", summary = "How many jobs are in each status, and the newest event those numbers reflect")
    @APIResponses(@APIResponse(responseCode = "200",
            description = "Every status with its count, read in one snapshot with lastSeq: follow the feed after lastSeq to keep them current",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "JobCounts"))))
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response counts() {
        return Response.ok(json(store.counts()), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** {@code {"counts": {"PENDING": n, …every status}, "total": n, "lastSeq": n}}. */
    static byte[] json(StatusCounts counts) {
        JsonObjectBuilder byStatus = Jsonp.object();
        for (JobStatus status : JobStatus.values()) {
            byStatus.add(status.name(), counts.of(status));
        }
        return Jsonp.object().add("counts", byStatus).add("total", counts.total()).add("lastSeq", counts.lastSeq())
                .build().toString().getBytes(StandardCharsets.UTF_8);
    }
}
