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
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code jobs}, as read and locked through JPA. The entity is never written through JPA:
 * binding text to the jsonb columns would need either the driver setting
 * {@code stringtype=unspecified} (which Open Liberty's PostgreSQL data source does not accept) or
 * driver classes the application cannot see inside Liberty. Every write is SQL with explicit casts
 * (see {@link JobRowUpdate}). Fields are private: inside Open Liberty entities are woven. Not
 * thread-safe (entities never are).
 */
@Entity
@Table(name = "jobs")
public class JobEntity {

    @Id
    private UUID id;
    private String type;
    @Enumerated(EnumType.STRING)
    private JobStatus status;
    @Enumerated(EnumType.STRING)
    @Column(name = "previous_status")
    private JobStatus previousStatus;
    @Version
    private long version;
    private int attempt;
    private int progress;
    // jsonb: read here, written only by SQL with explicit casts (see class comment)
    @Column(insertable = false, updatable = false)
    private String payload;
    @Column(insertable = false, updatable = false)
    private String result;
    private String error;
    @Column(name = "idempotency_key")
    private String idempotencyKey;
    @Column(name = "request_fingerprint")
    private String requestFingerprint;
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
