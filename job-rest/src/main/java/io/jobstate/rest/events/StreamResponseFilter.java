package io.jobstate.rest.events;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Gives the requests of the two event streams ({@code GET /api/events/stream},
 * {@code GET /api/jobs/{id}/events/stream}) a {@link StreamResponse}, and its {@link StreamOutput} as the
 * request attribute {@link #OUTPUT}, where {@link EventStreams} finds it. Every other request passes
 * untouched. Thread-safe (stateless).
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class StreamResponseFilter extends HttpFilter {

    /** The request attribute holding the stream's {@link StreamOutput}. */
    static final String OUTPUT = StreamOutput.class.getName();

    private static final long serialVersionUID = 1L;
    private static final Pattern STREAMS = Pattern.compile("/api/(events|jobs/[^/]+/events)/stream/?");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"GET".equals(request.getMethod())
                || !STREAMS.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches()) {
            chain.doFilter(request, response);
            return;
        }
        StreamResponse stream = new StreamResponse(response);
        request.setAttribute(OUTPUT, stream.output());
        chain.doFilter(request, stream);
    }
}
