package io.jobstate.persistence;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings a database to the current schema with Flyway; safe to run from several instances at once. */
public final class Migrations {

    private Migrations() {
    }

    /** Applies pending migrations and returns how many ran. */
    public static int migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // an empty location would "succeed" with no schema at all: make that loud
                .failOnMissingLocations(true)
                // no callbacks; without this Flyway looks for db/callback and, in Liberty, logs an error
                .callbackLocations(new String[0])
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
