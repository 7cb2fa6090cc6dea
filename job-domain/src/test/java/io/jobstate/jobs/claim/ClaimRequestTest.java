package io.jobstate.jobs.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.Lease;
import io.jobstate.jobs.Violation;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimRequestTest {

    @Test
    void theSameTypesInAnotherOrderOrRepeatedAreTheSameClaimButAnotherLeaseLengthIsNot() {
        ClaimRequest claim = new ClaimRequest(List.of("a", "b"), null, "k", "w");

        assertThat(new ClaimRequest(List.of("b", "a", "a"), null, "other-key", "other-worker").fingerprint())
                .isEqualTo(claim.fingerprint());
        assertThat(claim.withLeaseSeconds(60).fingerprint()).isNotEqualTo(claim.fingerprint());
        assertThat(ClaimRequest.of("a").fingerprint()).isNotEqualTo(ClaimRequest.of("a", "b").fingerprint());
        assertThat(ClaimRequest.of("a,b").fingerprint()).isNotEqualTo(ClaimRequest.of("a", "b").fingerprint());
    }

    @Test
    void noTypesMeansAnyTypeAndTheDefaultLease() {
        ClaimRequest any = new ClaimRequest(null, null, null, null);

        assertThat(any.types()).isEmpty();
        assertThat(any.violations()).isEmpty();
        assertThat(any.effectiveLeaseSeconds()).isEqualTo(Lease.DEFAULT_SECONDS);
    }

    @Test
    void tooManyTypesEmptyOrLongTypesABadLeaseOrKeyAreEachNamed() {
        assertThat(new ClaimRequest(Collections.nCopies(ClaimRequest.MAX_TYPES, "t"), Lease.MAX_SECONDS, "k", null).violations())
                .isEmpty();
        assertThat(new ClaimRequest(Collections.nCopies(ClaimRequest.MAX_TYPES + 1, "t"), null, null, null).violations())
                .extracting(Violation::field).containsExactly("types");
        assertThat(new ClaimRequest(List.of("", "x".repeat(101)), Lease.MAX_SECONDS + 1, "", null).violations())
                .extracting(Violation::field).containsExactly("types", "types", "leaseSeconds", "Idempotency-Key");
        assertThat(ClaimRequest.of("a\u0000b").violations()).extracting(Violation::field).containsExactly("types");
    }
}
