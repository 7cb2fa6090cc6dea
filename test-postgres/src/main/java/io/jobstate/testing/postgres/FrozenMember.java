package io.jobstate.testing.postgres;

import java.util.List;

/**
 * A {@link PatroniCluster} member whose every process is stopped (SIGSTOP) — what a network
 * partition looks like from outside: connections stay open and unanswered. Thawing resumes them all
 * at once (SIGCONT); closing thaws too, once. Thread-safe.
 */
public final class FrozenMember implements AutoCloseable {

    private final String member;
    private final List<Long> processes;
    private final Runnable thawed;
    private boolean done;

    FrozenMember(String member, List<Long> processes, Runnable thawed) {
        this.member = member;
        this.processes = List.copyOf(processes);
        this.thawed = thawed;
    }

    public String member() {
        return member;
    }

    /** Resumes every process of the member at once (SIGCONT); its Patroni then looks at etcd again. */
    public synchronized void thaw() {
        if (!done) {
            ProcessSignals.resume(processes.stream().filter(ProcessSignals::running).toList());
            done = true;
            thawed.run();
        }
    }

    @Override
    public void close() {
        thaw();
    }
}
