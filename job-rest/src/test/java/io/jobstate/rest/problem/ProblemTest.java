package io.jobstate.rest.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.ConflictReason;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void everyProblemHasTypeTitleStatusAndDetail() {
        JsonObject body = Problem.of(418, "short and stout").body();

        assertThat(body.getString("type")).isEqualTo("about:blank");
        assertThat(body.getString("title")).isEqualTo("HTTP 418");
        assertThat(body.getInt("status")).isEqualTo(418);
        assertThat(body.getString("detail")).isEqualTo("short and stout");
        assertThat(Problem.of(401, null).body().getString("title")).isEqualTo("Unauthorized");
    }

    @Test
    void aBadRequestListsEveryFieldError() {
        JsonObject body = Problem.badRequest(List.of(new Violation("to", "is required"), new Violation("n", "too big"))).body();

        assertThat(body.getInt("status")).isEqualTo(400);
        assertThat(body.getJsonArray("errors")).hasSize(2);
        assertThat(body.getJsonArray("errors").getJsonObject(1).getString("field")).isEqualTo("n");
    }

    @Test
    void aConflictNamesTheJobAsItIsNowAndWhy() {
        Job job = Job.created(UUID.randomUUID(), "build", null, Instant.EPOCH).transitionedTo(JobStatus.QUEUED, null, null, Instant.EPOCH);

        Problem problem = Problem.conflict(job, ConflictReason.STALE_STATUS, "stale");
        JsonObject body = problem.body();

        assertThat(problem.status()).isEqualTo(409);
        assertThat(body.getString("jobId")).isEqualTo(job.id().toString());
        assertThat(body.getString("currentStatus")).isEqualTo("QUEUED");
        assertThat(body.getJsonNumber("currentVersion").longValue()).isEqualTo(1);
        assertThat(body.getString(Problem.CONFLICT_REASON)).isEqualTo("STALE_STATUS");
    }

    @Test
    void everyUnavailabilityNamesItsReason() {
        JsonObject body = Problem.unavailable("LOCK_WAIT", "busy").body();

        assertThat(body.getInt("status")).isEqualTo(503);
        assertThat(body.getString("unavailableReason")).isEqualTo("LOCK_WAIT");
    }
}
