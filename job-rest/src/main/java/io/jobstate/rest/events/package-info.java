/**
 * The event feed and its Server-Sent Event streams. Per server instance: one publisher numbering
 * committed events (woken by this instance's transitions, and on a timer for everyone else's), one
 * listener on PostgreSQL's announcements (so events published anywhere wake this instance's
 * streams), one managed thread per stream subscriber, and a scheduled retention task.
 */
package io.jobstate.rest.events;
