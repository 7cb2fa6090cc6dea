package io.jobstate.it.storm;

import static org.awaitility.Awaitility.await;

import io.jobstate.client.api.JobStatus;
import io.jobstate.client.api.NewJob;
import io.jobstate.client.coordinator.JobCoordinator;
import io.jobstate.jobs.HistoryEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/** What the failover tests (a hand-promoted standby, Patroni) check on the new primary after a switch. */
final class FailoverChecks {

    static final Duration WAIT = Duration.ofMinutes(2);

    private FailoverChecks() {
    }

    /** {@code count} new jobs, each queued and started with a lease of {@code seconds}; no heartbeat follows. */
    static List<UUID> leasedJobs(JobCoordinator coordinator, int count, int seconds) {
        return IntStream.range(0, count).mapToObj(i -> {
            UUID id = coordinator.create(NewJob.ofType("leased")).id();
            coordinator.queue(id);
            if (coordinator.startRun(id, seconds).isEmpty()) {
                throw new IllegalStateException("no run of " + id);
            }
            return id;
        }).toList();
    }

    /**
     * Held leases (not yet due) survive the switch: still RUNNING, never reaped. Expired ones are
     * reaped exactly once, by one of the two instances' reapers, once a primary is there.
     */
    static List<String> checkLeases(Connection db, List<UUID> held, List<UUID> expiring) throws SQLException {
        List<String> violations = new ArrayList<>();
        for (UUID id : held) {
            if (reaperRows(db, id) != 0 || status(db, id) != JobStatus.RUNNING) {
                violations.add("held lease of " + id + ": " + status(db, id) + " after " + reaperRows(db, id) + " reaping(s)");
            }
        }
        for (UUID id : expiring) {
            await().atMost(WAIT).until(() -> status(db, id) == JobStatus.FAILED);
            if (reaperRows(db, id) != 1) {
                violations.add("expired lease of " + id + " reaped " + reaperRows(db, id) + " times");
            }
        }
        return violations;
    }

    /** The exchanges of the storm: not those that leased the given jobs (no storm job, no key to match). */
    static List<Exchange> stormExchanges(List<UUID> leased) {
        Set<String> excluded = new HashSet<>(leased.stream().map(UUID::toString).toList());
        return ExchangeLog.exchanges().stream().filter(e -> e.jobId() == null || !excluded.contains(e.jobId())).toList();
    }

    /** Acknowledged transitions (job/key) whose Idempotency-Key is not in the history of the database now. */
    static long lost(Connection db, Storm.Outcome outcome, List<Exchange> exchanges) throws SQLException {
        Set<String> kept = keysInHistory(db, outcome.jobs());
        return acknowledged(exchanges).stream().filter(ack -> !kept.contains(ack)).count();
    }

    /** The distinct job/key of every 2xx transition. */
    static Set<String> acknowledged(List<Exchange> exchanges) {
        Set<String> acknowledged = new HashSet<>();
        exchanges.stream().filter(e -> e.transition() && e.succeeded()).forEach(e -> acknowledged.add(e.jobId() + "/" + e.key()));
        return acknowledged;
    }

    /** The jobs a storm's exchanges name (for a storm that did not finish). */
    static List<UUID> jobsIn(List<Exchange> exchanges) {
        return exchanges.stream().map(Exchange::jobId).filter(id -> id != null && id.length() == 36).distinct()
                .map(UUID::fromString).toList();
    }

    /** Waits (bounded) until both instances report not ready; false if one never did. */
    static boolean awaitNotReady(InstancePair instances, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(instances::noneReady);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    static String verdict(List<String> violations) {
        return violations.isEmpty() ? "PASS" : "FAIL(" + violations.size() + ")";
    }

    private static long reaperRows(Connection db, UUID id) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT count(*) FROM job_history WHERE job_id = ? AND actor = ?")) {
            statement.setObject(1, id);
            statement.setString(2, HistoryEntry.REAPER);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static JobStatus status(Connection db, UUID id) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return JobStatus.valueOf(rows.getString(1));
            }
        }
    }

    private static Set<String> keysInHistory(Connection db, List<UUID> jobs) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT job_id, idempotency_key FROM job_history WHERE job_id = ANY (?) AND idempotency_key IS NOT NULL")) {
            statement.setArray(1, db.createArrayOf("uuid", jobs.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getObject(1, UUID.class) + "/" + rows.getString(2));
                }
            }
        }
        return keys;
    }
}
