/**
 * How calls are guarded: retries paced by a per-operation backoff ({@link
 * io.jobstate.client.coordinator.internal.GuardedCalls}, {@link io.jobstate.client.coordinator.internal.Backoff})
 * around attempts bounded by a timeout and counted by a circuit breaker ({@link
 * io.jobstate.client.coordinator.internal.Attempts}), with standard MicroProfile Fault Tolerance only.
 */
package io.jobstate.client.coordinator.internal;
