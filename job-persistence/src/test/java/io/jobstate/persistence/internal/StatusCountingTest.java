package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusCountingTest {

    @Test
    void oneStatementSumsEverySlotOfEveryStatusAndReadsTheFeedsEndInTheSameSnapshot() {
        assertThat(StatusCounting.SQL).isEqualTo("SELECT (SELECT last_seq FROM event_feed), sum(pending), sum(queued),"
                + " sum(running), sum(completed), sum(failed), sum(cancelled) FROM job_status_counts");
    }
}
