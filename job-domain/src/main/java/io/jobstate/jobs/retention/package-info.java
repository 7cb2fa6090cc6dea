/**
 * Retention of finished jobs: how long a COMPLETED, FAILED or CANCELLED job is kept after it finished
 * ({@link io.jobstate.jobs.retention.RetentionPolicy}), and the port that deletes the jobs past it
 * ({@link io.jobstate.jobs.retention.JobPruner}). PENDING, QUEUED and RUNNING jobs are never pruned.
 */
package io.jobstate.jobs.retention;
