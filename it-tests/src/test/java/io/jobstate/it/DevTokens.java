package io.jobstate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Tokens signed with the development key pair (dev/jwt), as `./jobstate token` makes them. */
public final class DevTokens {

    static final String ISSUER = "jobstate-dev";

    private DevTokens() {
    }

    public static String forRole(String role) {
        return sign(ISSUER, List.of(role), Instant.now().plus(Duration.ofHours(1)));
    }

    static String sign(String issuer, List<String> groups, Instant expires) {
        return SignedTokens.sign(privateKey(), issuer, "it-tests", groups, expires.minus(Duration.ofHours(2)), expires);
    }

    private static PrivateKey privateKey() {
        try {
            String pem = Files.readString(Path.of(System.getProperty("jobstate.it.dev-key")));
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
