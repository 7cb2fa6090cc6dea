package io.jobstate.it.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

    @Test
    void namesAreTheSelectorsNotTheFunctionsLabelsStringsOrRanges() {
        String expression = """
                sum by (job, status) (rate(jobstate_server_errors_total{status!="503", job=~"$job"}[$__rate_interval]))
                  / on (job) group_left () sum without (instance) (rate(jobstate_request_seconds_count[5m] offset 1h))
                """;

        assertThat(PromQlNames.of(expression)).containsExactly("jobstate_request_seconds_count", "jobstate_server_errors_total");
    }

    @Test
    void recordingRulesBareNamesAndKeywords() {
        assertThat(PromQlNames.of("job:jobstate_ready:sum == 0 and on (job) up unless absent(jobstate_ready) > bool 1e-3"))
                .containsExactly("job:jobstate_ready:sum", "jobstate_ready", "up");
    }

    @Test
    void aLabelValuesQueryNamesItsMetric() {
        assertThat(PromQlNames.of("label_values(jobstate_ready{job=\"a\"}, instance)")).containsExactly("jobstate_ready");
    }

    @Test
    void wordsInsideStringsAndMatchersAreNotNames() {
        assertThat(PromQlNames.of("label_replace(jobstate_ready, \"x\", \"rate(y) z\", \"instance\", \"(.*)\")"))
                .containsExactly("jobstate_ready");
    }

    @Test
    void histogramQuantileArgumentsAndSubqueries() {
        assertThat(PromQlNames.of("max_over_time(job:jobstate_transition_seconds:p99_max[1h:1m]) > 0.5"))
                .containsExactly("job:jobstate_transition_seconds:p99_max");
    }
}
