package io.jobstate.rest.openapi;

import io.jobstate.jobs.IdempotencyKeys;
import io.jobstate.jobs.Job;
import io.jobstate.jobs.Lease;
import io.jobstate.jobs.creation.NewJob;
import io.jobstate.jobs.transition.TransitionRequest;
import java.math.BigDecimal;
import java.util.Map;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Writes every bound of a body member into the document's component schemas from the constants the
 * server validates with ({@link NewJob}, {@link TransitionRequest}, {@link Lease}, {@link Job},
 * {@link IdempotencyKeys}), so that {@code openapi.yaml} never repeats a number the code owns. The
 * bounds of parameters and headers sit in the resources' annotations, fed by the same constants. A
 * schema or member named here but missing from the document is a mistake in {@code openapi.yaml}:
 * {@link IllegalStateException}. Thread-safe (stateless).
 */
final class DomainBounds {

    private DomainBounds() {
    }

    static void apply(Map<String, Schema> schemas) {
        // creation
        member(schemas, "NewJob", "type").minLength(1).maxLength(NewJob.MAX_TYPE_LENGTH);
        // transitions
        member(schemas, "TransitionRequest", "error").maxLength(TransitionRequest.MAX_ERROR_LENGTH);
        member(schemas, "TransitionRequest", "reason").maxLength(TransitionRequest.MAX_REASON_LENGTH);
        range(member(schemas, "TransitionRequest", "leaseSeconds"), Lease.MIN_SECONDS, Lease.MAX_SECONDS);
        // progress reports
        range(member(schemas, "ProgressReport", "progress"), Job.MIN_PROGRESS, Job.MAX_PROGRESS);
        // what the service answers holds to the same bounds
        member(schemas, "Job", "type").minLength(1).maxLength(NewJob.MAX_TYPE_LENGTH);
        member(schemas, "Job", "attempt").minimum(BigDecimal.valueOf(Job.FIRST_ATTEMPT));
        range(member(schemas, "Job", "progress"), Job.MIN_PROGRESS, Job.MAX_PROGRESS);
        member(schemas, "Job", "leaseToken").maxLength(Lease.MAX_TOKEN_LENGTH);
        member(schemas, "HistoryEntry", "attempt").minimum(BigDecimal.valueOf(Job.FIRST_ATTEMPT));
        member(schemas, "HistoryEntry", "idempotencyKey").minLength(1).maxLength(IdempotencyKeys.MAX_LENGTH);
        member(schemas, "HistoryEntry", "reason").maxLength(TransitionRequest.MAX_REASON_LENGTH);
        member(schemas, "HistoryEntry", "error").maxLength(TransitionRequest.MAX_ERROR_LENGTH);
    }

    private static Schema member(Map<String, Schema> schemas, String schema, String member) {
        Schema owner = schemas.get(schema);
        Schema property = owner == null || owner.getProperties() == null ? null : owner.getProperties().get(member);
        if (property == null) {
            throw new IllegalStateException("openapi.yaml has no member " + member + " in the schema " + schema);
        }
        return property;
    }

    private static void range(Schema schema, long min, long max) {
        schema.minimum(BigDecimal.valueOf(min)).maximum(BigDecimal.valueOf(max));
    }
}
