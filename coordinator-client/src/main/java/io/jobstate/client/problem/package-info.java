/**
 * Error answers as typed exceptions: {@link io.jobstate.client.problem.ProblemResponses} reads
 * each {@code application/problem+json} body into the {@link io.jobstate.client.problem.JobstateException}
 * subtype for its status. {@link io.jobstate.client.problem.TransientFailure}s are the ones worth
 * retrying.
 */
package io.jobstate.client.problem;
