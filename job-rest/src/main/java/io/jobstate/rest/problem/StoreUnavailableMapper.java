package io.jobstate.rest.problem;

import io.jobstate.jobs.store.StoreUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Logger;

/** The database is unreachable or the job kept changing: 503 with Retry-After. */
@Provider
public class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {

    private static final Logger LOG = Logger.getLogger(StoreUnavailableMapper.class.getName());

    @Override
    public Response toResponse(StoreUnavailableException failure) {
        LOG.warning(() -> "store unavailable: " + failure.getMessage());
        return Problem.unavailable("DATABASE", "The job store is unavailable; retry later.").toResponse();
    }
}
