package io.jobstate.persistence.internal;

import io.jobstate.jobs.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of the {@code job_events} outbox, written in the transaction of its transition. Not thread-safe. */
@Entity
@Table(name = "job_events")
public class EventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long seq;
    @Column(name = "job_id")
    private UUID jobId;
    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    private JobStatus fromStatus;
    @Enumerated(EnumType.STRING)
    @Column(name = "to_status")
    private JobStatus toStatus;
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
