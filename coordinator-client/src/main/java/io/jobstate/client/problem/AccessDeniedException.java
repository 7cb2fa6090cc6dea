package io.jobstate.client.problem;

/** 401 (no or refused token) or 403 (the token's roles do not allow the call). */
public final class AccessDeniedException extends JobstateException {

    private static final long serialVersionUID = 1L;

    public AccessDeniedException(int status, String title, String detail) {
        super(status, title, detail);
    }
}
