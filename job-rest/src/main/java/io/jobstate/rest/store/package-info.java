/** Wiring of the job store inside the server: migrations at start-up ({@link io.jobstate.rest.store.SchemaMigration}), the data source, the locking path from configuration. */
package io.jobstate.rest.store;
