package io.jobstate.rest.problem;

import jakarta.json.JsonException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A body that is not well-formed JSON: 400 (Liberty's default would be a 500). */
@Provider
public class JsonProblemMapper implements ExceptionMapper<JsonException> {

    @Override
    public Response toResponse(JsonException failure) {
        return Problem.of(Response.Status.BAD_REQUEST, "The body is not well-formed JSON.").toResponse();
    }
}
