/**
 * {@code GET /api/jobs/counts}: how many jobs are in each status, and the event-feed position those
 * numbers reflect — the snapshot a live view starts from before it follows the feed.
 */
package io.jobstate.rest.counts;
