/** The port through which the application reaches job storage; job-persistence implements it. */
package io.jobstate.jobs.store;
