package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.client.api.HistoryEntry;
import io.jobstate.client.fake.Route;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A job's history, which the service answers a page at a time (docs/api.md): the coordinator reads every page. */
class HistoryTest extends ClientTest {

    @Test
    void aHistoryLongerThanAPageIsReadWholePageAfterPage() {
        UUID id = fake().givenJob().id();
        fake().givenHistory(id, 2 * JobCoordinator.HISTORY_PAGE + 500);

        List<HistoryEntry> history = coordinator().history(id);

        assertThat(history).extracting(HistoryEntry::version)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * JobCoordinator.HISTORY_PAGE + 500).boxed().toList());
        assertThat(fake().exchanges(Route.HISTORY)).hasSize(3);
    }

    @Test
    void aHistoryOfExactlyOnePageTakesOneMoreRequestToKnowItEnded() {
        UUID id = fake().givenJob().id();
        fake().givenHistory(id, JobCoordinator.HISTORY_PAGE);

        assertThat(coordinator().history(id)).hasSize(JobCoordinator.HISTORY_PAGE);
        assertThat(fake().exchanges(Route.HISTORY)).hasSize(2);
    }

    @Test
    void aJobWithoutTransitionsHasAnEmptyHistory() {
        UUID id = fake().givenJob().id();

        assertThat(coordinator().history(id)).isEmpty();
        assertThat(fake().exchanges(Route.HISTORY)).hasSize(1);
    }
}
