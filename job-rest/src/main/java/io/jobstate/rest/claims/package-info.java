/**
 * Long-polling claims: a claim that finds nothing QUEUED waits, up to its {@code waitSeconds}, in a
 * bounded line on this instance, and the feed's QUEUED events (from any instance, through the same
 * LISTEN/NOTIFY path as the event streams) wake one waiter each, not every waiter.
 */
package io.jobstate.rest.claims;
