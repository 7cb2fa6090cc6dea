package io.jobstate.rest.jobs;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Violation;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Job statuses named in requests (bodies and query parameters). Thread-safe (stateless). */
final class StatusNames {

    /** "must be one of PENDING, QUEUED, …": the list comes from {@link JobStatus}, the owner of the statuses. */
    private static final String ONE_OF = "must be one of "
            + Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.joining(", "));

    private StatusNames() {
    }

    /** The status {@code name} names; null (and a violation for {@code field}) when none, null when absent. */
    static JobStatus parse(String field, String name, List<Violation> violations) {
        if (name == null) {
            return null;
        }
        for (JobStatus status : JobStatus.values()) {
            if (status.name().equals(name)) {
                return status;
            }
        }
        violations.add(new Violation(field, ONE_OF));
        return null;
    }
}
