package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.counts.StatusCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the status counts the database keeps (table {@code job_status_counts}, migration V5): the
 * sum of 64 slot rows per status, whatever the number of jobs, and the feed's newest {@code seq},
 * both in one statement and so one snapshot. A count never needs the jobs table: {@code GROUP BY
 * status} over 1,000,000 jobs took 130-300 ms, this takes well under a millisecond
 * (docs/benchmarks.md). Thread-safe (stateless).
 */
final class StatusCounting {

    /** One column per status, named after it (the migration's columns; a new status fails here loudly). */
    static final String SQL = "SELECT (SELECT last_seq FROM event_feed), "
            + Arrays.stream(JobStatus.values()).map(status -> "sum(" + column(status) + ")").collect(Collectors.joining(", "))
            + " FROM job_status_counts";

    private StatusCounting() {
    }

    static StatusCounts read(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL); ResultSet row = statement.executeQuery()) {
            row.next();
            long lastSeq = row.getLong(1);
            Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
            int column = 2;
            for (JobStatus status : JobStatus.values()) {
                counts.put(status, row.getLong(column++));
            }
            return new StatusCounts(counts, lastSeq);
        }
    }

    private static String column(JobStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
