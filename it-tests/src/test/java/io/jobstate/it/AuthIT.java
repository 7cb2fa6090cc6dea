package io.jobstate.it;

import static io.jobstate.it.JobsApiContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** Roles from MicroProfile JWT: coordinators change jobs, viewers read them, nobody else does either. */
class AuthIT extends LibertyTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate();
    }

    @Test
    void withoutAValidTokenNothingIsServed() {
        assertProblem(new Http(base, null).get("jobs"), 401);
        assertProblem(new Http(base, "not.a.token").get("jobs"), 401);
        assertProblem(new Http(base, DevTokens.sign("someone-else", List.of("coordinator"),
                Instant.now().plus(Duration.ofHours(1)))).get("jobs"), 401);
        // more than the default 5 minutes of clock skew in the past
        assertProblem(new Http(base, DevTokens.sign(DevTokens.ISSUER, List.of("coordinator"),
                Instant.now().minus(Duration.ofMinutes(10)))).get("jobs"), 401);
    }

    @Test
    void aViewerReadsButCannotChangeAnything() {
        Http coordinator = new Http(base);
        Http viewer = new Http(base, DevTokens.forRole("viewer"));
        HttpResponse<String> created = coordinator.postJson("jobs", "{\"type\": \"build\"}");
        String id = JobsApiContract.object(created).getString("id");

        assertThat(viewer.get("jobs/" + id).statusCode()).isEqualTo(200);
        assertThat(viewer.get("jobs").statusCode()).isEqualTo(200);
        assertProblem(viewer.postJson("jobs", "{\"type\": \"build\"}"), 403);
        assertProblem(viewer.postJson("jobs/" + id + "/transitions", "{\"to\": \"RUNNING\"}"), 403);
        assertThat(JobsApiContract.object(coordinator.get("jobs/" + id)).getString("status")).isEqualTo("PENDING");
    }

    @Test
    void aTokenWithoutAKnownRoleGetsNothing() {
        assertProblem(new Http(base, DevTokens.forRole("intern")).get("jobs"), 403);
    }
}
