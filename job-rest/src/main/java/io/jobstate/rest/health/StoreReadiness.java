package io.jobstate.rest.health;

import io.jobstate.rest.store.SchemaMigration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the schema is migrated (retried here until it is) and the database answers. */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    @Inject
    SchemaMigration schema;

    @Override
    public HealthCheckResponse call() {
        boolean answers = schema.databaseAnswers();
        boolean migrated = answers && schema.ensureMigrated();
        return HealthCheckResponse.named("job-store")
                .status(answers && migrated)
                .withData("database", answers ? "answering" : "unreachable")
                .withData("schema", migrated ? "current" : "not migrated")
                .build();
    }
}
