package io.jobstate.rest.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Anything no other mapper claims is a bug: logged with its stack trace and a correlation id, and
 * answered with a generic 500 that leaks nothing but that id.
 */
@Provider
public class ServerErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ServerErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        String correlation = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected failure, correlation id " + correlation, failure);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "An unexpected error occurred.")
                .with("correlationId", correlation).toResponse();
    }
}
