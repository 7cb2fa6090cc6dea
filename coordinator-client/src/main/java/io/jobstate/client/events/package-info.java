/**
 * Following status changes: {@link io.jobstate.client.events.EventStreams} subscribes to the
 * service's Server-Sent Event streams (all jobs, or one job) and hands each event, typed, to the
 * caller, in order and at most once, resuming after the last one it delivered when the connection drops.
 */
package io.jobstate.client.events;
