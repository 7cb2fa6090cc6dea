package io.jobstate.rest.store;

import io.jobstate.persistence.DatabaseBounds;
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
 * The database settings the application checks before anything touches the database: the bounds on
 * every wait (server.xml's {@code jobstate.db.*-timeout} variables, which also configure both data
 * sources' connections), and the roles' passwords, of which an empty one is refused unless
 * {@code jobstate.db.development} says the database is a development one ({@link StartupRefusal}).
 * Thread-safe (immutable once checked).
 */
@ApplicationScoped
public class DatabaseSettings {

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
        } catch (IllegalArgumentException e) {
            throw StartupRefusal.refuse(e.getMessage(), standalone);
        }
        if (!development && (isEmpty(password) || isEmpty(migrationPassword))) {
            throw StartupRefusal.refuse("JOBSTATE_DB_PASSWORD and JOBSTATE_DB_MIGRATION_PASSWORD must not be empty"
                    + " (the runtime and the migration role's passwords); set JOBSTATE_DB_DEVELOPMENT=true only for a"
                    + " development database that needs none", standalone);
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

    private static boolean isEmpty(Optional<String> value) {
        return value.filter(text -> !text.isEmpty()).isEmpty();
    }
}
