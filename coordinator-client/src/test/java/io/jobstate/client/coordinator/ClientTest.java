package io.jobstate.client.coordinator;

import io.jobstate.client.fake.FakeJobstate;
import io.jobstate.client.fake.FakeServer;
import io.jobstate.client.testing.ClientContainer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the client's tests: a fresh fake service and a fresh client (CDI container, Fault
 * Tolerance state, configuration) per test, both stopped afterwards also when the test fails.
 */
abstract class ClientTest {

    FakeServer server;
    ClientContainer client;

    @BeforeEach
    void startFakeAndClient() {
        server = FakeServer.start();
        Map<String, String> properties = new HashMap<>();
        properties.put("jobstate/mp-rest/url", server.baseUrl());
        // tests need not wait out production backoff and timeouts; the read still outlasts a first request
        // on a loaded machine (at 1.5 s, ConflictsTest saw its first attempt timed out and re-sent), and
        // stays below the slow answers the retry tests inject (4 s)
        properties.put("jobstate.client.retry.delay", "PT0.01S");
        properties.put(ClientContainer.ATTEMPTS + "Timeout/value", "3500");
        properties.put("jobstate/mp-rest/readTimeout", "3000");
        properties.putAll(configuration());
        client = ClientContainer.start(properties);
    }

    @AfterEach
    void stopBoth() {
        try (FakeServer s = server) {
            if (client != null) {
                client.close();
            }
        }
    }

    /** Extra or replaced configuration for this test class. */
    Map<String, String> configuration() {
        return Map.of();
    }

    FakeJobstate fake() {
        return server.fake();
    }

    JobCoordinator coordinator() {
        return client.coordinator();
    }
}
