package io.jobstate.testing.postgres;

import io.jobstate.testing.postgres.ReplicatedPostgres.Replication;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A separate JVM that starts a replicated pair, reports its folder and guardian on standard output,
 * and then waits to be killed, so a test can prove the pair does not outlive a JVM that dies without
 * running any code.
 */
public final class PairHolder {

    private PairHolder() {
    }

    public static void main(String[] args) throws Exception {
        ReplicatedPostgres pair = ReplicatedPostgres.start(PostgresSettings.forTests(), Replication.SYNCHRONOUS);
        Path folder;
        try (Connection db = pair.connect("postgres"); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_setting('data_directory')")) {
            rows.next();
            folder = Path.of(rows.getString(1)).getParent().getParent();
        }
        System.out.println("PAIR " + folder + " " + pair.guardianPid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
