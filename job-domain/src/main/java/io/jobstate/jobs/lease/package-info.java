/**
 * Leases of RUNNING jobs: heartbeats that renew them, and expiry. A lease is granted by the
 * transition to RUNNING (see {@link io.jobstate.jobs.Lease}); completing, failing, heartbeating
 * and reporting progress need its token; an expired lease is reaped (RUNNING → FAILED).
 */
package io.jobstate.jobs.lease;
