package io.jobstate.testing.postgres;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server someone else runs, named by {@code JOBSTATE_TEST_DB_URL} (a {@code jdbc:postgresql://}
 * URL) with {@code JOBSTATE_TEST_DB_USER} and {@code JOBSTATE_TEST_DB_PASSWORD}. The user needs the
 * CREATEDB privilege: every test class gets a database of its own.
 */
record ExternalPostgres(String host, int port, String adminDatabase, String user, String password)
        implements PostgresServer {

    static final String URL_ENV = "JOBSTATE_TEST_DB_URL";
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+).*");

    static ExternalPostgres fromEnvironment(String url) {
        Matcher matcher = URL.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(URL_ENV + " must look like jdbc:postgresql://host:port/database");
        }
        int port = matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2));
        String user = Objects.requireNonNullElse(System.getenv("JOBSTATE_TEST_DB_USER"), "postgres");
        String password = Objects.requireNonNullElse(System.getenv("JOBSTATE_TEST_DB_PASSWORD"), "");
        return new ExternalPostgres(matcher.group(1), port, matcher.group(3), user, password);
    }
}
