package io.jobstate.it.storm;

import io.jobstate.client.api.JobStatus;

/**
 * One HTTP attempt the client made and what came back.
 *
 * @param transition        whether it was a POST to a job's transitions
 * @param key               its Idempotency-Key (null for reads)
 * @param requested         the status a transition asked for (null otherwise)
 * @param status            the answer's status, or 0 if no answer arrived (connection refused, reset, timed out)
 * @param version           the answer's ETag as a number, or -1
 * @param replayed          whether the answer said {@code Idempotent-Replayed: true}
 * @param unavailableReason a 503's {@code unavailableReason} (DATABASE, LOCK_WAIT), else null
 * @param port              the server instance's port
 * @param sentAt            {@link System#nanoTime()} when the attempt was sent
 * @param answeredAt        {@link System#nanoTime()} when the answer arrived, 0 if none did
 * @param failure           why an attempt without an answer failed, as the client reported it (null otherwise)
 */
public record Exchange(boolean transition, String jobId, String key, JobStatus requested, int status, long version,
                       boolean replayed, String unavailableReason, int port,
                       long sentAt, long answeredAt, String failure) {

    boolean succeeded() {
        return status >= 200 && status < 300;
    }

    Exchange answered(int answerStatus, long answerVersion, boolean answerReplayed, String reason) {
        return new Exchange(transition, jobId, key, requested, answerStatus, answerVersion, answerReplayed, reason, port,
                sentAt, System.nanoTime(), null);
    }

    Exchange failed(String why) {
        return new Exchange(transition, jobId, key, requested, status, version, replayed, unavailableReason, port, sentAt,
                answeredAt, why);
    }

    /** How long the answer took, in milliseconds; -1 without an answer. */
    long answerMillis() {
        return answeredAt == 0 ? -1 : (answeredAt - sentAt) / 1_000_000;
    }
}
