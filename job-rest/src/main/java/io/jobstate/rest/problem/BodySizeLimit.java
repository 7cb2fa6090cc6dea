package io.jobstate.rest.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * No request body larger than 64 KiB is read: a body declaring a larger length is refused at once
 * (413), and any body, declared or chunked, is cut off where it passes the limit. The connection is
 * closed after a 413, since the rest of the body was never read.
 */
@Provider
@PreMatching
public class BodySizeLimit implements ContainerRequestFilter {

    public static final int MAX_BYTES = 64 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_BYTES) {
            request.abortWith(tooLarge().toResponse());
            return;
        }
        request.setEntityStream(new Limited(request.getEntityStream()));
    }

    static Problem tooLarge() {
        return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "The body is larger than " + MAX_BYTES + " bytes.")
                .header("Connection", "close");
    }

    /** Counts what is read and stops past the limit. Not thread-safe (one request). */
    private static final class Limited extends FilterInputStream {
        private long count;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                check(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                check(n);
            }
            return n;
        }

        private void check(int n) {
            count += n;
            if (count > MAX_BYTES) {
                throw new Problem.Raised(tooLarge());
            }
        }
    }
}
