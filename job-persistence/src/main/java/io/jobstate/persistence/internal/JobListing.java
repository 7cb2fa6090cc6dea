package io.jobstate.persistence.internal;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.listing.JobCursor;
import io.jobstate.jobs.listing.JobPage;
import io.jobstate.jobs.listing.JobQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Newest-first pages with keyset pagination: the cursor is the (created_at, id) of the last job
 * shown, so pages stay stable while jobs are being created, and each page is an index range scan.
 */
final class JobListing {


    private JobListing() {
    }

    static JobPage list(Connection connection, JobQuery query) throws SQLException {
        BoundSql.Builder sql = BoundSql.builder().append("SELECT " + JobTable.columns("jobs") + " FROM jobs WHERE true");
        if (query.status() != null) {
            sql.append(" AND status = ?", query.status().name());
        }
        if (query.type() != null) {
            sql.append(" AND type = ?", query.type());
        }
        if (query.after() != null) {
            sql.append(" AND (created_at, id) < (?, ?)", Timestamps.toOffset(query.after().createdAt()), query.after().id());
        }
        // one row more than asked tells whether there is a next page
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?", query.limit() + 1);
        List<Job> jobs = new ArrayList<>();
        try (PreparedStatement statement = sql.build().prepare(connection); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                jobs.add(JobTable.job(rows, 1));
            }
        }
        if (jobs.size() <= query.limit()) {
            return new JobPage(jobs, null);
        }
        List<Job> page = jobs.subList(0, query.limit());
        Job last = page.getLast();
        return new JobPage(page, new JobCursor(last.createdAt(), last.id()));
    }
}
