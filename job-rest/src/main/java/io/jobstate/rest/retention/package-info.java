/**
 * Retention of finished jobs on every instance: the settings ({@code jobstate.retention.*}), the
 * periodic pass that prunes through {@link io.jobstate.jobs.retention.JobPruner}, and its metrics.
 */
package io.jobstate.rest.retention;
