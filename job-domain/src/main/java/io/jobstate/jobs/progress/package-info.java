/**
 * Progress reports: not transitions. They never change a job's version (so they never make a
 * status change conflict), are accepted only while RUNNING, and never move backwards.
 */
package io.jobstate.jobs.progress;
