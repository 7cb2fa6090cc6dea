package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of the {@code job_events} outbox, written in the transaction of its transition. It is
 * identified by (job, version), which is unique; its public sequence is assigned after commit by
 * {@link PostgresEventLog#publish()}. Not thread-safe.
 */
@Entity
@Table(name = "job_events")
@IdClass(JobVersionKey.class)
public class EventEntity {

    @Id
    @Column(name = "job_id")
    private UUID jobId;
    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    private JobStatus fromStatus;
    @Enumerated(EnumType.STRING)
    @Column(name = "to_status")
    private JobStatus toStatus;
    @Id
    private long version;
    private OffsetDateTime at;

    protected EventEntity() {
        // for JPA
    }

    public EventEntity(UUID jobId, JobStatus fromStatus, JobStatus toStatus, long version, OffsetDateTime at) {
        this.jobId = jobId;
        this.fromStatus = fromStatus;
        this.toStatus = toStatus;
        this.version = version;
        this.at = at;
    }
}
