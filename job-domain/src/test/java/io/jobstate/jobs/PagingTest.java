package io.jobstate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.events.EventQuery;
import io.jobstate.jobs.history.HistoryQuery;
import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void afterIsZeroOrMoreAndTheLimitWithinItsPagesBounds() {
        assertThat(Paging.violations(0, 1, 10)).isEmpty();
        assertThat(Paging.violations(Long.MAX_VALUE, 10, 10)).isEmpty();
        assertThat(Paging.violations(-1, 0, 10)).extracting(Violation::field).containsExactly("after", "limit");
        assertThat(Paging.violations(5, 11, 10)).singleElement()
                .satisfies(v -> assertThat(v.message()).isEqualTo("must be between 1 and 10"));
    }

    @Test
    void theFeedAndTheHistoryEachCheckTheirOwnMaximum() {
        assertThat(HistoryQuery.firstPage().withLimit(HistoryQuery.MAX_LIMIT).violations()).isEmpty();
        assertThat(HistoryQuery.firstPage().withLimit(HistoryQuery.MAX_LIMIT + 1).violations()).isNotEmpty();
        assertThat(HistoryQuery.firstPage().after(-1).violations()).extracting(Violation::field).containsExactly("after");
        assertThat(EventQuery.after(0).withLimit(EventQuery.MAX_LIMIT + 1).violations()).extracting(Violation::field)
                .containsExactly("limit");
    }
}
