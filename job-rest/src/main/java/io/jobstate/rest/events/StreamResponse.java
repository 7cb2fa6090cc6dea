package io.jobstate.rest.events;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * The response of an event stream request as the JAX-RS runtime sees it: its body goes through the
 * stream's {@link StreamOutput}, so that the runtime's own bytes (the head, error answers) and the stream's
 * messages share one ordered, non-blocking output. Not thread-safe beyond what {@link StreamOutput} is.
 */
final class StreamResponse extends HttpServletResponseWrapper {

    private final StreamOutput output;

    StreamResponse(HttpServletResponse response) {
        super(response);
        this.output = new StreamOutput(response);
    }

    StreamOutput output() {
        return output;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return output;
    }

    @Override
    public void flushBuffer() throws IOException {
        output.flush();
    }
}
