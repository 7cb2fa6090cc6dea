/**
 * Reading a job's history in pages: the entries after a version, at most a bounded number at a time,
 * so that a job retried many times never makes an unbounded answer.
 */
package io.jobstate.jobs.history;
