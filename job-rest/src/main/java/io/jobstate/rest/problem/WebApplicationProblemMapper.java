package io.jobstate.rest.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** JAX-RS's own errors (unknown path 404, 405, 406, 415 …) as problems with the same status. */
@Provider
public class WebApplicationProblemMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException failure) {
        Response original = failure.getResponse();
        int status = original.getStatus();
        Problem problem = status == Response.Status.BAD_REQUEST.getStatusCode()
                ? Problem.badRequest("request", "is not well-formed")
                : Problem.of(status, null);
        // keep what the framework said about the resource, such as Allow on a 405
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> problem.header(name, value));
            }
        });
        return problem.toResponse();
    }
}
