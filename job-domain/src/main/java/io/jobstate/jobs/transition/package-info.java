/**
 * Status transitions: the request a caller makes, the pure decision on a job snapshot, and the
 * outcomes a store reports. Stores must decide with {@link io.jobstate.jobs.transition.TransitionDecision}
 * (or SQL proven equal to it) at the instant of their write.
 */
package io.jobstate.jobs.transition;
