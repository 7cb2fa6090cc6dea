/** The job resources: create, read, list, transitions, progress, history. */
package io.jobstate.rest.jobs;
