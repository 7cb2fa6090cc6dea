package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.problem.ConflictReason;
import jakarta.json.Json;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The coordinator holds the runs of at most {@code jobstate.client.max-held-leases} jobs; a run's handle keeps its own. */
class LeaseCapacityTest extends ClientTest {

    @Override
    Map<String, String> configuration() {
        return Map.of("jobstate.client.max-held-leases", "2");
    }

    @Test
    void beyondTheCapacityTheLeastRecentlyUsedRunIsForgottenButItsHandleStillFinishesIt() {
        UUID first = fake().givenJob().id();
        UUID second = fake().givenJob().id();
        UUID third = fake().givenJob().id();
        LeasedRun firstRun = coordinator().startRun(first, null).orElseThrow();
        coordinator().startRun(second, null);
        coordinator().startRun(third, null);

        OperationResult byId = coordinator().complete(first, Json.createObjectBuilder().build());
        OperationResult byHandle = firstRun.complete(Json.createObjectBuilder().build());

        assertThat(coordinator().leaseToken(second)).isPresent();
        assertThat(coordinator().leaseToken(third)).isPresent();
        // forgotten here: the id-based completion goes without a token and is refused
        assertThat(byId).isInstanceOfSatisfying(OperationResult.Superseded.class,
                superseded -> assertThat(superseded.reason()).isEqualTo(ConflictReason.LEASE_MISMATCH));
        assertThat(byHandle).isInstanceOf(OperationResult.Applied.class);
    }
}
