/** Listing jobs newest first, filtered, with opaque keyset cursors (stable under concurrent inserts). */
package io.jobstate.jobs.listing;
