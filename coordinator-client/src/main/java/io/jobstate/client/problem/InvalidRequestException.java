package io.jobstate.client.problem;

import java.util.List;

/** 400: the request is malformed or a field is invalid; never worth retrying unchanged. */
public final class InvalidRequestException extends JobstateException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    public InvalidRequestException(String detail, List<FieldError> errors) {
        super(400, "Bad Request", detail == null ? errors.toString() : detail + " " + errors);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** One invalid member of the request. */
    public record FieldError(String field, String message) {
    }
}
