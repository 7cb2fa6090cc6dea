package io.jobstate.rest.claims;

/** The bounds of a claim that the contract states (docs/api.md); the line's length is a setting ({@link ClaimSettings}). */
public final class ClaimBounds {

    /** The longest a claim may wait for a job: longer would outlast common proxies' idle timeouts. */
    public static final int MAX_WAIT_SECONDS = 30;
    /** The 503 reason of a waiting claim that finds the line of waiters full. */
    public static final String LINE_FULL = "CLAIM_WAITERS";

    private ClaimBounds() {
    }
}
