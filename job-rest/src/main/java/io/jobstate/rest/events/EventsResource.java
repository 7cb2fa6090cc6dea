package io.jobstate.rest.events;

import io.jobstate.jobs.Violation;
import io.jobstate.jobs.events.EventLog;
import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.events.EventRead;
import io.jobstate.rest.problem.Problem;
import io.jobstate.rest.security.Roles;
import io.jobstate.rest.support.WholeNumber;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

/** The feed of all jobs' status-change events, as pages and as a stream. Thread-safe (stateless). */
@Path("/events")
@ApplicationScoped
@RolesAllowed({Roles.VIEWER, Roles.COORDINATOR})
@SecurityRequirement(name = "jwt")
@Tag(name = "events")
public class EventsResource {

    @Inject
    EventLog log;

    @Inject
    EventStreams streams;

    @Operation(operationId = "getEvents", summary = "Committed status-change events after a sequence number, in commit order without gaps")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Events after `after`; resume with `after=lastSeq`", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EventPage"))),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "410", ref = "Gone")})
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response feed(
            @Parameter(description = "sequence number of the last event seen (0: from the start)",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0", defaultValue = "0")) @QueryParam("after") String after,
            @Parameter(description = "at most this many events", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1",
                    maximum = "" + EventQuery.MAX_LIMIT, defaultValue = "" + EventQuery.DEFAULT_LIMIT)) @QueryParam("limit") String limit) {
        List<Violation> violations = new ArrayList<>();
        EventQuery query = EventQuery.after(WholeNumber.parse("after", after, 0, Long.MAX_VALUE, 0, violations))
                .withLimit((int) WholeNumber.parse("limit", limit, 1, EventQuery.MAX_LIMIT, EventQuery.DEFAULT_LIMIT, violations));
        violations.addAll(query.violations());
        if (!violations.isEmpty()) {
            return Problem.badRequest(violations).toResponse();
        }
        return switch (log.read(query)) {
            case EventRead.Page page -> Response.ok(EventJson.of(page).toString().getBytes(StandardCharsets.UTF_8),
                    MediaType.APPLICATION_JSON_TYPE).build();
            case EventRead.Gone gone -> EventProblems.gone(gone).toResponse();
        };
    }

    @Operation(operationId = "streamEvents", summary = "Every job's status-change events as Server-Sent Events (id = seq), from Last-Event-ID or ?after=")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "An endless stream: `id:` seq, `data:` the event as JSON; `:keep-alive` comments while quiet", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(ref = "EventStream"))),
            @APIResponse(responseCode = "400", ref = "BadRequest"),
            @APIResponse(responseCode = "410", ref = "Gone")})
    @Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER, description = "resume after this seq (sent by EventSource clients when they reconnect); wins over after",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context SseEventSink sink, @Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId,
                       @Parameter(description = "start after this seq when there is no Last-Event-ID (default 0: from the start)",
                               schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0")) @QueryParam("after") String after) {
        streams.open(sink, sse, StreamPosition.of(lastEventId, after), null);
    }
}
