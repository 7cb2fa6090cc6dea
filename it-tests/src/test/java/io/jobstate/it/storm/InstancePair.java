package io.jobstate.it.storm;

import io.jobstate.it.Deployments;
import io.jobstate.it.LibertyDatabase;
import io.jobstate.testing.postgres.TestDatabase;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two Liberty instances ({@link SecondLiberty}, on the compare-and-set path) on one database of a
 * replicated PostgreSQL, started together; closing stops both. The URL is the service's: every host,
 * {@code targetServerType=primary}, and what docs/operations.md adds to it.
 */
record InstancePair(TestDatabase database, List<SecondLiberty> servers) implements AutoCloseable {

    static InstancePair start(TestDatabase database, String url, String prefix) throws Exception {
        return start(database, url, prefix, Map.of());
    }

    /** As {@link #start(TestDatabase, String, String)}, with further server variables. */
    static InstancePair start(TestDatabase database, String url, String prefix, Map<String, String> more) throws Exception {
        Map<String, String> variables = new HashMap<>(LibertyDatabase.variables(database));
        variables.put("jobstate.db.url", url);
        variables.put("jobstate.events.keep-alive", "PT1S");
        variables.put("jobstate.lease.reaper-interval", "PT0.25S");
        variables.putAll(more);
        List<CompletableFuture<SecondLiberty>> starting = List.of(1, 2).stream().map(n -> CompletableFuture.supplyAsync(
                () -> SecondLiberty.start(Deployments.jobstate("cas"), prefix + n, variables))).toList();
        List<SecondLiberty> servers = new ArrayList<>();
        Exception failure = null;
        for (CompletableFuture<SecondLiberty> server : starting) {
            try {
                servers.add(server.get(5, TimeUnit.MINUTES));
            } catch (Exception e) {
                failure = e;
            }
        }
        InstancePair instances = new InstancePair(database, servers);
        if (failure != null) {
            instances.close();
            throw failure;
        }
        return instances;
    }

    List<Integer> ports() {
        return servers.stream().map(SecondLiberty::port).toList();
    }

    URI base(int index) {
        return URI.create("http://127.0.0.1:" + servers.get(index).port() + "/jobstate/");
    }

    boolean ready() {
        return servers.stream().allMatch(SecondLiberty::ready);
    }

    boolean noneReady() {
        return servers.stream().noneMatch(SecondLiberty::ready);
    }

    @Override
    public void close() throws InterruptedException {
        for (SecondLiberty server : servers) {
            server.close();
        }
    }
}
