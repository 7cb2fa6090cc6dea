package io.jobstate.persistence.internal;

import io.jobstate.jobs.store.JobContendedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * "Write conditionally, then explain": a single conditional statement writes when the job accepts
 * the request. When it matched nothing, the domain's decision on the job says why: on the job as the
 * statement returned it, or else as read once by a statement of its own ({@link CurrentState}). If
 * that decision says the request would be accepted after all (the job changed after the state it
 * saw), the write is tried again — each further round needs another writer to commit on the same
 * job, so the bound is reached only under extreme contention.
 * Stateless and thread-safe; the caller owns the connection.
 *
 * @param <O> the outcome type of the operation
 */
final class ConditionalWrite<O> {

    /** How many conditional writes one request may make before giving up (nothing was written). */
    static final int MAX_ROUNDS = 16;

    /** The conditional statement. */
    @FunctionalInterface
    interface Attempt<O> {
        Attempted<O> write(Connection connection) throws SQLException;
    }

    /** What the conditional statement did. */
    sealed interface Attempted<O> {

        /** It wrote: the outcome. */
        record Wrote<O>(O outcome) implements Attempted<O> {
        }

        /** It wrote nothing, and returned the job as it read it (empty: no such job): no read of its own. */
        record Explained<O>(Optional<CurrentState> state) implements Attempted<O> {
        }

        /** It wrote nothing and read nothing: the job is read once, by a statement of its own. */
        record Unexplained<O>() implements Attempted<O> {
        }

        /** The outcome of a write that matched, else unexplained. */
        static <O> Attempted<O> wroteOr(Optional<O> written) {
            return written.<Attempted<O>>map(Wrote::new).orElseGet(Unexplained::new);
        }
    }

    private final String what;
    private final Attempt<O> attempt;
    private final Function<CurrentState, O> explain;
    private final Predicate<O> acceptedAfterAll;
    private final Function<UUID, O> notFound;

    /**
     * @param what             what is written, for the message when the job keeps changing ("progress")
     * @param attempt          the conditional statement
     * @param explain          the domain's decision on the job as it is now
     * @param acceptedAfterAll whether that decision accepts the request (then the write is tried again)
     * @param notFound         the outcome for a job that does not exist
     */
    ConditionalWrite(String what, Attempt<O> attempt, Function<CurrentState, O> explain, Predicate<O> acceptedAfterAll,
                     Function<UUID, O> notFound) {
        this.what = what;
        this.attempt = attempt;
        this.explain = explain;
        this.acceptedAfterAll = acceptedAfterAll;
        this.notFound = notFound;
    }

    /** Runs on {@code connection} for job {@code id}; {@code key} selects the history entry the explanation sees. */
    O run(Connection connection, UUID id, String key) throws SQLException {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Attempted<O> attempted = attempt.write(connection);
            if (attempted instanceof Attempted.Wrote<O> wrote) {
                return wrote.outcome();
            }
            Optional<CurrentState> state = attempted instanceof Attempted.Explained<O> explained
                    ? explained.state()
                    : CurrentState.read(connection, id, key);
            if (state.isEmpty()) {
                return notFound.apply(id);
            }
            O outcome = explain.apply(state.get());
            if (!acceptedAfterAll.test(outcome)) {
                return outcome;
            }
        }
        throw new JobContendedException("job " + id + " kept changing; " + what + " not written, retry");
    }
}
