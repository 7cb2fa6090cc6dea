/**
 * A typed client for jobstate: {@link io.jobstate.client.api} is the REST interface and its
 * representations, {@link io.jobstate.client.problem} the typed errors, and
 * {@link io.jobstate.client.coordinator} the coordinator-facing operations with retries that
 * never apply a transition twice and never overwrite a newer state, and {@link io.jobstate.client.events}
 * the typed, resumable subscription to the event streams. Depends on no jobstate
 * server module.
 */
package io.jobstate.client;
