package io.jobstate.testing.postgres;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The passwords of one {@link PatroniCluster}, new for each: the three roles Patroni manages and the
 * REST API's user, as the configuration's placeholders name them. Thread-safe (immutable).
 */
record PatroniSecrets(String superuser, String replication, String rewind, String rest) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static PatroniSecrets random() {
        return new PatroniSecrets(randomPassword(), randomPassword(), randomPassword(), randomPassword());
    }

    /** 32 hexadecimal digits: nothing to quote in SQL or YAML. */
    static String randomPassword() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    Map<String, String> placeholders() {
        return Map.of("SUPERUSER_PASSWORD", superuser, "REPLICATION_PASSWORD", replication,
                "REWIND_PASSWORD", rewind, "REST_PASSWORD", rest);
    }

    @Override
    public String toString() {
        return "PatroniSecrets[hidden]";
    }
}
