/**
 * Claims: a worker asks for the next QUEUED job (among some types) and gets it RUNNING under a new
 * lease, without racing other workers. A claim is a transition to RUNNING whose job the store picks:
 * the one QUEUED longest among the requested types that no other writer holds at that instant.
 */
package io.jobstate.jobs.claim;
