package io.jobstate.testing.postgres;

import java.io.IOException;
import java.nio.file.Files;

/**
 * A separate JVM that starts a cluster, reports it on standard output, and then waits to be killed,
 * so a test can prove the cluster does not outlive a JVM that dies without running any code.
 */
public final class ClusterHolder {

    private ClusterHolder() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        ThrowawayPostgres cluster = ThrowawayPostgres.start(PostgresSettings.forTests());
        String postmasterPid = Files.readAllLines(cluster.directory().resolve("data/postmaster.pid")).getFirst();
        System.out.println("CLUSTER " + cluster.directory() + " " + cluster.guardianPid() + " " + postmasterPid);
        System.out.flush();
        Thread.currentThread().join();
    }
}
