package io.jobstate.client.api;

/** The body of a progress report: 0..100, never lower than the last accepted value. */
public record ProgressReport(int progress) {
}
