package io.jobstate.persistence.internal;

import io.jobstate.jobs.Job;
import io.jobstate.jobs.JobStatus;
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
 * A row of {@code jobs}. Fields are private and changed only through methods: inside Open Liberty
 * entities are woven, and a field written from another class would not be tracked. {@code version}
 * is JPA's version, so EclipseLink raises it by one on the one update the pessimistic path makes
 * per transition (and checks it, as a second guard). Not thread-safe (entities never are).
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
    private String payload;
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

    protected JobEntity() {
        // for JPA
    }

    public Job toJob() {
        return new Job(id, type, status, version, attempt, progress, payload, result, error,
                Timestamps.toInstant(createdAt), Timestamps.toInstant(updatedAt),
                Timestamps.toInstant(startedAt), Timestamps.toInstant(finishedAt));
    }

    /**
     * Takes over what a transition decided. The version is not copied: JPA raises it at flush, and
     * the caller has checked that the decision's version is exactly the next one.
     */
    public void transitionTo(Job next) {
        if (next.version() != version + 1) {
            throw new IllegalStateException("job " + id + ": decided version " + next.version()
                    + " does not follow " + version);
        }
        previousStatus = status;
        status = next.status();
        attempt = next.attempt();
        progress = next.progress();
        result = next.result();
        error = next.error();
        updatedAt = Timestamps.toOffset(next.updatedAt());
        startedAt = Timestamps.toOffset(next.startedAt());
        finishedAt = Timestamps.toOffset(next.finishedAt());
    }

    public long version() {
        return version;
    }
}
