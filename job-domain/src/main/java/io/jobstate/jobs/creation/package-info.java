/** Creating jobs, optionally idempotent: a repeat with the same key and request returns the same job. */
package io.jobstate.jobs.creation;
