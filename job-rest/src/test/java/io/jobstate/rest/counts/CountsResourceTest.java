package io.jobstate.rest.counts;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.counts.StatusCounts;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountsResourceTest {

    @Test
    void theAnswerNamesEveryStatusWithItsCountTheTotalAndTheFeedPosition() {
        StatusCounts counts = new StatusCounts(Map.of(JobStatus.RUNNING, 2L, JobStatus.COMPLETED, 1_000_000L), 42);

        JsonObject json = Json.createReader(new StringReader(new String(CountsResource.json(counts), StandardCharsets.UTF_8))).readObject();

        assertThat(json.getJsonObject("counts").keySet()).containsExactly("PENDING", "QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED");
        assertThat(json.getJsonObject("counts").getJsonNumber("COMPLETED").longValueExact()).isEqualTo(1_000_000L);
        assertThat(json.getJsonObject("counts").getInt("PENDING")).isZero();
        assertThat(json.getJsonNumber("total").longValueExact()).isEqualTo(1_000_002L);
        assertThat(json.getJsonNumber("lastSeq").longValueExact()).isEqualTo(42);
    }
}
