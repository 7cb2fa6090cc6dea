package io.jobstate.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Condenses the meaningful fields of a request into a SHA-256 hex digest, so that a retry carrying
 * an idempotency key can be told apart from a different request reusing that key. Each part is
 * length-prefixed, so ("ab", "c") and ("a", "bc") differ; {@code null} differs from "".
 * Thread-safe.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    public static String of(Object... parts) {
        MessageDigest digest = sha256();
        for (Object part : parts) {
            byte[] bytes = part == null ? new byte[0] : part.toString().getBytes(StandardCharsets.UTF_8);
            String header = part == null ? "null;" : bytes.length + ":";
            digest.update(header.getBytes(StandardCharsets.US_ASCII));
            digest.update(bytes);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
