package io.jobstate.rest.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Problems raised where no response could be returned. */
@Provider
public class RaisedProblemMapper implements ExceptionMapper<Problem.Raised> {

    @Override
    public Response toResponse(Problem.Raised raised) {
        return raised.problem().toResponse();
    }
}
