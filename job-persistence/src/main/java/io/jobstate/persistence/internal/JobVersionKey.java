package io.jobstate.persistence.internal;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** The identity (job_id, version) of a history row and of an outbox row: one per applied transition. */
public final class JobVersionKey implements Serializable {
    private static final long serialVersionUID = 1L;

    private UUID jobId;
    private long version;

    public JobVersionKey() {
        // for JPA
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobVersionKey key && version == key.version && Objects.equals(jobId, key.jobId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, version);
    }
}
