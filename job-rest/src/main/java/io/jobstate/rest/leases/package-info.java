/** Leases of RUNNING jobs on the server side: their configuration and the reaper of expired ones. */
package io.jobstate.rest.leases;
