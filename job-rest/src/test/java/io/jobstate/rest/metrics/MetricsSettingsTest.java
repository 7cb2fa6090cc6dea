package io.jobstate.rest.metrics;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsSettingsTest {

    @Test
    void openMetricsNeedNoCredentials() {
        assertThatCode(() -> settings("false", null, null).checkAtStartup(null)).doesNotThrowAnyException();
    }

    @Test
    void authenticatedMetricsNeedTheReadersCredentials() {
        assertThatCode(() -> settings("true", "prometheus", "secret").checkAtStartup(null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> settings("true", null, "secret").checkAtStartup(null))
                .hasMessageContaining("JOBSTATE_METRICS_USER");
        assertThatThrownBy(() -> settings("true", "prometheus", null).checkAtStartup(null))
                .hasMessageContaining("JOBSTATE_METRICS_PASSWORD");
    }

    @Test
    void aValueOtherThanTrueOrFalseIsRefused() {
        assertThatThrownBy(() -> settings("yes", "prometheus", "secret").checkAtStartup(null))
                .hasMessageContaining("must be true or false, not 'yes'");
    }

    private static MetricsSettings settings(String authentication, String user, String password) {
        MetricsSettings settings = new MetricsSettings();
        settings.authentication = authentication;
        settings.user = Optional.ofNullable(user);
        settings.password = Optional.ofNullable(password);
        settings.standalone = false;
        return settings;
    }
}
