/**
 * The job and its state machine: statuses, the legal transitions between them, and the immutable
 * snapshot of a job. Everything else in jobstate (SQL guard, REST documentation, clients, tests)
 * derives from or is tested against {@link io.jobstate.jobs.JobStatus}.
 */
package io.jobstate.jobs;
