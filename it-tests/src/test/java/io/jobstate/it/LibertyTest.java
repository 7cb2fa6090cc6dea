package io.jobstate.it;

import io.jobstate.it.openapi.ExchangeTally;
import java.net.URL;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the end-to-end tests: the server's database is prepared before Arquillian starts Liberty,
 * and tests run as HTTP clients of the deployed application at {@link #base}. Each test class
 * declares its own {@code @Deployment} (Arquillian allows one per class hierarchy). After each
 * class, the tally of exchanges checked against the served OpenAPI document is reported.
 */
@ExtendWith({LibertyDatabase.class, ArquillianExtension.class})
@RunAsClient
public abstract class LibertyTest {

    @ArquillianResource
    protected URL base;

    @AfterAll
    static void reportExchangesCheckedAgainstTheDocument() {
        ExchangeTally.report();
    }
}
