/**
 * How many jobs are in each status, and the event-feed position those numbers reflect: a snapshot a
 * live view (the job board) starts from before it follows the feed.
 */
package io.jobstate.jobs.counts;
