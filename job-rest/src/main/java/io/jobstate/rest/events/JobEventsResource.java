package io.jobstate.rest.events;

import io.jobstate.jobs.store.JobStore;
import io.jobstate.rest.jobs.JobIds;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One job's status-change events as a stream; ids are the feed's sequence numbers. Thread-safe (stateless). */
@Path("/jobs/{id}/events")
@ApplicationScoped
@RolesAllowed({Roles.VIEWER, Roles.COORDINATOR})
@SecurityRequirement(name = "jwt")
@Tag(name = "events")
public class JobEventsResource {

    @Inject
    JobStore store;

    @Inject
    EventStreams streams;

    @Operation(operationId = "streamJobEvents", summary = "One job's status-change events as Server-Sent Events, in version order (id = the feed's seq)")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "An endless stream: `id:` seq, `data:` the event as JSON; `:keep-alive` comments while quiet", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(ref = "EventStream"))),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "404", ref = "NotFound"),
            @APIResponse(responseCode = "410", ref = "Gone")})
    @Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER, description = "resume after this seq (sent by EventSource clients when they reconnect); wins over after",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Parameter(description = JobIds.DESCRIPTION, schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id, @Context SseEventSink sink, @Context Sse sse,
                       @HeaderParam("Last-Event-ID") String lastEventId,
                       @Parameter(description = "start after this seq when there is no Last-Event-ID (default 0: from the start)",
                               schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0")) @QueryParam("after") String after) {
        UUID jobId = JobIds.parse(id);
        long position = StreamPosition.of(lastEventId, after);
        if (store.find(jobId).isEmpty()) {
            throw new Problem.Raised(Problem.notFound(id));
        }
        streams.open(sink, sse, position, jobId);
    }
}
