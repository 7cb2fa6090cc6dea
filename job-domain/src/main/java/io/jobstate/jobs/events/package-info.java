/**
 * Status-change events as consumers see them: one per applied transition, numbered by a public
 * sequence in the order the transitions became visible (committed), without gaps, so that a consumer
 * resuming "after N" can never skip one.
 */
package io.jobstate.jobs.events;
