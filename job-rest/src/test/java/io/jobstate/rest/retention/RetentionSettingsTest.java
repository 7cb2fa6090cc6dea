package io.jobstate.rest.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.JobPruner;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionSettingsTest {

    @Test
    void aRetentionIsAnIsoDurationOrForever() {
        assertThat(RetentionSettings.period("k", "P7D")).contains(Duration.ofDays(7));
        assertThat(RetentionSettings.period("k", " PT90S ")).contains(Duration.ofSeconds(90));
        assertThat(RetentionSettings.period("k", "PT0S")).contains(Duration.ZERO);
        assertThat(RetentionSettings.period("k", "forever")).isEmpty();
        assertThat(RetentionSettings.period("k", "Forever")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"7 days", "P1W", "", "-P1D", "never"})
    void anythingElseFailsTheStartNamingTheSetting(String value) {
        assertThatThrownBy(() -> RetentionSettings.period("jobstate.retention.completed", value))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jobstate.retention.completed");
    }

    @Test
    void theDefaultsKeepCompletedAndCancelledJobsAWeekAndFailedOnesAMonth() {
        RetentionSettings settings = defaults();

        settings.check();

        assertThat(settings.policy().retention(JobStatus.COMPLETED)).contains(Duration.ofDays(7));
        assertThat(settings.policy().retention(JobStatus.CANCELLED)).contains(Duration.ofDays(7));
        assertThat(settings.policy().retention(JobStatus.FAILED)).contains(Duration.ofDays(30));
        assertThat(settings.policy().idempotencyWindow()).isEqualTo(Duration.ofDays(1));
        assertThat(settings.describe()).contains("COMPLETED PT168H", "FAILED PT720H", "every PT1M", "500 jobs per batch");
    }

    @Test
    void aBatchBeyondTheBoundOrAnIntervalOfNothingFailsTheStart() {
        RetentionSettings tooLarge = defaults();
        tooLarge.batch = JobPruner.MAX_BATCH + 1;
        RetentionSettings never = defaults();
        never.interval = Duration.ZERO;

        assertThatThrownBy(tooLarge::check).hasMessageContaining("jobstate.retention.batch");
        assertThatThrownBy(never::check).hasMessageContaining("jobstate.retention.interval");
    }

    /** The settings as MicroProfile Config injects them when nothing is configured: each field's declared default. */
    private static RetentionSettings defaults() {
        RetentionSettings settings = new RetentionSettings();
        settings.completed = declaredDefault("completed");
        settings.cancelled = declaredDefault("cancelled");
        settings.failed = declaredDefault("failed");
        settings.idempotencyWindow = Duration.parse(declaredDefault("idempotencyWindow"));
        settings.interval = Duration.parse(declaredDefault("interval"));
        settings.batch = Integer.parseInt(declaredDefault("batch"));
        return settings;
    }

    private static String declaredDefault(String field) {
        try {
            return RetentionSettings.class.getDeclaredField(field).getAnnotation(ConfigProperty.class).defaultValue();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }
}
