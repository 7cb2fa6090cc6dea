/** Wiring of the job store inside the server: data source, migrations at start-up, locking path from configuration. */
package io.jobstate.rest.store;
