package io.jobstate.rest.retention;

import io.jobstate.jobs.JobStatus;
import io.jobstate.jobs.retention.JobPruner;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Retention's metrics, per instance: {@code jobstate_jobs_pruned_total{status}} (jobs this instance
 * deleted), {@code jobstate_retention_pass_seconds} (how long each pass took) and
 * {@code jobstate_retention_oldest_finished_age_seconds{status}} (how long ago the oldest finished job
 * still kept finished, as of the last pass; 0 when there is none). Thread-safe.
 */
@ApplicationScoped
public class RetentionMetrics {

    @Inject
    MetricRegistry registry;

    private final Map<JobStatus, Counter> pruned = new EnumMap<>(JobStatus.class);
    /** The oldest kept finishedAt per finished status, from the last pass; absent: none. */
    private final Map<JobStatus, Instant> oldest = new ConcurrentHashMap<>();
    private Timer passes;

    @PostConstruct
    void register() {
        passes = registry.timer("jobstate_retention_pass");
        Arrays.stream(JobStatus.values()).filter(JobStatus::isFinished).forEach(status -> {
            Tag tag = new Tag("status", status.name());
            pruned.put(status, registry.counter("jobstate_jobs_pruned", tag));
            registry.gauge("jobstate_retention_oldest_finished_age_seconds", status, this::ageOfOldest, tag);
        });
    }

    void passed(JobPruner.Pruned result, Duration took, Map<JobStatus, Instant> oldestKept) {
        result.deleted().forEach((status, count) -> pruned.get(status).inc(count));
        passes.update(took);
        pruned.keySet().forEach(status -> {
            Instant finished = oldestKept.get(status);
            if (finished == null) {
                oldest.remove(status);
            } else {
                oldest.put(status, finished);
            }
        });
    }

    private long ageOfOldest(JobStatus status) {
        Instant finished = oldest.get(status);
        return finished == null ? 0 : Math.max(0, Duration.between(finished, Instant.now()).toSeconds());
    }
}
