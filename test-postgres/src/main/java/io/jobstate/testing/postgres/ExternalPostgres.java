package io.jobstate.testing.postgres;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database someone else runs, named by {@code JOBSTATE_TEST_DB_URL} (a {@code jdbc:postgresql://}
 * URL) with {@code JOBSTATE_TEST_DB_USER} and {@code JOBSTATE_TEST_DB_PASSWORD}. Tests use that very
 * database: each test class gets a schema of its own in it, owned by a migration role of its own,
 * with a runtime role beside it (the user needs the CREATE privilege on the database and CREATEROLE),
 * all dropped when the class is done.
 */
record ExternalPostgres(String host, int port, String adminDatabase, String options, String user, String password)
        implements PostgresServer {

    static final String URL_ENV = "JOBSTATE_TEST_DB_URL";
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(\\?.*)?");

    /** The URL as given, options (sslmode, …) included. */
    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + options;
    }

    @Override
    public TestDatabase createDatabase(String prefix) {
        String schema = DatabaseNames.next(prefix);
        TestDatabase.Login migration = new TestDatabase.Login(schema + "_owner", DatabaseNames.secret());
        TestDatabase.Login runtime = new TestDatabase.Login(schema + "_app", DatabaseNames.secret());
        administer("CREATE ROLE " + migration.user() + " LOGIN PASSWORD '" + migration.password() + "'");
        administer("CREATE ROLE " + runtime.user() + " LOGIN PASSWORD '" + runtime.password() + "'");
        // the administrator creates the schema for its owner (and may drop it): it needs the role
        administer("GRANT " + migration.user() + " TO CURRENT_USER");
        administer("CREATE SCHEMA " + schema + " AUTHORIZATION " + migration.user());
        String separator = options.isEmpty() ? "?" : "&";
        return new TestDatabase(jdbcUrl(adminDatabase()) + separator + "currentSchema=" + schema, user(), password(), schema,
                migration, runtime);
    }

    @Override
    public void drop(TestDatabase database) {
        // bounded: a session left in a transaction on the schema must not hang the build
        administer("SET lock_timeout = '30s'; DROP SCHEMA IF EXISTS " + database.name() + " CASCADE");
        administer("DROP ROLE IF EXISTS " + database.migration().user());
        administer("DROP ROLE IF EXISTS " + database.runtime().user());
    }

    static ExternalPostgres fromEnvironment(String url) {
        Matcher matcher = URL.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(URL_ENV + " must look like jdbc:postgresql://host:port/database");
        }
        int port = matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2));
        String user = Objects.requireNonNullElse(System.getenv("JOBSTATE_TEST_DB_USER"), "postgres");
        String password = Objects.requireNonNullElse(System.getenv("JOBSTATE_TEST_DB_PASSWORD"), "");
        String options = Objects.requireNonNullElse(matcher.group(4), "");
        return new ExternalPostgres(matcher.group(1), port, matcher.group(3), options, user, password);
    }
}
