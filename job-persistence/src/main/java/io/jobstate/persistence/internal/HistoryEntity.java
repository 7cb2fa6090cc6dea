package io.jobstate.persistence.internal;

import io.jobstate.jobs.HistoryEntry;
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

/** A row of {@code job_history}: one applied transition. Not thread-safe. */
@Entity
@Table(name = "job_history")
@IdClass(JobVersionKey.class)
public class HistoryEntity {

    @Id
    @Column(name = "job_id")
    private UUID jobId;
    @Id
    private long version;
    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    private JobStatus fromStatus;
    @Enumerated(EnumType.STRING)
    @Column(name = "to_status")
    private JobStatus toStatus;
    private OffsetDateTime at;
    private int attempt;
    @Column(name = "idempotency_key")
    private String idempotencyKey;
    @Column(name = "request_fingerprint")
    private String requestFingerprint;
    private String reason;
    private String actor;

    protected HistoryEntity() {
        // for JPA
    }

    public HistoryEntity(UUID jobId, HistoryEntry entry, String reason) {
        this.jobId = jobId;
        this.version = entry.version();
        this.fromStatus = entry.from();
        this.toStatus = entry.to();
        this.at = Timestamps.toOffset(entry.at());
        this.attempt = entry.attempt();
        this.idempotencyKey = entry.idempotencyKey();
        this.requestFingerprint = entry.requestFingerprint();
        this.reason = reason;
        this.actor = entry.actor();
    }

    public HistoryEntry toEntry() {
        return new HistoryEntry(version, fromStatus, toStatus, Timestamps.toInstant(at), attempt,
                idempotencyKey, requestFingerprint, actor);
    }
}
