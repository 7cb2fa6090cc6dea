package io.jobstate.client.auth;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends {@code Authorization: Bearer …} with every call: the token is {@code jobstate.client.token},
 * or the content of the file {@code jobstate.client.token-file} (read per call, so a token
 * rotated on disk is picked up). Neither set: no header. The token is never logged.
 * Thread-safe.
 */
public final class BearerToken implements ClientRequestFilter {

    public static final String TOKEN = "jobstate.client.token";
    public static final String TOKEN_FILE = "jobstate.client.token-file";

    @Override
    public void filter(ClientRequestContext request) {
        if (request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
            return;
        }
        token().ifPresent(token -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

    private static Optional<String> token() {
        // the application's configuration, whichever pool thread the client filters on
        Config config = ConfigProvider.getConfig(BearerToken.class.getClassLoader());
        Optional<String> inline = config.getOptionalValue(TOKEN, String.class).map(String::trim).filter(t -> !t.isEmpty());
        if (inline.isPresent()) {
            return inline;
        }
        return config.getOptionalValue(TOKEN_FILE, String.class).map(BearerToken::read);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            // a configuration error, not a network failure: never retried. The message names the file, never its content.
            throw new IllegalStateException("Cannot read the jobstate token file " + file, e);
        }
    }
}
