package io.jobstate.rest.tracing;

import io.opentelemetry.api.common.AttributeKey;

/** The names of jobstate's span attributes, in one place (docs/operations.md, "Tracing"). */
public final class TraceAttributes {

    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("jobstate.job.id");
    public static final AttributeKey<String> FROM = AttributeKey.stringKey("jobstate.transition.from");
    public static final AttributeKey<String> TO = AttributeKey.stringKey("jobstate.transition.to");
    /** applied, replayed, conflict, precondition_failed, not_found, invalid, unavailable. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("jobstate.outcome");
    public static final AttributeKey<String> CONFLICT_REASON = AttributeKey.stringKey("jobstate.conflict_reason");
    public static final AttributeKey<String> UNAVAILABLE_REASON = AttributeKey.stringKey("jobstate.unavailable_reason");
    public static final AttributeKey<String> LOCKING_PATH = AttributeKey.stringKey("jobstate.locking_path");
    /** How many items a background pass handled (jobs reaped, events numbered, rows pruned). */
    public static final AttributeKey<Long> ITEMS = AttributeKey.longKey("jobstate.pass.items");

    /** OpenTelemetry's semantic conventions for a database call. */
    static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");

    private TraceAttributes() {
    }
}
