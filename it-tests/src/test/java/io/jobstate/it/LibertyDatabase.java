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

/**
 * Gives the Liberty server of the integration tests a real, throwaway database before Arquillian
 * starts it: one database per test run, named to the server through a config dropin (Liberty reads
 * {@code configDropins/overrides} at start and whenever it changes). Register it before
 * Arquillian's extension.
 */
public final class LibertyDatabase implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LibertyDatabase.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestDatabase.class, key -> {
            PostgresServer server = PostgresExtension.server(context);
            TestDatabase database = server.createDatabase("liberty");
            writeOverride(database);
            return database;
        }, TestDatabase.class);
    }

    private static void writeOverride(TestDatabase database) {
        Path overrides = Path.of(System.getProperty("jobstate.it.wlp"), "usr", "servers",
                System.getProperty("jobstate.it.server"), "configDropins", "overrides");
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <server>
                  <variable name="jobstate.db.url" value="%s"/>
                  <variable name="jobstate.db.user" value="%s"/>
                  <variable name="jobstate.db.password" value="%s"/>
                </server>
                """.formatted(database.jdbcUrl(), database.user(), database.password());
        try {
            Files.createDirectories(overrides);
            Files.writeString(overrides.resolve("test-database.xml"), xml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
