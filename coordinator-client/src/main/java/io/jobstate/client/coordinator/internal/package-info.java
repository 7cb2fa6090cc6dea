/** How calls are guarded: the Fault Tolerance policy and its backoff. */
package io.jobstate.client.coordinator.internal;
