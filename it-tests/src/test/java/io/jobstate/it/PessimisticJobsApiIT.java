package io.jobstate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import io.jobstate.testing.postgres.TestDatabase;

class PessimisticJobsApiIT extends JobsApiContract {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.jobstate("pessimistic");
    }

    @Test
    void aTransitionBlockedByAnotherWriterPastTheLockWaitIs503WithRetryAfter(TestDatabase database) throws Exception {
        Http http = new Http(base);
        String id = object(http.postJson("jobs", "{\"type\": \"build\"}")).getString("id");

        try (Connection holder = database.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM jobs WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, UUID.fromString(id));
                lock.executeQuery().close();
            }
            HttpResponse<String> blocked = http.postJson("jobs/" + id + "/transitions", "{\"to\": \"RUNNING\"}");

            assertProblem(blocked, 503);
            assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
            assertThat(object(blocked).getString("unavailableReason")).isEqualTo("LOCK_WAIT");
            holder.rollback();
        }
        assertThat(object(http.get("jobs/" + id)).getString("status")).isEqualTo("PENDING");
    }
}
