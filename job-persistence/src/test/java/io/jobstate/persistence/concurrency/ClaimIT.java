package io.jobstate.persistence.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jobstate.jobs.HistoryEntry;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimOutcome;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.store.JobStore;
import io.jobstate.jobs.transition.TransitionOutcome;
import io.jobstate.jobs.transition.TransitionRequest;
import io.jobstate.persistence.LockingPath;
import io.jobstate.persistence.support.DatabaseTest;
import io.jobstate.persistence.support.Histories;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What one claim does, one at a time: which job it takes, what it writes, how a key replays it. */
class ClaimIT extends DatabaseTest {

    @Test
    void aClaimTakesTheJobQueuedLongestAmongItsTypesAndRecordsItAsAClaimByTheCaller() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        List<UUID> ids = Queue.queued(store, 30, List.of("oldest-a", "oldest-b", "oldest-c"));
        List<UUID> order;
        try (Connection connection = fixture.connect()) {
            order = Queue.queueOrder(connection, ids);
        }
        Job claimed = ((ClaimOutcome.Claimed) store.claim(new ClaimRequest(List.of("oldest-b", "oldest-c"), 120, null, "w1")))
                .job();

        UUID oldestOfBOrC = order.stream().filter(id -> !store.find(id).orElseThrow().type().equals("oldest-a"))
                .findFirst().orElseThrow();
        assertThat(claimed.id()).isEqualTo(oldestOfBOrC);
        assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(claimed.version()).isEqualTo(2);
        assertThat(claimed.lease().seconds()).isEqualTo(120);
        HistoryEntry entry = Histories.of(store, claimed.id()).orElseThrow().getLast();
        assertThat(entry.from()).isEqualTo(JobStatus.QUEUED);
        assertThat(entry.actor()).isEqualTo("w1");
        assertThat(entry.reason()).isEqualTo(ClaimRequest.REASON);
        assertThat(entry.after().lease()).isEqualTo(claimed.lease());

        ClaimRequest everyType = ClaimRequest.of("oldest-a", "oldest-b", "oldest-c");
        List<UUID> rest = Queue.drain(store, everyType);
        assertThat(rest).containsExactlyElementsOf(order.stream().filter(id -> !id.equals(claimed.id())).toList());
        assertThat(store.claim(everyType)).isInstanceOf(ClaimOutcome.NoneQueued.class);
    }

    @Test
    void aClaimStepsOverAQueuedJobAnotherWriterHoldsInsteadOfWaitingForIt() throws Exception {
        JobStore store = fixture.store(LockingPath.CAS);
        List<UUID> ids = Queue.queued(store, 2, List.of("held"));
        try (Connection holder = fixture.connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement cancel = holder.prepareStatement("UPDATE jobs SET status = 'CANCELLED',"
                    + " previous_status = status, version = version + 1, updated_at = now(), finished_at = now() WHERE id = ?")) {
                cancel.setObject(1, ids.getFirst());
                assertThat(cancel.executeUpdate()).isEqualTo(1);
            }
            // the fixture's lock bound is seconds: a claim that waited for the row would fail, not answer at once
            ClaimOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> store.claim(ClaimRequest.of("held")));
            assertThat(((ClaimOutcome.Claimed) outcome).job().id()).isEqualTo(ids.get(1));
            holder.rollback();
        }
        assertThat(((ClaimOutcome.Claimed) store.claim(ClaimRequest.of("held"))).job().id()).isEqualTo(ids.getFirst());
    }

    @Test
    void aRetriedClaimGetsTheSameJobAndLeaseEvenAfterTheJobMovedOn() {
        JobStore store = fixture.store(LockingPath.CAS);
        Queue.queued(store, 3, List.of("replayed"));
        ClaimRequest request = ClaimRequest.of("replayed").withIdempotencyKey("claim-1").by("w");
        Job first = ((ClaimOutcome.Claimed) store.claim(request)).job();
        assertThat(store.transition(first.id(), TransitionRequest.to(JobStatus.COMPLETED).withResult("{}")
                .withLeaseToken(first.lease().token()))).isInstanceOf(TransitionOutcome.Applied.class);

        ClaimOutcome.Replayed again = (ClaimOutcome.Replayed) store.claim(request);

        assertThat(again.job()).isEqualTo(first);
        assertThat(again.original().reason()).isEqualTo(ClaimRequest.REASON);
        assertThat(store.claim(request.withLeaseSeconds(60))).isEqualTo(new ClaimOutcome.KeyReused(first));
        assertThat(Histories.of(store, first.id()).orElseThrow()).hasSize(3);
        assertThat(Queue.drain(store, ClaimRequest.of("replayed"))).hasSize(2);
    }

    @Test
    void aClaimPassesOverAJobWhoseHistoryAlreadyHoldsItsKey() {
        JobStore store = fixture.store(LockingPath.CAS);
        // the oldest job was queued under the key the claim will carry: its history cannot record the claim's
        UUID queuedWithKey = Jobs.pending(store, 1, "key-on-job").getFirst();
        assertThat(store.transition(queuedWithKey, TransitionRequest.to(JobStatus.QUEUED).withIdempotencyKey("shared")))
                .isInstanceOf(TransitionOutcome.Applied.class);
        UUID younger = Queue.queued(store, 1, List.of("key-on-job")).getFirst();

        Job claimed = ((ClaimOutcome.Claimed) store.claim(ClaimRequest.of("key-on-job").withIdempotencyKey("shared"))).job();

        assertThat(claimed.id()).isEqualTo(younger);
        assertThat(Queue.drain(store, ClaimRequest.of("key-on-job"))).containsExactly(queuedWithKey);
    }

    @Test
    void aClaimWithABadRequestWritesNothing() {
        JobStore store = fixture.store(LockingPath.CAS);
        List<UUID> ids = Queue.queued(store, 1, List.of("invalid"));
        assertThat(store.claim(new ClaimRequest(List.of("invalid", " "), 0, " ", null)))
                .isInstanceOfSatisfying(ClaimOutcome.Invalid.class, invalid -> assertThat(invalid.violations())
                        .extracting(v -> v.field()).containsExactly("types", "leaseSeconds", "Idempotency-Key"));
        assertThat(store.find(ids.getFirst()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(Queue.drain(store, ClaimRequest.of("invalid"))).containsExactly(ids.getFirst());
    }
}
