package io.jobstate.rest.support;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logging for a background loop that retries: the first failure of an outage is a warning, repeats
 * are fine-grained, and the recovery is announced. Not thread-safe: one loop owns it.
 */
public final class FailureLog {

    private final Logger log;
    private final String what;
    private boolean failing;

    public FailureLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    public void failed(RuntimeException failure) {
        if (!failing) {
            failing = true;
            log.log(Level.WARNING, what + " failed; retrying: " + failure.getMessage(), failure);
        } else {
            log.log(Level.FINE, what + " failed again", failure);
        }
    }

    public void succeeded() {
        if (failing) {
            failing = false;
            log.info(() -> what + " works again");
        }
    }
}
