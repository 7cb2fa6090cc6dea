package io.jobstate.it.deploy;

import io.jobstate.it.SignedTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A token issuer made for one test: a fresh RSA key pair whose public half is written as the PEM
 * file a server is told to trust ({@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}), and tokens signed with
 * the private half. Thread-safe.
 */
final class TestIssuer {

    static final String ISSUER = "https://issuer.jobstate.test";

    private final KeyPair keys;

    private TestIssuer(KeyPair keys) {
        this.keys = keys;
    }

    static TestIssuer create() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return new TestIssuer(generator.generateKeyPair());
    }

    /** Writes the public key as a "BEGIN PUBLIC KEY" PEM file; returns it. */
    Path writePublicKey(Path file) throws IOException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded());
        return Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
    }

    String token(String role) {
        Instant now = Instant.now();
        return SignedTokens.sign(keys.getPrivate(), ISSUER, "package-test", List.of(role), now, now.plus(Duration.ofHours(1)));
    }
}
