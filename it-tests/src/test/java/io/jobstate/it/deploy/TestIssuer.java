package io.jobstate.it.deploy;

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
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

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
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject("package-test");
        claims.setClaim("upn", "package-test");
        claims.setStringListClaim("groups", List.of(role));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromMilliseconds(Instant.now().plus(Duration.ofHours(1)).toEpochMilli()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
