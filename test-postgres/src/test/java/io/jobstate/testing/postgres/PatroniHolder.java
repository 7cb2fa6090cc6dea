package io.jobstate.testing.postgres;

/**
 * A separate JVM that starts a Patroni cluster, reports its folder and guardian on standard output,
 * and then waits to be killed, so a test can prove the cluster does not outlive a JVM that dies
 * without running any code.
 */
public final class PatroniHolder {

    private PatroniHolder() {
    }

    public static void main(String[] args) throws Exception {
        PatroniCluster cluster = PatroniCluster.start();
        System.out.println("PATRONI " + PatroniClusterIT.folderOf(cluster) + " " + cluster.guardianPid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
