package io.jobstate.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobstate.jobs.store.StoreUnavailableException;
import io.jobstate.jobs.store.StoreUnavailableException.Reason;
import jakarta.persistence.PersistenceException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * Which bound a database failure names, from the exceptions the driver and the pools raise (the
 * real ones are seen in BoundedWaitsIT, StoreUnavailableIT and the it-tests; these are their shapes).
 */
class FailuresTest {

    @Test
    void aLockTimeoutIsALockWaitThatATransitionAnswersAsItsOutcome() {
        assertThat(Failures.translate(wrapped(new SQLException("canceling statement due to lock timeout", "55P03"))))
                .isInstanceOf(RowLockTimeout.class);
    }

    @Test
    void aCancelledStatementIsTheStatementBound() {
        assertThat(reason(wrapped(new SQLException("canceling statement due to statement timeout", "57014"))))
                .isEqualTo(Reason.STATEMENT_TIMEOUT);
    }

    @Test
    void aReadThatTimedOutAndALoginThatTimedOutAreTheNetworkBound() {
        SQLException read = new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new SocketTimeoutException("Read timed out"));
        SQLException login = new SQLException("Connection attempt timed out.", "08001");

        assertThat(reason(wrapped(read))).isEqualTo(Reason.DATABASE_TIMEOUT);
        assertThat(reason(wrapped(login))).isEqualTo(Reason.DATABASE_TIMEOUT);
    }

    @Test
    void aPoolThatTimedOutWithNothingBeneathIsThePoolsWaitButWithARefusedConnectionBeneathAnOutage() {
        SQLTransientConnectionException full = new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms");
        SQLTransientConnectionException down = new SQLTransientConnectionException("Connection is not available",
                null, new SQLException("Connection to 127.0.0.1:1 refused.", "08001"));

        assertThat(reason(wrapped(full))).isEqualTo(Reason.POOL_WAIT);
        assertThat(reason(wrapped(down))).isEqualTo(Reason.DATABASE);
    }

    @Test
    void aRestartingDatabaseIsAnOutageAndAnythingElseIsABug() {
        assertThat(reason(wrapped(new SQLException("terminating connection due to administrator command", "57P01"))))
                .isEqualTo(Reason.DATABASE);
        PersistenceException bug = wrapped(new SQLException("syntax error", "42601"));

        assertThat(Failures.translate(bug)).isSameAs(bug);
    }

    @Test
    void aFailureAlreadyTranslatedStaysAsItIs() {
        StoreUnavailableException translated = new StoreUnavailableException(Reason.POOL_WAIT, "full", null);

        assertThat(Failures.translate(translated)).isSameAs(translated);
    }

    private static PersistenceException wrapped(SQLException failure) {
        return new PersistenceException(failure.getMessage(), failure);
    }

    private static Reason reason(RuntimeException failure) {
        RuntimeException translated = Failures.translate(failure);
        assertThat(translated).isInstanceOf(StoreUnavailableException.class);
        return ((StoreUnavailableException) translated).reason();
    }
}
