package io.jobstate.it;

import io.jobstate.testing.postgres.PostgresExtension;
import io.jobstate.testing.postgres.PostgresServer;
import io.jobstate.testing.postgres.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives the Liberty server of the integration tests a real, throwaway database before Arquillian
 * starts it: one database per test run, named to the server in a config dropin that Liberty reads
 * at start. The same dropin turns off Liberty's watching of its configuration, so that no later
 * file change restarts the application under a running test. Register it before Arquillian's
 * extension.
 */
public final class LibertyDatabase implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LibertyDatabase.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    /**
     * Tests may take the server's database as a parameter, to look at it or to hold its locks, and
     * the PostgreSQL server itself, to inject faults.
     */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase database = database(context);
        return parameter.getParameter().getType() == PostgresServer.class ? PostgresExtension.server(context) : database;
    }

    /** The database the server uses in this run. */
    private static TestDatabase database(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestDatabase.class, key -> {
            PostgresServer server = PostgresExtension.server(context);
            TestDatabase database = server.createDatabase("liberty");
            writeOverride("test-database.xml", variablesXml(database)
                    // quiet streams show their keep-alive within a test's patience
                    + variable("jobstate.events.keep-alive", "PT1S")
                    // expired leases are reaped within a quarter second
                    + variable("jobstate.lease.reaper-interval", "PT0.25S")
                    + "  <config updateTrigger=\"disabled\"/>\n");
            return database;
        }, TestDatabase.class);
    }

    /**
     * The database as the server sees it: the runtime role for the service, the migration role for
     * the migrations, as an operator configures them. Every test of the suite thus runs on the
     * runtime role's privileges.
     */
    public static Map<String, String> variables(TestDatabase database) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("jobstate.db.url", database.jdbcUrl());
        variables.put("jobstate.db.user", database.runtime().user());
        variables.put("jobstate.db.password", database.runtime().password());
        variables.put("jobstate.db.migration-user", database.migration().user());
        variables.put("jobstate.db.migration-password", database.migration().password());
        return variables;
    }

    private static String variablesXml(TestDatabase database) {
        StringBuilder xml = new StringBuilder();
        variables(database).forEach((name, value) -> xml.append(variable(name, value)));
        return xml.toString();
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
