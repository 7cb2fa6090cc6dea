/**
 * {@link io.jobstate.jobs.store.JobStore} on PostgreSQL through EclipseLink: the schema's
 * migrations, the persistence unit, and the two transition paths (compare-and-set, and
 * {@code SELECT … FOR UPDATE}), chosen with {@link io.jobstate.persistence.LockingPath}.
 */
package io.jobstate.persistence;
