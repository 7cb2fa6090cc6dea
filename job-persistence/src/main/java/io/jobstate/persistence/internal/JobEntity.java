package io.jobstate.persistence.internal;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.Lease;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The JPA side of the {@code jobs} row: what {@link #toJob()} reads, for the pessimistic path's
 * {@code SELECT … FOR UPDATE}. It is never written through JPA — every write
 * is the compare-and-set statement family (binding text to the jsonb columns through JPA would need
 * the driver setting {@code stringtype=unspecified}, which Open Liberty's PostgreSQL data source does
 * not accept): nothing sets its fields, so no UPDATE is ever issued, and the jsonb columns are marked
 * read-only besides. The SQL side is {@link JobTable}. Fields are private: inside Open Liberty
 * entities are woven. Not thread-safe (entities never are).
 */
@Entity
@Table(name = "jobs")
public class JobEntity {

    @Id
    private UUID id;
    private String type;
    @Enumerated(EnumType.STRING)
    private JobStatus status;
    private long version;
    private int attempt;
    private int progress;
    @Column(insertable = false, updatable = false)
    private String payload;
    @Column(insertable = false, updatable = false)
    private String result;
    private String error;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;
    @Column(name = "started_at")
    private OffsetDateTime startedAt;
    @Column(name = "finished_at")
    private OffsetDateTime finishedAt;
    @Column(name = "lease_token")
    private String leaseToken;
    @Column(name = "lease_expires_at")
    private OffsetDateTime leaseExpiresAt;
    @Column(name = "lease_seconds")
    private Integer leaseSeconds;

    protected JobEntity() {
        // for JPA
    }

    public Job toJob() {
        return new Job(id, type, status, version, attempt, progress, payload, result, error,
                Timestamps.toInstant(createdAt), Timestamps.toInstant(updatedAt),
                Timestamps.toInstant(startedAt), Timestamps.toInstant(finishedAt),
                leaseToken == null ? null : new Lease(leaseToken, Timestamps.toInstant(leaseExpiresAt), leaseSeconds));
    }
}
