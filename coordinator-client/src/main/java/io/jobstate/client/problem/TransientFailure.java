package io.jobstate.client.problem;

/**
 * A failure that says nothing about the request itself: the service or the way to it was
 * unavailable. Repeating the same request (with the same Idempotency-Key) is safe and may succeed.
 */
public abstract class TransientFailure extends JobstateException {

    private static final long serialVersionUID = 1L;

    protected TransientFailure(int status, String title, String detail, Throwable cause) {
        super(status, title, detail, cause);
    }
}
