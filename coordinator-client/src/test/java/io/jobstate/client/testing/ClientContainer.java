package io.jobstate.client.testing;

import io.jobstate.client.api.JobstateApi;
import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.client.coordinator.internal.Attempts;
import io.jobstate.client.coordinator.internal.GuardedCalls;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.inject.ConfigExtension;
import io.smallrye.faulttolerance.FaultToleranceExtension;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.microprofile.client.RestClientExtension;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * The client as an application runs it, for tests: Weld SE with SmallRye Fault Tolerance,
 * SmallRye Config and the RESTEasy MicroProfile REST Client, configured like a deployment
 * (MicroProfile Config, including Fault Tolerance's per-method keys, see {@link #RETRIES} and
 * {@link #ATTEMPTS}). One
 * container per thread's context class loader at a time (MicroProfile Config is registered per
 * class loader). Closing it stops CDI and releases the configuration.
 */
public final class ClientContainer implements AutoCloseable {

    /** Fault Tolerance's per-method key prefix of the retried call, e.g. {@code RETRIES + "Retry/maxRetries"}. */
    public static final String RETRIES = GuardedCalls.class.getName() + "/call/";
    /** Fault Tolerance's per-method key prefix of one attempt, e.g. {@code ATTEMPTS + "Timeout/value"}. */
    public static final String ATTEMPTS = Attempts.class.getName() + "/attempt/";

    private final Config config;
    private final WeldContainer weld;

    private ClientContainer(Map<String, String> properties) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        config = new SmallRyeConfigBuilder().addDefaultSources().addDiscoveredConverters()
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        resolver.registerConfig(config, Thread.currentThread().getContextClassLoader());
        try {
            weld = new Weld("jobstate-client-" + UUID.randomUUID()).disableDiscovery()
                    .addExtension(new FaultToleranceExtension())
                    .addExtension(new RestClientExtension())
                    .addExtension(new ConfigExtension())
                    .addBeanClasses(JobCoordinator.class, GuardedCalls.class, Attempts.class, JobstateApi.class)
                    .initialize();
        } catch (RuntimeException e) {
            resolver.releaseConfig(config);
            throw e;
        }
    }

    /** Starts a client configured by {@code properties} (at least {@code jobstate/mp-rest/url}). */
    public static ClientContainer start(Map<String, String> properties) {
        return new ClientContainer(properties);
    }

    public JobCoordinator coordinator() {
        return weld.select(JobCoordinator.class).get();
    }

    /** The bare REST client: single attempts, no retries. */
    public JobstateApi api() {
        return weld.select(JobstateApi.class, RestClient.LITERAL).get();
    }

    @Override
    public void close() {
        try {
            weld.shutdown();
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }
}
