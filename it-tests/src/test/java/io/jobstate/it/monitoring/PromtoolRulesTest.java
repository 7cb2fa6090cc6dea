package io.jobstate.it.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules (ops/prometheus) pass {@code promtool check rules}, and their unit tests
 * ({@code promtool test rules}) pass — and fail when an alert's threshold is changed, so they hold the
 * rules rather than merely running. Needs Debian's prometheus package (skipped loudly without it,
 * failed on CI).
 */
class PromtoolRulesTest {

    private static final Path RULES = ShippedMonitoring.RULES;
    private static final Path RULES_DIRECTORY = RULES.getParent();
    private static final Path RULES_TESTS = RULES_DIRECTORY.resolve("jobstate.rules.test.yml");

    @Test
    void theRulesAreValid() throws Exception {
        PrometheusTools.Run check = PrometheusTools.promtool(RULES_DIRECTORY, "check", "rules", RULES.toString());

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertFiresAndStaysQuietAsItsTestsSay() throws Exception {
        PrometheusTools.Run test = PrometheusTools.promtool(RULES_DIRECTORY, "test", "rules", RULES_TESTS.toString());

        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void theTestsFailWhenAnAlertsThresholdMoves() throws Exception {
        Path copy = Files.createTempDirectory("jobstate-rules");
        try {
            String rules = Files.readString(RULES);
            String serverErrors = "job:jobstate_server_errors_not_503:ratio_rate5m > 0.01";
            assertThat(rules).contains(serverErrors);
            Files.writeString(copy.resolve(RULES.getFileName()), rules.replace(serverErrors, serverErrors.replace("0.01", "0.1")));
            Files.copy(RULES_TESTS, copy.resolve(RULES_TESTS.getFileName()));

            PrometheusTools.Run test = PrometheusTools.promtool(copy, "test", "rules", RULES_TESTS.getFileName().toString());

            assertThat(test.exit()).as(test.output()).isNotZero();
            assertThat(test.output()).contains("FAILED", "JobstateServerErrors");
        } finally {
            PrometheusTools.deleteTree(copy);
        }
    }
}
