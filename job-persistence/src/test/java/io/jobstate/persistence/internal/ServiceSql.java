package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.claim.ClaimRequest;
import io.jobstate.jobs.transition.TransitionRequest;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Test access to the exact SQL the compare-and-set path and a claim send, so the benchmark can hand
 * the very same statements to pgbench.
 */
public final class ServiceSql {

    /**
     * The lease token every RUNNING these statements grant, and that their COMPLETED and FAILED
     * present: as if each job's worker kept the token of its run.
     */
    public static final String FIXED_LEASE_TOKEN = "fixed-lease-token";

    /** Longer than any benchmark run: no job is reaped while it is measured. */
    public static final int BENCH_LEASE_SECONDS = 3600;

    /** The actor the claims of these statements record. */
    public static final String BENCH_ACTOR = "bench";

    private ServiceSql() {
    }

    /**
     * The statement for a plain request to {@code to}, with its placeholders replaced: the job id by
     * {@code idExpression}, text values by literals, absent values by NULL.
     */
    public static String transitionWithLiterals(JobStatus to, String error, String idExpression) {
        TransitionRequest request = TransitionRequest.to(to).withError(error).withLeaseToken(FIXED_LEASE_TOKEN)
                .withLeaseSeconds(to == JobStatus.RUNNING ? BENCH_LEASE_SECONDS : null);
        TransitionStatement statement = TransitionStatement.of(new UUID(0, 0), request, FIXED_LEASE_TOKEN);
        return withLiterals(statement, value -> value instanceof UUID ? idExpression : null);
    }

    /**
     * The statement of a worker's claim of one type, leased for {@link #BENCH_LEASE_SECONDS}, without an
     * idempotency key, with its placeholders replaced: the type by {@code typeExpression}, the other
     * values by literals.
     */
    public static String claimWithLiterals(String typeExpression) {
        // a value no other parameter has: where it is bound, the type goes
        String typeMarker = "type-" + UUID.randomUUID();
        ClaimRequest request = ClaimRequest.of(typeMarker).withLeaseSeconds(BENCH_LEASE_SECONDS).by(BENCH_ACTOR);
        TransitionStatement statement = TransitionStatement.claiming(request, FIXED_LEASE_TOKEN, null);
        return withLiterals(statement, value -> typeMarker.equals(value) ? typeExpression : null);
    }

    /** {@code expression}: the text for a value, or null for its literal. */
    private static String withLiterals(TransitionStatement statement, Function<Object, String> expression) {
        List<Object> parameters = statement.parameters();
        StringBuilder sql = new StringBuilder();
        int next = 0;
        for (char c : statement.sql().toCharArray()) {
            if (c != '?') {
                sql.append(c);
                continue;
            }
            Object value = parameters.get(next++);
            String replacement = value == null ? null : expression.apply(value);
            if (replacement != null) {
                sql.append(replacement);
            } else if (value instanceof Integer number) {
                sql.append(number);
            } else if (value == null) {
                sql.append("NULL");
            } else {
                sql.append('\'').append(value.toString().replace("'", "''")).append('\'');
            }
        }
        if (next != parameters.size()) {
            throw new IllegalStateException("placeholders and parameters differ in number");
        }
        return sql.toString();
    }
}
