package io.jobstate.client.problem;

/**
 * No answer: the connection was refused, reset or timed out, or the answer was cut off. The
 * request may or may not have been applied; a retry with the same Idempotency-Key finds out
 * safely.
 */
public final class UnreachableException extends TransientFailure {

    private static final long serialVersionUID = 1L;

    public UnreachableException(Throwable cause) {
        super(0, "Unreachable", String.valueOf(cause.getMessage()), cause, null);
    }
}
