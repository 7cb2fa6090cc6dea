package io.jobstate.client.fake;

import java.time.Duration;
import java.util.function.Consumer;

/** A fault to inject into one request. */
public sealed interface Fault {

    /** 503 problem (Retry-After in seconds when given); nothing applied. */
    record Unavailable(Duration retryAfter) implements Fault {
    }

    /** 502 with an HTML page, as a proxy answers; nothing applied. */
    record BadGateway() implements Fault {
    }

    /** 404 with Liberty's HTML page, as a server answers while the service is not (yet) deployed; nothing applied. */
    record NotDeployed() implements Fault {
    }

    /** 503 because another change held the job's lock too long (the pessimistic path under contention). */
    record Busy() implements Fault {
    }

    /** A problem answer with this status (and the 409/412 members where they belong); nothing applied. */
    record Refused(int status) implements Fault {
    }

    /** The connection is reset before the request is handled; nothing applied. */
    record DropBeforeApplying() implements Fault {
    }

    /** The request is applied, then the connection is reset: the client never sees the answer. */
    record DropAfterApplying() implements Fault {
    }

    /** The request is applied, then the answer is held back for {@code delay}. */
    record SlowAfterApplying(Duration delay) implements Fault {
    }

    /** Another caller acts on the fake just before this request is handled. */
    record Interloper(Consumer<FakeJobstate> action) implements Fault {
    }

    static Fault unavailable() {
        return new Unavailable(null);
    }
}
