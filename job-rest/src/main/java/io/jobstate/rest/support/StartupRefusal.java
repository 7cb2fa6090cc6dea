package io.jobstate.rest.support;

import java.util.logging.Logger;

/**
 * How the application refuses a configuration it must not run with: a clear log line and a failure
 * that stops the application from starting. In the deployable package ({@code jobstate.standalone}),
 * whose server exists for this application only, the server stops too, with exit status
 * {@value #EXIT_STATUS}, rather than running on without the service. Thread-safe (stateless).
 */
public final class StartupRefusal {

    /** sysexits' EX_CONFIG. */
    public static final int EXIT_STATUS = 78;
    private static final Logger LOG = Logger.getLogger(StartupRefusal.class.getName());

    private StartupRefusal() {
    }

    /** Logs {@code reason}, stops the server when {@code standalone}, and returns the failure to throw. */
    public static IllegalStateException refuse(String reason, boolean standalone) {
        LOG.severe(() -> "jobstate refuses to start: " + reason);
        if (standalone) {
            // from a thread of its own: the exit runs the server's shutdown, which waits for this start-up
            Thread.ofPlatform().name("jobstate-refusal").start(() -> Runtime.getRuntime().exit(EXIT_STATUS));
        }
        return new IllegalStateException("jobstate refuses to start: " + reason);
    }
}
