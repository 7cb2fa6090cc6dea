package io.jobstate.client.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobstate.client.auth.BearerToken;
import io.jobstate.client.fake.Exchange;
import io.jobstate.client.fake.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The bearer token comes from configuration: inline, or from a file read per call (rotation). */
class BearerTokenTest {

    @Nested
    class Inline extends ClientTest {

        @Override
        Map<String, String> configuration() {
            return Map.of(BearerToken.TOKEN, "inline-token");
        }

        @Test
        void isSentWithEveryCall() {
            fake().requireToken("inline-token");
            UUID id = coordinator().create(io.jobstate.client.api.NewJob.ofType("build")).id();

            coordinator().start(id);

            assertThat(fake().exchanges()).extracting(Exchange::authorization).containsOnly("Bearer inline-token");
        }
    }

    @Nested
    class FromAFile extends ClientTest {

        private static final Path FILE = tokenFile();

        @Override
        Map<String, String> configuration() {
            return Map.of(BearerToken.TOKEN_FILE, FILE.toString());
        }

        @Test
        void isReadPerCallSoARotatedTokenIsPickedUp() throws IOException {
            Files.writeString(FILE, "first-token\n");
            UUID id = fake().givenJob().id();
            coordinator().job(id);
            Files.writeString(FILE, "second-token\n");

            coordinator().job(id);

            assertThat(fake().exchanges(Route.GET)).extracting(Exchange::authorization)
                    .containsExactly("Bearer first-token", "Bearer second-token");
        }

        @Test
        void aTokenFileThatCannotBeReadIsAConfigurationErrorNeverRetried() throws IOException {
            Files.deleteIfExists(FILE);
            UUID id = fake().givenJob().id();

            assertThatThrownBy(() -> coordinator().job(id)).hasRootCauseInstanceOf(java.nio.file.NoSuchFileException.class)
                    .isNotInstanceOf(io.jobstate.client.problem.TransientFailure.class);
            assertThat(fake().exchanges()).isEmpty();
        }

        @AfterAll
        static void deleteFile() throws IOException {
            Files.deleteIfExists(FILE);
        }

        private static Path tokenFile() {
            try {
                return Files.createTempFile("jobstate-token", ".txt");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
