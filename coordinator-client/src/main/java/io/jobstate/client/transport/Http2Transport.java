package io.jobstate.client.transport;

import io.jobstate.client.api.JobstateApi;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

/**
 * Puts the jobstate client on HTTP/2 when the application sets {@code jobstate.client.http2=true}
 * (docs/client.md, "Connections"): a MicroProfile REST Client listener (registered through
 * {@code META-INF/services}) that, for {@link JobstateApi} only, registers {@link JdkHttpEngine}
 * with the builder. That works on RESTEasy's MicroProfile REST Client, which uses a registered
 * engine; on a runtime whose engine API the application cannot see (Open Liberty keeps RESTEasy's
 * packages internal) the client stays on the runtime's transport and a warning says so. Other REST
 * clients of the application are left alone. Stateless; thread-safe.
 */
public final class Http2Transport implements RestClientListener {

    /** The switch; false (the runtime's own transport) unless the application sets it. */
    public static final String ENABLED = "jobstate.client.http2";

    private static final Logger LOG = Logger.getLogger(Http2Transport.class.getName());
    private static final String ENGINE_API = "org.jboss.resteasy.client.jaxrs.ClientHttpEngine";
    private static final String CONFIG_PREFIX = "jobstate/mp-rest/";
    // defaults as in the library's microprofile-config.properties, should an application remove them
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(2_000);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(8_000);
    // what the JDK's client cannot take over from the REST client's configuration
    private static final List<String> IGNORED_KEYS = List.of("trustStore", "keyStore", "hostnameVerifier", "proxyAddress");

    @Override
    public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
        if (serviceInterface != JobstateApi.class) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        if (!config.getOptionalValue(ENABLED, Boolean.class).orElse(false)) {
            return;
        }
        if (!engineApiVisible(serviceInterface.getClassLoader())) {
            LOG.warning(() -> ENABLED + " is set, but this MicroProfile REST Client implementation takes no RESTEasy "
                    + "engine from the application: the jobstate client stays on the runtime's HTTP transport");
            return;
        }
        IGNORED_KEYS.stream().filter(key -> config.getOptionalValue(CONFIG_PREFIX + key, String.class).isPresent())
                .forEach(key -> LOG.warning(() -> CONFIG_PREFIX + key + " does not apply with " + ENABLED
                        + ": the JDK's HTTP client uses the JVM's defaults (javax.net.ssl.*, the default proxy selector)"));
        builder.register(JdkHttpEngine.http2(millis(config, "connectTimeout", CONNECT_TIMEOUT),
                millis(config, "readTimeout", READ_TIMEOUT)));
    }

    private static boolean engineApiVisible(ClassLoader loader) {
        try {
            Class.forName(ENGINE_API, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Duration millis(Config config, String key, Duration fallback) {
        return config.getOptionalValue(CONFIG_PREFIX + key, Long.class).map(Duration::ofMillis).orElse(fallback);
    }
}
