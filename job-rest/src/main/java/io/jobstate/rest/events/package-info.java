/**
 * The event feed and its Server-Sent Event streams. Per server instance: one publisher numbering
 * committed events (woken by this instance's transitions, and on a timer for everyone else's), one
 * listener on PostgreSQL's announcements (so events published anywhere wake this instance), one
 * in-memory tail of the newest events that one thread reads once per batch and hands to every open
 * stream (streams hold no thread: their connections are written without blocking, and each has a
 * bounded buffer), and a scheduled retention task.
 */
package io.jobstate.rest.events;
