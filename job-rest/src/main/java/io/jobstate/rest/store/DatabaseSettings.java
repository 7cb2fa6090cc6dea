package io.jobstate.rest.store;

import io.jobstate.persistence.DatabaseBounds;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The database settings the application checks before anything touches the database: the bounds on
 * every wait (server.xml's {@code jobstate.db.*-timeout} variables, which also configure both data
 * sources' connections), and the roles' passwords, of which an empty one is refused unless
 * {@code jobstate.db.development} says the database is a development one. A refusal stops the
 * application from starting; in the deployable package ({@code jobstate.standalone}), whose server
 * exists for this application only, it also stops the server with exit status {@value #REFUSED}.
 * Thread-safe (immutable once checked).
 */
@ApplicationScoped
public class DatabaseSettings {

    /** Exit status of the deployable package when it refuses its configuration (sysexits' EX_CONFIG). */
    static final int REFUSED = 78;
    private static final Logger LOG = Logger.getLogger(DatabaseSettings.class.getName());

    @Inject
    @ConfigProperty(name = "jobstate.db.lock-timeout", defaultValue = "2s")
    String lockTimeout;

    @Inject
    @ConfigProperty(name = "jobstate.db.statement-timeout", defaultValue = "5s")
    String statementTimeout;

    @Inject
    @ConfigProperty(name = "jobstate.db.connect-timeout", defaultValue = "2s")
    String connectTimeout;

    @Inject
    @ConfigProperty(name = "jobstate.db.login-timeout", defaultValue = "5s")
    String loginTimeout;

    @Inject
    @ConfigProperty(name = "jobstate.db.network-timeout", defaultValue = "10s")
    String networkTimeout;

    /** Optional: MicroProfile Config reads an empty value (server.xml's default) as none. */
    @Inject
    @ConfigProperty(name = "jobstate.db.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "jobstate.db.migration-password")
    Optional<String> migrationPassword;

    @Inject
    @ConfigProperty(name = "jobstate.db.development", defaultValue = "false")
    boolean development;

    @Inject
    @ConfigProperty(name = "jobstate.standalone", defaultValue = "false")
    boolean standalone;

    private volatile DatabaseBounds bounds;

    /** Runs before the migrations (which observe the same event at the default priority). */
    void checkAtStartup(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class)
                        Object started) {
        try {
            bounds();
            refuseEmptyPasswords();
        } catch (IllegalArgumentException | IllegalStateException refused) {
            LOG.severe(() -> "jobstate refuses to start: " + refused.getMessage());
            if (standalone) {
                // from a thread of its own: the exit runs the server's shutdown, which waits for this start-up
                Thread.ofPlatform().name("jobstate-refusal").start(() -> Runtime.getRuntime().exit(REFUSED));
            }
            throw refused;
        }
    }

    /** The bounds the data sources' connections carry. */
    public DatabaseBounds bounds() {
        if (bounds == null) {
            try {
                bounds = new DatabaseBounds(DatabaseBounds.parse(lockTimeout), DatabaseBounds.parse(statementTimeout),
                        DatabaseBounds.parse(connectTimeout), DatabaseBounds.parse(loginTimeout),
                        DatabaseBounds.parse(networkTimeout));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the database bounds (JOBSTATE_DB_*_TIMEOUT) are not usable: " + e.getMessage(), e);
            }
        }
        return bounds;
    }

    private void refuseEmptyPasswords() {
        if (development) {
            return;
        }
        if (password.filter(value -> !value.isEmpty()).isEmpty() || migrationPassword.filter(value -> !value.isEmpty()).isEmpty()) {
            throw new IllegalStateException("JOBSTATE_DB_PASSWORD and JOBSTATE_DB_MIGRATION_PASSWORD must not be empty"
                    + " (the runtime and the migration role's passwords); set JOBSTATE_DB_DEVELOPMENT=true only for a"
                    + " development database that needs none");
        }
    }
}
