package io.jobstate.persistence.benchmark;

import io.jobstate.jobs.JobStatus;
import java.util.SplittableRandom;

/**
 * Which job a client moves next, and where to. Both the Java runner and the pgbench script follow
 * the same rules, so they execute the same transitions.
 * <ul>
 *   <li>UNIFORM: 10,000 jobs split among the clients, each client cycling through its own jobs,
 *       each job around RUNNING → FAILED → QUEUED → RUNNING: every request is a legal transition.</li>
 *   <li>HOT: every client on the same 4 jobs, each request to a random one of RUNNING, FAILED,
 *       QUEUED: about a third are legal, the rest are conflicts, and clients collide constantly.</li>
 * </ul>
 */
enum Workload {
    UNIFORM(10_000),
    HOT(4);

    static final JobStatus[] CYCLE = {JobStatus.RUNNING, JobStatus.FAILED, JobStatus.QUEUED};

    final int jobs;

    Workload(int jobs) {
        this.jobs = jobs;
    }

    /** The next (job index, target) of a client; {@code state} is that client's own. */
    Step next(ClientState state) {
        if (this == HOT) {
            return new Step(state.random.nextInt(jobs), CYCLE[state.random.nextInt(CYCLE.length)]);
        }
        int perClient = jobs / state.clients;
        long k = state.counter++;
        int job = (int) (k % perClient) * state.clients + state.clientId;
        return new Step(job, CYCLE[(int) ((k / perClient) % CYCLE.length)]);
    }

    record Step(int job, JobStatus to) {
    }

    /** What one client carries from request to request. */
    static final class ClientState {
        final int clientId;
        final int clients;
        final SplittableRandom random;
        long counter;

        ClientState(int clientId, int clients) {
            this.clientId = clientId;
            this.clients = clients;
            this.random = new SplittableRandom(clientId * 7919L + clients);
        }
    }
}
