package io.jobstate.rest.problem;

import io.jobstate.jobs.store.JobContendedException;
import io.jobstate.jobs.store.StoreUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Logger;

/** The database is unreachable (503 DATABASE) or the job kept changing (503 LOCK_WAIT: one busy job), with Retry-After. */
@Provider
public class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {

    private static final Logger LOG = Logger.getLogger(StoreUnavailableMapper.class.getName());

    @Override
    public Response toResponse(StoreUnavailableException failure) {
        if (failure instanceof JobContendedException) {
            LOG.fine(() -> "contention: " + failure.getMessage());
            return Problem.unavailable(Problem.LOCK_WAIT, "The job kept changing under this request; retry.").toResponse();
        }
        LOG.warning(() -> "store unavailable: " + failure.getMessage());
        return Problem.unavailable("DATABASE", "The job store is unavailable; retry later.").toResponse();
    }
}
