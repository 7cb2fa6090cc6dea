package io.jobstate.client.problem;

/**
 * An error answer from jobstate (or no answer at all, status 0). Subtypes carry the members the
 * contract gives each status.
 */
public class JobstateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final String detail;

    public JobstateException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    protected JobstateException(int status, String title, String detail, Throwable cause) {
        super(status + " " + title + (detail == null ? "" : ": " + detail), cause);
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem's {@code detail}, or null. */
    public String detail() {
        return detail;
    }
}
