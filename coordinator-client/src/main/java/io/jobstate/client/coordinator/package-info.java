/**
 * What a coordinator calls: {@link io.jobstate.client.coordinator.JobCoordinator} drives jobs
 * through their states with one Idempotency-Key per logical operation, MicroProfile Fault
 * Tolerance retries for transient failures, and re-decision (never blind retry) on conflicts.
 */
package io.jobstate.client.coordinator;
