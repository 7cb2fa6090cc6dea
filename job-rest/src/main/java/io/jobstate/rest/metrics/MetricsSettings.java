package io.jobstate.rest.metrics;

import io.jobstate.rest.support.StartupRefusal;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * With metrics authentication on ({@code jobstate.metrics.authentication=true}), its reader's
 * credentials must be given: without them Liberty would take the unresolved variables
 * ({@code ${jobstate.metrics.user}}) for the user name and password, which anyone can guess. The
 * application refuses to start then ({@link StartupRefusal}). Thread-safe (checked once).
 */
@ApplicationScoped
public class MetricsSettings {

    @Inject
    @ConfigProperty(name = "jobstate.metrics.authentication", defaultValue = "false")
    String authentication;

    /** Optional: MicroProfile Config reads an empty value as none. */
    @Inject
    @ConfigProperty(name = "jobstate.metrics.user")
    Optional<String> user;

    @Inject
    @ConfigProperty(name = "jobstate.metrics.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "jobstate.standalone", defaultValue = "false")
    boolean standalone;

    void checkAtStartup(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class)
                        Object started) {
        if (!"true".equals(authentication) && !"false".equals(authentication)) {
            throw StartupRefusal.refuse("JOBSTATE_METRICS_AUTHENTICATION must be true or false, not '" + authentication + "'",
                    standalone);
        }
        if ("true".equals(authentication) && (user.isEmpty() || password.isEmpty())) {
            throw StartupRefusal.refuse("with JOBSTATE_METRICS_AUTHENTICATION=true, set JOBSTATE_METRICS_USER and"
                    + " JOBSTATE_METRICS_PASSWORD (the one reader of /metrics)", standalone);
        }
    }
}
