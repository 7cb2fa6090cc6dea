package io.jobstate.testing.postgres;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one PostgreSQL server per test run (a {@link ThrowawayPostgres}, or the server
 * named by {@code JOBSTATE_TEST_DB_URL}), and a fresh {@link TestDatabase} per test class, injected
 * as a parameter of constructors, lifecycle methods or tests, and dropped after the class. The
 * throwaway cluster is stopped and deleted when the run ends. {@link PostgresServer} can be injected too.
 */
public final class PostgresExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PostgresServer server = server(context);
        if (parameter.getParameter().getType() == PostgresServer.class) {
            return server;
        }
        Class<?> testClass = context.getRequiredTestClass();
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(testClass,
                key -> new ClassDatabase(server, server.createDatabase(testClass.getSimpleName())),
                ClassDatabase.class).database();
    }

    /** Dropped by JUnit when the test class is done. */
    private record ClassDatabase(PostgresServer server, TestDatabase database) implements AutoCloseable {
        @Override
        public void close() {
            server.drop(database);
        }
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** The server of this test run (started on first use, stopped when the run ends). */
    public static PostgresServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(ServerResource.class, key -> new ServerResource(), ServerResource.class)
                .server();
    }

    /** Closed by JUnit when the whole run ends. */
    private static final class ServerResource implements AutoCloseable {
        private final PostgresServer server;

        ServerResource() {
            String url = System.getenv(ExternalPostgres.URL_ENV);
            this.server = url == null || url.isBlank()
                    ? ThrowawayPostgres.start(PostgresSettings.forTests())
                    : ExternalPostgres.fromEnvironment(url);
        }

        PostgresServer server() {
            return server;
        }

        @Override
        public void close() {
            if (server instanceof ThrowawayPostgres cluster) {
                cluster.close();
            }
        }
    }
}
