package io.jobstate.it;

import io.jobstate.testing.postgres.PostgresExtension;
import io.jobstate.testing.postgres.PostgresServer;
import io.jobstate.testing.postgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Prepares the Liberty server of the integration tests before Arquillian starts it or deploys to
 * it: a real, throwaway database (one per test run) and the locking path the test class names
 * ({@link LockingPath}), both given to the server through config dropins — Liberty reads
 * {@code configDropins/overrides} at start and whenever it changes, and the application reads its
 * configuration when it is deployed, which Arquillian does per test class. Register it before
 * Arquillian's extension.
 */
public final class LibertyDatabase implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LibertyDatabase.class);

    /** How long the pessimistic path waits for a row lock in these tests. */
    static final String LOCK_WAIT = "PT0.3S";

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
        String locking = context.getRequiredTestClass().isAnnotationPresent(LockingPath.class)
                ? context.getRequiredTestClass().getAnnotation(LockingPath.class).value() : "cas";
        writeOverride("test-locking.xml", variable("jobstate.locking", locking) + variable("jobstate.lock-wait", LOCK_WAIT));
    }

    /** Tests may take the server's database as a parameter, to look at it or to hold its locks. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return database(context);
    }

    /** The database the server uses in this run. */
    private static TestDatabase database(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestDatabase.class, key -> {
            PostgresServer server = PostgresExtension.server(context);
            TestDatabase database = server.createDatabase("liberty");
            writeOverride("test-database.xml", variable("jobstate.db.url", database.jdbcUrl())
                    + variable("jobstate.db.user", database.user())
                    + variable("jobstate.db.password", database.password()));
            return database;
        }, TestDatabase.class);
    }

    private static String variable(String name, String value) {
        return "  <variable name=\"" + name + "\" value=\"" + value.replace("&", "&amp;").replace("\"", "&quot;") + "\"/>\n";
    }

    private static void writeOverride(String file, String variables) {
        Path overrides = Path.of(System.getProperty("jobstate.it.wlp"), "usr", "servers",
                System.getProperty("jobstate.it.server"), "configDropins", "overrides");
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<server>\n" + variables + "</server>\n";
        try {
            Files.createDirectories(overrides);
            Files.writeString(overrides.resolve(file), xml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
