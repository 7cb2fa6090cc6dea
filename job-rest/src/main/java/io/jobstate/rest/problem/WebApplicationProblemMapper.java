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
        int status = failure.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        return Problem.of(status, known == null ? "Error" : known.getReasonPhrase(), null).toResponse();
    }
}
